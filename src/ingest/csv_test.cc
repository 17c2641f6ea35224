#include "ingest/csv.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace tilsyn {
namespace {

struct Record {
  uint32_t line;
  std::vector<std::string> cells;
  bool operator==(const Record&) const = default;
};

void PrintTo(const Record& record, std::ostream* out) {
  *out << "line " << record.line << ":";
  for (const std::string& cell : record.cells) *out << " [" << cell << "]";
}

// Every record of `text`; fails the test when the text is malformed.
std::vector<Record> Tokenize(std::string_view text) {
  CsvTokenizer tokenizer(text);
  std::vector<Record> records;
  while (true) {
    const CsvStatus status = tokenizer.Next();
    if (status == CsvStatus::kEnd) break;
    if (status == CsvStatus::kMalformed) {
      ADD_FAILURE() << "malformed at line " << tokenizer.error().line << ": "
                    << tokenizer.error().message;
      break;
    }
    records.push_back({tokenizer.line(), {tokenizer.cells().begin(), tokenizer.cells().end()}});
  }
  return records;
}

TEST(CsvTokenizerTest, SplitsPlainRecords) {
  EXPECT_EQ(Tokenize("a,b,c\n1,2,3\n"),
            (std::vector<Record>{{1, {"a", "b", "c"}}, {2, {"1", "2", "3"}}}));
}

TEST(CsvTokenizerTest, LastLineWithoutLineBreak) {
  EXPECT_EQ(Tokenize("a,b\n1,2"), (std::vector<Record>{{1, {"a", "b"}}, {2, {"1", "2"}}}));
}

TEST(CsvTokenizerTest, EmptyCellsAtEveryPosition) {
  EXPECT_EQ(Tokenize(",x,\n,,\n"), (std::vector<Record>{{1, {"", "x", ""}}, {2, {"", "", ""}}}));
  // A comma at the very end of the text still opens a last, empty cell.
  EXPECT_EQ(Tokenize("a,"), (std::vector<Record>{{1, {"a", ""}}}));
}

TEST(CsvTokenizerTest, QuotedFieldsMayHoldCommasAndEscapedQuotes) {
  EXPECT_EQ(Tokenize("\"a,b\",\"say \"\"hi\"\"\",\"\"\n"),
            (std::vector<Record>{{1, {"a,b", "say \"hi\"", ""}}}));
  // "" alone in a quoted field is one quote.
  EXPECT_EQ(Tokenize("\"\"\"\"\n"), (std::vector<Record>{{1, {"\""}}}));
}

TEST(CsvTokenizerTest, EscapedCellsOfOneRecordDoNotOverwriteEachOther) {
  // Several unescaped cells share one buffer; each must keep its own text.
  const std::string long_text(200, 'x');
  const std::string text = "\"a\"\"1\",\"" + long_text + "\"\"\",\"b\"\"2\"\n\"c\"\"3\",d\n";
  EXPECT_EQ(Tokenize(text),
            (std::vector<Record>{{1, {"a\"1", long_text + "\"", "b\"2"}}, {2, {"c\"3", "d"}}}));
}

TEST(CsvTokenizerTest, QuotedFieldsMayHoldLineBreaksAndRowsCountThem) {
  const std::vector<Record> records = Tokenize(
      "id,reason\n"
      "E1,\"first line\nsecond line\nthird\"\n"
      "E2,plain\n"
      "E3,\"crlf\r\ninside\"\r\n"
      "E4,x\n");
  EXPECT_EQ(records, (std::vector<Record>{{1, {"id", "reason"}},
                                          {2, {"E1", "first line\nsecond line\nthird"}},
                                          {5, {"E2", "plain"}},
                                          {6, {"E3", "crlf\r\ninside"}},
                                          {8, {"E4", "x"}}}));
}

TEST(CsvTokenizerTest, CrLfLineEnds) {
  EXPECT_EQ(Tokenize("a,b\r\n1,2\r\n3,\"4\"\r\n"),
            (std::vector<Record>{{1, {"a", "b"}}, {2, {"1", "2"}}, {3, {"3", "4"}}}));
}

TEST(CsvTokenizerTest, ByteOrderMarkIsIgnored) {
  EXPECT_EQ(Tokenize("\xEF\xBB\xBFunit_id,kind\nK,municipality\n"),
            (std::vector<Record>{{1, {"unit_id", "kind"}}, {2, {"K", "municipality"}}}));
  EXPECT_EQ(Tokenize("\xEF\xBB\xBF\"unit_id\"\n"), (std::vector<Record>{{1, {"unit_id"}}}));
}

TEST(CsvTokenizerTest, BlankLinesHoldNoRecordButAreCounted) {
  EXPECT_EQ(Tokenize("a\n\n1\r\n\r\n2\n\n\n"),
            (std::vector<Record>{{1, {"a"}}, {3, {"1"}}, {5, {"2"}}}));
  EXPECT_EQ(Tokenize(""), std::vector<Record>{});
  EXPECT_EQ(Tokenize("\xEF\xBB\xBF"), std::vector<Record>{});
}

TEST(CsvTokenizerTest, KeepsSpacesAndUtf8AsGiven) {
  EXPECT_EQ(Tokenize(" a , Østerbro Børn og Unge \n"),
            (std::vector<Record>{{1, {" a ", " Østerbro Børn og Unge "}}}));
}

TEST(CsvTokenizerTest, UnclosedQuoteIsMalformed) {
  CsvTokenizer tokenizer("a,b\n1,\"never\nclosed\n");
  ASSERT_EQ(tokenizer.Next(), CsvStatus::kRow);
  ASSERT_EQ(tokenizer.Next(), CsvStatus::kMalformed);
  EXPECT_EQ(tokenizer.error().line, 2u);
  EXPECT_EQ(tokenizer.error().cell, 1u);
  EXPECT_EQ(tokenizer.error().message, "the quoted field is never closed");
  EXPECT_EQ(tokenizer.Next(), CsvStatus::kEnd);
}

TEST(CsvTokenizerTest, TextAfterClosingQuoteIsMalformed) {
  CsvTokenizer tokenizer("x\n\"multi\nline\"\n1,\"ab\"c,d\n");
  ASSERT_EQ(tokenizer.Next(), CsvStatus::kRow);
  ASSERT_EQ(tokenizer.Next(), CsvStatus::kRow);
  ASSERT_EQ(tokenizer.Next(), CsvStatus::kMalformed);
  EXPECT_EQ(tokenizer.error().line, 4u);
  EXPECT_EQ(tokenizer.error().cell, 1u);
  EXPECT_EQ(tokenizer.error().message, "text follows the closing quote of a quoted field");
}

TEST(CsvTokenizerTest, QuoteInsideUnquotedFieldIsMalformed) {
  CsvTokenizer tokenizer("a,5\" screen,c\n");
  ASSERT_EQ(tokenizer.Next(), CsvStatus::kMalformed);
  EXPECT_EQ(tokenizer.error().line, 1u);
  EXPECT_EQ(tokenizer.error().cell, 1u);
  EXPECT_EQ(tokenizer.error().message,
            "a quote inside an unquoted field (quote the whole field and double the quote)");
}

}  // namespace
}  // namespace tilsyn
