// The OpenAPI document built into the server describes exactly the routes it serves.

#include "server/openapi.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "server/api.h"

namespace tilsyn::server {
namespace {

using Json = nlohmann::json;

// "/api/units/([^/]+)/workers" → "/api/units/{}/workers"; "{unit}" → "{}" likewise; escapes
// dropped.
std::string Shape(const std::string& path) {
  constexpr std::string_view kCapture = "([^/]+)";
  std::string shape;
  for (size_t i = 0; i < path.size();) {
    if (path.compare(i, kCapture.size(), kCapture) == 0) {
      shape += "{}";
      i += kCapture.size();
    } else if (path[i] == '\\') {  // a regular expression's escape: "\\.ics" is ".ics"
      ++i;
    } else if (path[i] == '{') {
      shape += "{}";
      i = path.find('}', i) + 1;
    } else {
      shape += path[i++];
    }
  }
  return shape;
}

TEST(OpenApiTest, DocumentDescribesEveryRouteAndNoOther) {
  const Json document = Json::parse(OpenApiDocument());
  std::set<std::string> documented;
  for (const auto& [path, item] : document["paths"].items()) {
    for (const auto& [method, operation] : item.items()) {
      std::string upper = method;
      for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      documented.insert(upper + " " + Shape(path));
    }
  }
  std::set<std::string> served;
  for (const Route& route : ApiRoutes()) served.insert(route.method + " " + Shape(route.pattern));
  EXPECT_EQ(documented, served);
  EXPECT_EQ(document["openapi"], "3.0.3");
}

}  // namespace
}  // namespace tilsyn::server
