#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tilsyn::server {

// Writes JSON text straight into a string, for the API's long lists (obligations, worklists,
// cases), where building a document first cost more than the rest of the request. The text is
// the same as nlohmann::ordered_json's compact dump of the same values with invalid UTF-8
// replaced (the API's other answers), which a test checks.
class JsonWriter {
 public:
  void BeginObject();
  void EndObject();
  void BeginArray();
  void EndArray();
  // The next member's name; a value must follow.
  void Key(std::string_view key);

  void String(std::string_view text);
  // `text`, or null when it is empty: the API's way of saying "none".
  void StringOrNull(std::string_view text);
  void Int(int64_t value);
  void Bool(bool value);
  void Null();

  void StringField(std::string_view key, std::string_view text) {
    Key(key);
    String(text);
  }
  void StringOrNullField(std::string_view key, std::string_view text) {
    Key(key);
    StringOrNull(text);
  }
  void IntField(std::string_view key, int64_t value) {
    Key(key);
    Int(value);
  }
  void BoolField(std::string_view key, bool value) {
    Key(key);
    Bool(value);
  }

  const std::string& text() const { return out_; }
  std::string Take() { return std::move(out_); }
  // Makes room for an answer of about `bytes`, so that writing it grows the text rarely.
  void Reserve(size_t bytes) { out_.reserve(bytes); }

 private:
  // A comma before every value of a container but its first (a member's value follows its key).
  void BeforeValue();
  // `text` as a JSON string.
  void Quoted(std::string_view text);
  // `text` escaped and with invalid UTF-8 replaced by the library, for the rare text that needs
  // more than quotes and backslashes escaped.
  void FullyEscaped(std::string_view text);

  std::string out_;
  std::vector<uint8_t> has_values_;  // per open container: whether it holds a value yet
  bool after_key_ = false;
};

}  // namespace tilsyn::server
