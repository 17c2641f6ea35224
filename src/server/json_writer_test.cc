#include "server/json_writer.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace tilsyn::server {
namespace {

using Json = nlohmann::ordered_json;

std::string Dump(const Json& json) {
  return json.dump(-1, ' ', false, Json::error_handler_t::replace);
}

TEST(JsonWriterTest, WritesWhatTheLibraryDumps) {
  JsonWriter w;
  w.BeginObject();
  w.StringField("child", "B001");
  w.IntField("total", -42);
  w.BoolField("open", true);
  w.StringOrNullField("worker", "");
  w.Key("items");
  w.BeginArray();
  w.BeginObject();
  w.StringField("name", "Børnefaglig undersøgelse, § 20");
  w.EndObject();
  w.BeginArray();
  w.EndArray();
  w.Int(7);
  w.Null();
  w.EndArray();
  w.Key("empty");
  w.BeginObject();
  w.EndObject();
  w.EndObject();
  const Json expected = {{"child", "B001"},
                         {"total", -42},
                         {"open", true},
                         {"worker", nullptr},
                         {"items", Json::array({Json{{"name", "Børnefaglig undersøgelse, § 20"}},
                                                Json::array(), 7, nullptr})},
                         {"empty", Json::object()}};
  EXPECT_EQ(w.text(), Dump(expected));
}

TEST(JsonWriterTest, EscapesEveryStringAsTheLibraryDoes) {
  // Quotes and backslashes (the writer's own escaping); control characters, non-ASCII text in
  // one to four bytes, and bytes that are not UTF-8: a lone continuation byte, a cut-off
  // sequence, an overlong form, a surrogate, a code point above U+10FFFF.
  const std::vector<std::string> texts = {
      "",         "plain",        "say \"hej\"",      "C:\\sager",  "line\nbreak\ttab\x01",
      "æøå ÆØÅ",  "€ 100",        "\xF0\x9F\x98\x80", "\x80",       "\xC3",
      "\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "ok\xE2\x82", "\x7F del"};
  for (const std::string& text : texts) {
    JsonWriter w;
    w.String(text);
    EXPECT_EQ(w.text(), Dump(Json(text))) << "text of " << text.size() << " bytes";
  }
}

}  // namespace
}  // namespace tilsyn::server
