# Shared compile settings and the two helpers every module uses:
#   tilsyn_add_library(NAME SOURCES ... DEPS ...)   a static library under src/
#   tilsyn_add_test(NAME SOURCES ... DEPS ...)      a GoogleTest binary registered with CTest

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
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main
    tilsyn_compile_options)
  target_compile_definitions(${name} PRIVATE
    TILSYN_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60
    PROPERTIES ENVIRONMENT "TILSYN_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
endfunction()
