# Shared compile settings and the two helpers every module uses:
#   tilsyn_add_library(NAME SOURCES ... DEPS ...)   a static library under src/
#   tilsyn_add_test(NAME SOURCES ... DEPS ... [POSTGRES])
#                                                   a GoogleTest binary registered with CTest;
#                                                   POSTGRES: its tests need the PostgreSQL server
# and the PostgreSQL test server (see tilsyn_postgres_fixture below):
#   tilsyn_postgres_fixture()                       once, from the top-level CMakeLists.txt
#   tilsyn_requires_postgres(TEST...)               for tests added with plain add_test()

add_library(tilsyn_compile_options INTERFACE)
target_compile_options(tilsyn_compile_options INTERFACE -Wall -Wextra -Wpedantic -Wshadow
  -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Wunused -Woverloaded-virtual
  -Wconversion -Wno-sign-conversion)
if(TILSYN_WERROR)
  target_compile_options(tilsyn_compile_options INTERFACE -Werror)
endif()
if(TILSYN_SANITIZE)
  target_compile_options(tilsyn_compile_options INTERFACE -fsanitize=address,undefined
    -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(tilsyn_compile_options INTERFACE -fsanitize=address,undefined)
endif()

function(tilsyn_add_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(${name} PUBLIC ${ARG_DEPS} PRIVATE tilsyn_compile_options)
endfunction()

function(tilsyn_add_test name)
  cmake_parse_arguments(ARG "POSTGRES" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main
    tilsyn_compile_options)
  target_compile_definitions(${name} PRIVATE
    TILSYN_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  set(properties ENVIRONMENT "TILSYN_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
  if(ARG_POSTGRES)
    _tilsyn_postgres_url(url)
    # ENVIRONMENT already holds TILSYN_SOURCE_DIR, and gtest_discover_tests flattens a two-item
    # list value, so the URL goes in ENVIRONMENT_MODIFICATION.
    list(APPEND properties FIXTURES_REQUIRED postgres RESOURCE_LOCK tilsyn_test_postgres
      ENVIRONMENT_MODIFICATION "TILSYN_TEST_POSTGRES=set:${url}")
  endif()
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES ${properties})
endfunction()

# The PostgreSQL test server. Tests of the store (and later the API) run against a real
# PostgreSQL, never a mock: scripts/postgres-test-server.sh makes a throwaway cluster in
# ${CMAKE_BINARY_DIR}/pg-test on 127.0.0.1:${TILSYN_TEST_POSTGRES_PORT}. The ctest fixture
# `postgres` (tests postgres_start and postgres_stop) starts it before and stops it after the
# tests that opt in with tilsyn_add_test(... POSTGRES) or tilsyn_requires_postgres(). Those read
# the server's URL from TILSYN_TEST_POSTGRES and fail when it is absent. If postgres_start fails,
# ctest runs none of them and counts each as failed ("Not Run"); if the server dies midway, they
# fail to connect, and postgres_stop fails too.
function(tilsyn_postgres_fixture)
  # A port per build tree, so the dev and asan trees (or two checkouts) can test at the same
  # time: 54000-54899 from a hash of the build directory. On the rare clash, postgres_start says
  # the port is taken; set -DTILSYN_TEST_POSTGRES_PORT=... for that tree.
  string(SHA256 build_dir_hash "${CMAKE_BINARY_DIR}")
  string(SUBSTRING "${build_dir_hash}" 0 6 build_dir_hash)
  math(EXPR default_port "54000 + (0x${build_dir_hash} % 900)")
  set(TILSYN_TEST_POSTGRES_PORT ${default_port} CACHE STRING
    "Port on 127.0.0.1 for the PostgreSQL server the tests start (default: from the build dir)")
  if(NOT TILSYN_TEST_POSTGRES_PORT MATCHES "^[0-9]+$")
    message(FATAL_ERROR
      "TILSYN_TEST_POSTGRES_PORT must be a port number, not '${TILSYN_TEST_POSTGRES_PORT}'")
  endif()

  set(script ${PROJECT_SOURCE_DIR}/scripts/postgres-test-server.sh)
  set(server_dir ${CMAKE_BINARY_DIR}/pg-test)
  add_test(NAME postgres_start
    COMMAND bash ${script} start ${server_dir} ${TILSYN_TEST_POSTGRES_PORT})
  add_test(NAME postgres_stop COMMAND bash ${script} stop ${server_dir})
  set_tests_properties(postgres_start PROPERTIES FIXTURES_SETUP postgres TIMEOUT 120)
  set_tests_properties(postgres_stop PROPERTIES FIXTURES_CLEANUP postgres TIMEOUT 120)

  set_property(GLOBAL PROPERTY TILSYN_TEST_POSTGRES_URL
    "postgresql://tilsyn@127.0.0.1:${TILSYN_TEST_POSTGRES_PORT}/tilsyn_test")
endfunction()

# tilsyn_requires_postgres(TEST...): what tilsyn_add_test's POSTGRES does, for tests added with
# plain add_test().
function(tilsyn_requires_postgres)
  _tilsyn_postgres_url(url)
  set_property(TEST ${ARGN} APPEND PROPERTY FIXTURES_REQUIRED postgres)
  set_property(TEST ${ARGN} APPEND PROPERTY RESOURCE_LOCK tilsyn_test_postgres)
  set_property(TEST ${ARGN} APPEND PROPERTY ENVIRONMENT "TILSYN_TEST_POSTGRES=${url}")
endfunction()

# Sets OUT to the PostgreSQL test server's URL. Every test that uses the server requires the
# `postgres` fixture, and they all share one database, so they also take turns (RESOURCE_LOCK
# tilsyn_test_postgres) and their tables never meet.
function(_tilsyn_postgres_url out)
  get_property(url GLOBAL PROPERTY TILSYN_TEST_POSTGRES_URL)
  if(NOT url)
    message(FATAL_ERROR "a test needs PostgreSQL, but tilsyn_postgres_fixture() was not called "
      "before it (the top-level CMakeLists.txt calls it when TILSYN_BUILD_TESTS is on)")
  endif()
  set(${out} ${url} PARENT_SCOPE)
endfunction()
