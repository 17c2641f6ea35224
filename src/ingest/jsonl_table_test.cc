#include "ingest/jsonl_table.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tilsyn {
namespace {

namespace fs = std::filesystem;

using Row = std::pair<uint32_t, std::vector<std::string>>;

// Every row a table hands out (row number and cells), and the error that ended it, if any.
struct TableContents {
  std::vector<Row> rows;
  std::string error;
  uint32_t error_row = 0;
};

TableContents ReadRows(TableSource& table) {
  TableContents contents;
  while (true) {
    Result<bool> next = table.Next();
    if (!next) {
      contents.error = next.error().message;
      contents.error_row = table.Row();
      return contents;
    }
    if (!*next) return contents;
    contents.rows.emplace_back(
        table.Row(), std::vector<std::string>(table.Cells().begin(), table.Cells().end()));
  }
}

std::vector<std::string> ColumnsOf(const TableSource& table) {
  return {table.Columns().begin(), table.Columns().end()};
}

class JsonlTableTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           fmt::format("tilsyn_jsonl_{}_{}",
                       ::testing::UnitTest::GetInstance()->current_test_info()->name(), getpid());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Writes `text` as t.jsonl and opens it.
  Result<std::unique_ptr<TableSource>> Open(std::string_view text) {
    std::ofstream(dir_ / "t.jsonl", std::ios::binary) << text;
    return OpenJsonlTable(dir_ / "t.jsonl", "t.jsonl");
  }
  // Writes `text` as t.jsonl and returns why it cannot be opened.
  std::string OpenError(std::string_view text) {
    Result<std::unique_ptr<TableSource>> table = Open(text);
    return table ? "(opened)" : table.error().message;
  }

  fs::path dir_;
};

TEST_F(JsonlTableTest, ReadsEveryKindOfValue) {
  Result<std::unique_ptr<TableSource>> table = Open(
      "{\"event_id\":\"E1\",\"amount\":21000,\"fte\":0.8,\"placement\":true,\"acute\":false,"
      "\"ref\":null}\n"
      "\n"
      "{\"event_id\":\"E2\",\"amount\":1e6,\"fte\":2.50,\"big\":18446744073709551615,"
      "\"neg\":-3,\"sum\":0.30000000000000004,\"whole\":1.0,\"zero\":-0.0}\n"
      "{\"reason\":\"ja, \\\"citat\\\" \\u00e6\",\"event_id\":\"E3\",\"x_note\":\"\"}\n");
  ASSERT_TRUE(table.has_value()) << table.error().message;
  TableSource& source = **table;
  EXPECT_EQ(source.Name(), "t.jsonl");
  // Keys in order of first appearance over the whole file.
  EXPECT_EQ(ColumnsOf(source),
            (std::vector<std::string>{"event_id", "amount", "fte", "placement", "acute", "ref",
                                      "big", "neg", "sum", "whole", "zero", "reason", "x_note"}));
  EXPECT_EQ(source.Row(), 1u);  // no header: messages about columns name the first line
  EXPECT_EQ(source.RowCountHint(), 3u);
  const TableContents contents = ReadRows(source);
  EXPECT_EQ(contents.error, "");
  // null, "" and a missing key are all an empty cell. 1e6 is written out (validation reads no
  // exponents), 2.50 and 1.0 lose their trailing zeros, -0 is 0, 0.1 + 0.2 keeps every digit
  // that tells it from 0.3, and the largest unsigned 64-bit integer is exact.
  EXPECT_EQ(contents.rows,
            (std::vector<Row>{
                {1, {"E1", "21000", "0.8", "true", "false", "", "", "", "", "", "", "", ""}},
                {3,
                 {"E2", "1000000", "2.5", "", "", "", "18446744073709551615", "-3",
                  "0.30000000000000004", "1", "0", "", ""}},
                {4, {"E3", "", "", "", "", "", "", "", "", "", "", "ja, \"citat\" æ", ""}},
            }));
}

TEST_F(JsonlTableTest, AcceptsAByteOrderMarkCrLfAndBlankLines) {
  Result<std::unique_ptr<TableSource>> table =
      Open("\xEF\xBB\xBF \r\n{\"a\":\"x\"}\r\n\t\r\n{\"a\":\"y\"}");
  ASSERT_TRUE(table.has_value()) << table.error().message;
  EXPECT_EQ(ColumnsOf(**table), std::vector<std::string>{"a"});
  EXPECT_EQ((*table)->Row(), 2u);  // the first line is blank
  const TableContents contents = ReadRows(**table);
  EXPECT_EQ(contents.error, "");
  EXPECT_EQ(contents.rows, (std::vector<Row>{{2, {"x"}}, {4, {"y"}}}));
}

TEST_F(JsonlTableTest, ArrayOrObjectValueEndsTheTableAtItsLine) {
  for (const std::string_view nested : {"[1,2]", "{\"x\":1}"}) {
    SCOPED_TRACE(nested);
    Result<std::unique_ptr<TableSource>> table =
        Open(fmt::format("{{\"a\":\"1\"}}\n{{\"a\":\"2\",\"at\":{}}}\n{{\"a\":\"3\"}}\n", nested));
    ASSERT_TRUE(table.has_value()) << table.error().message;
    // The failed line adds no column.
    EXPECT_EQ(ColumnsOf(**table), std::vector<std::string>{"a"});
    const TableContents contents = ReadRows(**table);
    EXPECT_EQ(contents.rows, (std::vector<Row>{{1, {"1"}}}));
    EXPECT_EQ(contents.error,
              "t.jsonl:2:at: a value must be a string, number, true, false or null");
    EXPECT_EQ(contents.error_row, 2u);
    // Nothing follows the error.
    Result<bool> after = (*table)->Next();
    ASSERT_TRUE(after.has_value());
    EXPECT_FALSE(*after);
  }
}

TEST_F(JsonlTableTest, LineThatIsNotJsonGivesTheParsersReason) {
  // Keys after the broken line still count as columns; its rows are never read.
  Result<std::unique_ptr<TableSource>> table = Open("{\"a\":1}\n{a:1}\n{\"a\":2,\"c\":3}\n");
  ASSERT_TRUE(table.has_value()) << table.error().message;
  EXPECT_EQ(ColumnsOf(**table), (std::vector<std::string>{"a", "c"}));
  const TableContents contents = ReadRows(**table);
  EXPECT_EQ(contents.rows, (std::vector<Row>{{1, {"1", ""}}}));
  EXPECT_EQ(contents.error,
            "t.jsonl:2: not a JSON object: syntax error while parsing object key - invalid "
            "literal; last read: '{a'; expected string literal (byte 2)");
  EXPECT_EQ(contents.error_row, 2u);
}

TEST_F(JsonlTableTest, NumberBeyondTheRangeOfADouble) {
  Result<std::unique_ptr<TableSource>> table = Open("{\"a\":1}\n{\"a\":1e400}\n");
  ASSERT_TRUE(table.has_value()) << table.error().message;
  // The parser stops after the number's last byte, the 10th of the line.
  EXPECT_EQ(ReadRows(**table).error,
            "t.jsonl:2: not a JSON object: number overflow parsing '1e400' (byte 10)");
}

TEST_F(JsonlTableTest, ParsersReasonIsCutAndMadeValidUtf8) {
  // \xFF is no UTF-8: the parser quotes it, the message shows U+FFFD; dump() escapes the quote.
  Result<std::unique_ptr<TableSource>> table = Open("{\"a\":1}\n{\"a\":\"\xFF\"}\n");
  ASSERT_TRUE(table.has_value()) << table.error().message;
  EXPECT_EQ(ReadRows(**table).error,
            "t.jsonl:2: not a JSON object: syntax error while parsing value - invalid string: "
            "ill-formed UTF-8 byte; last read: '\\\"\xEF\xBF\xBD' (byte 7)");

  // An unterminated string of 300 x: the reason quotes it all, and is cut after 200 bytes. The
  // parser counts bytes from 1 and stops at the end of the 306-byte line, byte 307.
  const std::string_view reason_start =
      "syntax error while parsing value - invalid string: missing closing quote; last read: '\"";
  table = Open(fmt::format("{{\"a\":1}}\n{{\"a\":\"{}\n", std::string(300, 'x')));
  ASSERT_TRUE(table.has_value()) << table.error().message;
  EXPECT_EQ(ReadRows(**table).error,
            fmt::format("t.jsonl:2: not a JSON object: {}{}… (byte 307)",
                        // The quote before the x's becomes \" in the message.
                        std::string(reason_start.substr(0, reason_start.size() - 1)) + "\\\"",
                        std::string(200 - reason_start.size(), 'x')));
}

TEST_F(JsonlTableTest, LineThatIsJsonButNoObject) {
  const std::vector<std::pair<std::string_view, std::string_view>> cases = {
      {"[1,2]", "an array"}, {"\"E1\"", "a string"}, {"42", "a number"},
      {"-1.5", "a number"},  {"true", "true"},       {"null", "null"},
  };
  for (const auto& [line, kind] : cases) {
    SCOPED_TRACE(line);
    Result<std::unique_ptr<TableSource>> table = Open(fmt::format("{{\"a\":1}}\n{}\n", line));
    ASSERT_TRUE(table.has_value()) << table.error().message;
    EXPECT_EQ(ReadRows(**table).error,
              fmt::format("t.jsonl:2: not a JSON object: the line holds {}", kind));
  }
}

TEST_F(JsonlTableTest, KeyGivenTwiceOnALine) {
  Result<std::unique_ptr<TableSource>> table =
      Open("{\"a\":1,\"b\":2}\n{\"b\":1,\"a\":2,\"b\":3}\n");
  ASSERT_TRUE(table.has_value()) << table.error().message;
  const TableContents contents = ReadRows(**table);
  EXPECT_EQ(contents.rows, (std::vector<Row>{{1, {"1", "2"}}}));
  EXPECT_EQ(contents.error, "t.jsonl:2:b: the key appears more than once on the line");
}

TEST_F(JsonlTableTest, EmptyFile) {
  for (const std::string_view text : {"", "\n \r\n\t\n", "\xEF\xBB\xBF"}) {
    EXPECT_EQ(OpenError(text),
              "t.jsonl: the file is empty (it must hold at least one JSON object)");
  }
}

TEST_F(JsonlTableTest, FileWithoutAnyObjectFailsAtOpenWithItsFirstProblem) {
  // Without an object there would be no columns, and only "missing columns" to say.
  EXPECT_EQ(OpenError("\n[1]\n{oops\n"), "t.jsonl:2: not a JSON object: the line holds an array");
  EXPECT_EQ(OpenError("{\"at\":[]}\n"),
            "t.jsonl:1:at: a value must be a string, number, true, false or null");
}

TEST_F(JsonlTableTest, MissingFileAndDirectory) {
  Result<std::unique_ptr<TableSource>> table = OpenJsonlTable(dir_ / "none.jsonl", "none.jsonl");
  ASSERT_FALSE(table.has_value());
  EXPECT_EQ(table.error().message, fmt::format("none.jsonl: file not found in {}", dir_.string()));

  fs::create_directory(dir_ / "d.jsonl");
  table = OpenJsonlTable(dir_ / "d.jsonl", "d.jsonl");
  ASSERT_FALSE(table.has_value());
  EXPECT_EQ(table.error().message, "d.jsonl: not a regular file");
}

}  // namespace
}  // namespace tilsyn
