#pragma once

#include <string_view>

namespace tilsyn::server {

// The OpenAPI 3 document of the JSON API (src/server/openapi.json, built in).
std::string_view OpenApiDocument();

}  // namespace tilsyn::server
