// Importers: every format with good and bad input. All hash values here are
// synthetic hex patterns.
#include "bulwark/bank/import.h"

#include <gtest/gtest.h>

#include <sstream>

#include "bulwark/bank/sqlite_store.h"
#include "support/bank_test_util.h"

namespace bulwark::bank {
namespace {

using hash::SignalType;

const std::string kMd5 = "0123456789abcdef0123456789abcdef";
const std::string kSha1 = "00112233445566778899aabbccddeeff00112233";
const std::string kHex64 =
    "f0e1d2c3b4a5968778695a4b3c2d1e0ff0e1d2c3b4a5968778695a4b3c2d1e0f";
const std::string kHex64b =
    "1111222233334444555566667777888899990000aaaabbbbccccddddeeeeffff";

ParsedImport Parse(const std::string& text, ImportOptions options = {}) {
  std::istringstream in(text);
  auto r = ParseImport(in, options);
  EXPECT_TRUE(r.ok()) << r.error().ToString();
  return r.ok() ? std::move(*r) : ParsedImport{};
}

Error ParseError(const std::string& text, ImportOptions options = {}) {
  std::istringstream in(text);
  auto r = ParseImport(in, options);
  EXPECT_FALSE(r.ok());
  return r.ok() ? Error{} : r.error();
}

bool HasIssue(const ParsedImport& p, int64_t line, const std::string& part) {
  for (const auto& i : p.issues) {
    if (i.line == line && i.message.find(part) != std::string::npos) {
      return true;
    }
  }
  return false;
}

std::string Issues(const ParsedImport& p) {
  return DescribeIssues(p, 100, false);
}

TEST(ImportDetect, FromContent) {
  EXPECT_EQ(DetectImportFormat("<?xml version=\"1.0\"?><queryResult/>"),
            ImportFormat::kNcmecXml);
  EXPECT_EQ(DetectImportFormat("\n  {\"value\":\"x\"}\n"),
            ImportFormat::kJsonl);
  EXPECT_EQ(DetectImportFormat("# comment\ntype,value\n"), ImportFormat::kCsv);
  EXPECT_EQ(DetectImportFormat("\xEF\xBB\xBFhash,label\n"), ImportFormat::kCsv);
  EXPECT_EQ(DetectImportFormat("# c\n\n" + kMd5 + "\n"), ImportFormat::kLines);
  EXPECT_EQ(DetectImportFormat(""), ImportFormat::kLines);
  EXPECT_EQ(*ParseImportFormat("ncmec-xml"), ImportFormat::kNcmecXml);
  EXPECT_FALSE(ParseImportFormat("xlsx").ok());
}

TEST(ImportDetect, ExplicitFormatOverridesDetection) {
  // Looks like CSV (a comma) but is read as lines on request: an issue.
  ImportOptions o;
  o.format = ImportFormat::kLines;
  auto p = Parse(kMd5 + ",x\n", o);
  EXPECT_EQ(p.format, ImportFormat::kLines);
  EXPECT_EQ(p.issue_count, 1);
}

TEST(ImportLines, TypesAndLengths) {
  const std::string text = "# a list\n\n" + kMd5 + "\r\n  " + kSha1 +
                           "  \npdq:" + kHex64 + "\nSHA256:" + kHex64b +
                           "\n0123456789ABCDEF0123456789ABCDEF";
  auto p = Parse(text);
  ASSERT_EQ(p.issue_count, 0) << Issues(p);
  ASSERT_EQ(p.entries.size(), 5u);
  EXPECT_EQ(p.records, 5);
  EXPECT_EQ(p.entries[0].signal.ToTyped(), "md5:" + kMd5);
  EXPECT_EQ(p.entries[1].signal.ToTyped(), "sha1:" + kSha1);
  EXPECT_EQ(p.entries[2].signal.ToTyped(), "pdq:" + kHex64);
  EXPECT_EQ(p.entries[3].signal.ToTyped(), "sha256:" + kHex64b);
  EXPECT_EQ(p.entries[4].signal.ToTyped(), "md5:" + kMd5);  // lowercased
}

TEST(ImportLines, SixtyFourDigitsNeedAType) {
  auto p = Parse(kMd5 + "\n" + kHex64 + "\n");
  EXPECT_EQ(p.issue_count, 1);
  EXPECT_TRUE(HasIssue(p, 2, "sha256 or pdq")) << Issues(p);

  ImportOptions o;
  o.signal_type = SignalType::kPdq;
  p = Parse(kHex64 + "\n", o);
  ASSERT_EQ(p.issue_count, 0);
  EXPECT_EQ(p.entries[0].signal.type(), SignalType::kPdq);
  // The explicit type applies to every bare value: an md5 is now an error.
  p = Parse(kMd5 + "\n", o);
  EXPECT_TRUE(HasIssue(p, 1, "a pdq hash is 64 hex digits")) << Issues(p);
}

TEST(ImportLines, BadLinesAreIssuesWithLineNumbers) {
  const std::string text = kMd5 + "\n" +
                           "0123456789abcdef0123456789abcdeg\n" +  // non-hex
                           "abc\n" +                               // length
                           "crc32:" + kMd5 + "\n" +                // type
                           std::string(70000, 'a') + "\n" +        // too long
                           kSha1 + "\n";
  auto p = Parse(text);
  EXPECT_EQ(p.entries.size(), 2u);
  EXPECT_EQ(p.issue_count, 4) << Issues(p);
  EXPECT_TRUE(HasIssue(p, 2, "bad md5 hash")) << Issues(p);
  EXPECT_TRUE(HasIssue(p, 3, "3 characters")) << Issues(p);
  EXPECT_TRUE(HasIssue(p, 4, "unknown hash type 'crc32'")) << Issues(p);
  EXPECT_TRUE(HasIssue(p, 5, "longer than 64 KiB")) << Issues(p);
}

TEST(ImportLines, BinaryGarbageIsIssuesNotACrash) {
  std::string junk;
  for (int i = 0; i < 5000; ++i) junk += static_cast<char>((i * 131) & 0xff);
  auto p = Parse(junk, ImportOptions{ImportFormat::kLines, {}, false, 10});
  EXPECT_GT(p.issue_count, 0);
  EXPECT_TRUE(p.entries.empty());
}

TEST(ImportCsv, ColumnsInAnyOrderWithAliasesAndQuoting) {
  const std::string text =
      "extra,Label,quality,hash,source_id,signal_type\n"
      "x,\"a, b\",90," +
      kHex64 +
      ",id-1,pdq\n"
      "y,\"say \"\"hi\"\"\",," +
      kMd5 +
      ",,\n"
      "z,,5,sha1:" +
      kSha1 + ",7,\n";
  auto p = Parse(text);
  EXPECT_EQ(p.format, ImportFormat::kCsv);
  ASSERT_EQ(p.issue_count, 0) << Issues(p);
  ASSERT_EQ(p.entries.size(), 3u);
  EXPECT_EQ(p.entries[0].signal.ToTyped(), "pdq:" + kHex64);
  EXPECT_EQ(p.entries[0].label, "a, b");
  EXPECT_EQ(p.entries[0].quality, 90);
  EXPECT_EQ(p.entries[0].source_id, "id-1");
  EXPECT_EQ(p.entries[1].label, "say \"hi\"");
  EXPECT_FALSE(p.entries[1].quality.has_value());
  EXPECT_EQ(p.entries[1].signal.type(), SignalType::kMd5);
  EXPECT_EQ(p.entries[2].signal.ToTyped(), "sha1:" + kSha1);
  EXPECT_EQ(p.entries[2].source_id, "7");
}

// The output of `bulwark hash --format csv`: one entry per filled hash
// column, quality going with the PDQ hash only; a row without any hash
// (a file that failed to hash) is an issue.
TEST(ImportCsv, HashCommandOutputGivesOneEntryPerHashColumn) {
  const std::string text =
      "path,pdq,quality,md5,sha1,sha256,width,height,error\n"
      "a.jpg," +
      kHex64 + ",87," + kMd5 + "," + kSha1 + "," + kHex64b +
      ",10,10,\n"
      "b.txt,,," +
      kMd5 +
      ",,,,,invalid-argument: not an image\n"
      "c.png,,,,,,,,corrupt: truncated\n";
  auto p = Parse(text);
  EXPECT_EQ(p.format, ImportFormat::kCsv);
  ASSERT_EQ(p.entries.size(), 5u) << Issues(p);
  EXPECT_EQ(p.entries[0].signal.ToTyped(), "pdq:" + kHex64);
  EXPECT_EQ(p.entries[0].quality, 87);
  EXPECT_EQ(p.entries[1].signal.ToTyped(), "md5:" + kMd5);
  EXPECT_FALSE(p.entries[1].quality.has_value());
  EXPECT_EQ(p.entries[2].signal.ToTyped(), "sha1:" + kSha1);
  EXPECT_EQ(p.entries[3].signal.ToTyped(), "sha256:" + kHex64b);
  EXPECT_EQ(p.entries[4].signal.ToTyped(), "md5:" + kMd5);
  EXPECT_EQ(p.issue_count, 1);
  EXPECT_TRUE(HasIssue(p, 4, "no hash in this row")) << Issues(p);
}

// A quoted newline continues the record on the next line; it is then
// rejected as a control character in a label, at the record's first line.
TEST(ImportCsv, CommentsMayPrecedeTheHeader) {
  auto p = Parse("# exported list\n\ntype,value\nmd5," + kMd5 + "\n");
  EXPECT_EQ(p.format, ImportFormat::kCsv);
  ASSERT_EQ(p.issue_count, 0) << Issues(p);
  EXPECT_EQ(p.entries.size(), 1u);
}

TEST(ImportCsv, QuotedNewlineKeepsRecordLineNumbers) {
  const std::string text =
      "value,label\n" + kMd5 + ",\"two\nlines\"\n" + "nothex,ok\n";
  auto p = Parse(text);
  EXPECT_EQ(p.records, 2);
  EXPECT_TRUE(HasIssue(p, 2, "control character")) << Issues(p);
  EXPECT_TRUE(HasIssue(p, 4, "6 characters")) << Issues(p);
}

TEST(ImportCsv, BadRowsAreIssuesWithLineNumbers) {
  const std::string text =
      "type,value,label,quality\n"  // line 1
      "md5," +
      kMd5 + ",ok,\n" +                      // 2 good
      "md5," + kMd5 + "\n" +                 // 3 too few columns
      "md5," + kMd5 + ",a,1,extra\n" +       // 4 too many
      "md4," + kMd5 + ",a,\n" +              // 5 unknown type
      "sha1," + kMd5 + ",a,\n" +             // 6 wrong length
      "md5," + kMd5 + ",\xC3\x28,\n" +       // 7 invalid UTF-8
      "md5," + kMd5 + ",a,101\n" +           // 8 quality range
      "md5," + kMd5 + ",a\"b,\n" +           // 9 stray quote
      "md5," + kMd5 + ",\"a\"b,\n" +         // 10 text after quote
      "md5,zz" + kMd5.substr(2) + ",a,\n" +  // 11 non-hex
      "md5," + kMd5 + ",\"open\n";           // 12 never closed
  auto p = Parse(text);
  EXPECT_EQ(p.entries.size(), 1u);
  EXPECT_EQ(p.issue_count, 10) << Issues(p);
  EXPECT_TRUE(HasIssue(p, 3, "expected 4 columns")) << Issues(p);
  EXPECT_TRUE(HasIssue(p, 4, "got 5")) << Issues(p);
  EXPECT_TRUE(HasIssue(p, 5, "unknown hash type 'md4'")) << Issues(p);
  EXPECT_TRUE(HasIssue(p, 6, "a sha1 hash is 40 hex digits")) << Issues(p);
  EXPECT_TRUE(HasIssue(p, 7, "not valid UTF-8")) << Issues(p);
  EXPECT_TRUE(HasIssue(p, 8, "quality")) << Issues(p);
  EXPECT_TRUE(HasIssue(p, 9, "quote inside an unquoted field")) << Issues(p);
  EXPECT_TRUE(HasIssue(p, 10, "after a closing quote")) << Issues(p);
  EXPECT_TRUE(HasIssue(p, 11, "bad md5")) << Issues(p);
  EXPECT_TRUE(HasIssue(p, 12, "never closed")) << Issues(p);
}

TEST(ImportCsv, HeaderProblemsAreErrors) {
  auto e = ParseError("label,quality\nx,1\n");
  EXPECT_NE(e.message.find("no value column"), std::string::npos) << e.message;
  e = ParseError("value,hash\n" + kMd5 + "," + kMd5 + "\n");
  EXPECT_NE(e.message.find("twice"), std::string::npos) << e.message;
  ImportOptions o;
  o.format = ImportFormat::kCsv;
  e = ParseError("", o);
  EXPECT_NE(e.message.find("no header"), std::string::npos) << e.message;
}

TEST(ImportJsonl, ReadsObjects) {
  const std::string text =
      "{\"value\":\"" + kHex64 +
      "\",\"type\":\"sha256\",\"label\":\"l\","
      "\"id\":12345,\"quality\":null,\"other\":[1,2]}\n"
      "\n"
      "{\"hash\":\"pdq:" +
      kHex64b +
      "\",\"source_id\":\"s\",\"quality\":77,"
      "\"disabled\":true,\"disabled_reason\":\"retracted\"}\n";
  auto p = Parse(text);
  EXPECT_EQ(p.format, ImportFormat::kJsonl);
  ASSERT_EQ(p.issue_count, 0) << Issues(p);
  ASSERT_EQ(p.entries.size(), 2u);
  EXPECT_EQ(p.entries[0].signal.ToTyped(), "sha256:" + kHex64);
  EXPECT_EQ(p.entries[0].source_id, "12345");
  EXPECT_EQ(p.entries[0].label, "l");
  EXPECT_EQ(p.entries[1].signal.ToTyped(), "pdq:" + kHex64b);
  EXPECT_EQ(p.entries[1].quality, 77);
  EXPECT_EQ(p.entries[1].retracted_reason, "retracted");
}

TEST(ImportJsonl, BadLinesAreIssues) {
  const std::string text =
      "{\"value\":\"" + kMd5 + "\"}\n" +                       // 1 good
      "{\"value\":\"" + kMd5 + "\"\n" +                        // 2 bad JSON
      "[1,2]\n" +                                              // 3 not object
      "{\"label\":\"no hash\"}\n" +                            // 4 no value
      "{\"value\":5}\n" +                                      // 5 wrong type
      "{\"value\":\"" + kMd5 + "\",\"quality\":\"high\"}\n" +  // 6
      "{\"value\":\"" + kMd5 + "\",\"disabled\":\"yes\"}\n" +  // 7
      "{\"value\":\"" + kMd5 + "\",\"hash\":\"" + kMd5 + "\"}\n" +  // 8 twice
      "{\"value\":\"" + kMd5 + "\",\"label\":\"\\u0001\"}\n" +      // 9 control
      "{\"value\":\"" + kMd5 + "\",\"label\":\"\xFF\"}\n" +  // 10 bad UTF-8
      std::string(100, '[') + "\n";                          // 11 deep
  auto p = Parse(text);
  EXPECT_EQ(p.entries.size(), 1u);
  EXPECT_EQ(p.issue_count, 10) << Issues(p);
  EXPECT_TRUE(HasIssue(p, 2, "not valid JSON")) << Issues(p);
  EXPECT_TRUE(HasIssue(p, 3, "expected a JSON object")) << Issues(p);
  EXPECT_TRUE(HasIssue(p, 4, "no hash")) << Issues(p);
  EXPECT_TRUE(HasIssue(p, 5, "must be a string")) << Issues(p);
  EXPECT_TRUE(HasIssue(p, 6, "quality")) << Issues(p);
  EXPECT_TRUE(HasIssue(p, 7, "disabled")) << Issues(p);
  EXPECT_TRUE(HasIssue(p, 8, "twice")) << Issues(p);
  EXPECT_TRUE(HasIssue(p, 9, "control character")) << Issues(p);
  EXPECT_TRUE(HasIssue(p, 10, "not valid JSON")) << Issues(p);
  EXPECT_TRUE(HasIssue(p, 11, "not valid JSON")) << Issues(p);
}

std::string NcmecDoc(const std::string& body) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
         "<queryResult xmlns=\"https://hashsharing.ncmec.org/hashsharing/v2\">"
         "\n" +
         body + "</queryResult>\n";
}

TEST(ImportNcmecXml, ReadsEntriesDeletionsAndCountsUnsupported) {
  const std::string doc = NcmecDoc(
      "<images count=\"2\" maxTimestamp=\"2020-01-01T00:00:00Z\">\n"
      "  <image>\n"
      "    <member id=\"42\">Example Member</member>\n"
      "    <timestamp>2020-01-01T00:00:00Z</timestamp>\n"
      "    <id>img-1</id>\n"
      "    <classification>A1</classification>\n"
      "    <fingerprints>\n"
      "      <md5>" +
      kMd5 +
      "</md5>\n"
      "      <sha1>" +
      kSha1 +
      "</sha1>\n"
      "      <pdna>AAAA</pdna>\n"
      "      <pdq>" +
      kHex64 +
      "</pdq>\n"
      "    </fingerprints>\n"
      "    <feedback/>\n"
      "  </image>\n"
      "  <deletedImage><member id=\"43\">M</member><id>img-0</id>"
      "</deletedImage>\n"
      "</images>\n"
      "<videos count=\"1\">\n"
      "  <video><id>vid-1</id><fingerprints>\n"
      "    <md5>" +
      std::string(32, 'b') +
      "</md5>\n"
      "    <tmk-pdqf rel=\"self\" href=\"/v2/x\"/>\n"
      "    <videntifier rel=\"self\" href=\"/v2/y\"/>\n"
      "  </fingerprints></video>\n"
      "  <deletedVideo><id>vid-0</id></deletedVideo>\n"
      "</videos>\n"
      "<paging><next>/v2/entries?start=2&amp;size=1</next></paging>\n");
  auto p = Parse(doc);
  EXPECT_EQ(p.format, ImportFormat::kNcmecXml);
  ASSERT_EQ(p.issue_count, 0) << Issues(p);
  EXPECT_EQ(p.records, 4);
  EXPECT_EQ(p.unsupported_fingerprints, 3);
  ASSERT_EQ(p.entries.size(), 4u);
  EXPECT_EQ(p.entries[0].signal.ToTyped(), "md5:" + kMd5);
  EXPECT_EQ(p.entries[0].source_id, "img-1");
  EXPECT_EQ(p.entries[0].label, "A1");
  EXPECT_EQ(p.entries[1].signal.ToTyped(), "sha1:" + kSha1);
  EXPECT_EQ(p.entries[2].signal.ToTyped(), "pdq:" + kHex64);
  EXPECT_EQ(p.entries[3].source_id, "vid-1");
  EXPECT_EQ(p.entries[3].label, "");
  ASSERT_EQ(p.retractions.size(), 2u);
  EXPECT_EQ(p.retractions[0].source_id, "img-0");
  EXPECT_EQ(p.retractions[1].source_id, "vid-0");
}

TEST(ImportNcmecXml, BadFingerprintIsAnIssueAtItsLine) {
  const std::string doc = NcmecDoc(
      "<images>\n"
      "<image><id>a</id><fingerprints>\n"
      "<md5>not-a-hash</md5>\n"  // line 5
      "<sha1>" +
      kSha1 +
      "</sha1>\n"
      "</fingerprints></image>\n"
      "<deletedImage></deletedImage>\n"  // line 8
      "</images>\n");
  auto p = Parse(doc);
  EXPECT_EQ(p.entries.size(), 1u);
  EXPECT_EQ(p.issue_count, 2);
  EXPECT_TRUE(HasIssue(p, 5, "entry 'a'")) << Issues(p);
  EXPECT_TRUE(HasIssue(p, 8, "without an <id>")) << Issues(p);
}

TEST(ImportNcmecXml, RejectsEntityBombsDoctypesDepthAndBadXml) {
  const std::string bomb =
      "<?xml version=\"1.0\"?>\n"
      "<!DOCTYPE lolz [\n"
      " <!ENTITY lol \"lol\">\n"
      " <!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
      " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
      "]>\n"
      "<queryResult>&lol3;</queryResult>\n";
  auto e = ParseError(bomb);
  EXPECT_EQ(e.code, ErrorCode::kCorrupt);
  EXPECT_NE(e.message.find("DOCTYPE is not allowed"), std::string::npos)
      << e.message;

  const std::string external =
      "<?xml version=\"1.0\"?>\n<!DOCTYPE q SYSTEM \"file:///etc/passwd\">\n"
      "<queryResult/>\n";
  e = ParseError(external);
  EXPECT_NE(e.message.find("DOCTYPE"), std::string::npos) << e.message;

  std::string deep = "<queryResult>";
  for (int i = 0; i < 100; ++i) deep += "<a>";
  e = ParseError(deep);
  EXPECT_NE(e.message.find("nested deeper than 64"), std::string::npos)
      << e.message;

  e = ParseError("<queryResult><images><image></images></queryResult>");
  EXPECT_NE(e.message.find("XML error at line 1"), std::string::npos)
      << e.message;
  e = ParseError("<other/>");
  EXPECT_NE(e.message.find("root element is 'other'"), std::string::npos)
      << e.message;
  e = ParseError(NcmecDoc("<images><image><id>" + std::string(70000, 'x') +
                          "</id></image></images>"));
  EXPECT_NE(e.message.find("longer than 64 KiB"), std::string::npos)
      << e.message;
}

TEST(ImportNcmecXml, StreamsALargeDocument) {
  // ~20 MB through 64 KiB chunks; each entry distinct.
  std::string body = "<images>\n";
  char md5[33];
  for (int i = 0; i < 100000; ++i) {
    std::snprintf(md5, sizeof md5, "%032x", i);
    body += "<image><id>e";
    body += std::to_string(i);
    body += "</id><fingerprints><md5>";
    body += md5;
    body +=
        "</md5><pdna>AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA</pdna>"
        "</fingerprints></image>\n";
  }
  body += "</images>\n";
  auto p = Parse(NcmecDoc(body));
  EXPECT_EQ(p.issue_count, 0);
  EXPECT_EQ(p.entries.size(), 100000u);
  EXPECT_EQ(p.unsupported_fingerprints, 100000);
}

class ImportIntoStore : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = SqliteStore::Open(tmp_.path());
    ASSERT_TRUE(s.ok());
    store_ = std::move(*s);
    BankInfo info;
    info.name = "imports";
    auto b = store_->CreateBank(info);
    ASSERT_TRUE(b.ok());
    bank_id_ = b->id;
  }
  Result<ImportReport> Import(const std::string& text, ImportOptions o = {}) {
    const std::string path = tmp_.path() + "/list.txt";
    testing::BankWriteFile(path, text);
    return ImportFile(*store_, bank_id_, path, o);
  }

  testing::BankTempDir tmp_;
  std::unique_ptr<SqliteStore> store_;
  int64_t bank_id_ = 0;
};

TEST_F(ImportIntoStore, AnyBadLineFailsTheWholeImport) {
  std::string text = "type,value\n";
  for (int i = 0; i < 30; ++i) {
    char md5[33];
    std::snprintf(md5, sizeof md5, "%032x", i);
    text += std::string("md5,") + (i % 2 ? md5 : "bad") + "\n";
  }
  auto r = Import(text);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  const std::string& m = r.error().message;
  EXPECT_NE(m.find("15 invalid records; nothing was imported"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("line 2: "), std::string::npos) << m;
  EXPECT_NE(m.find("line 20: "), std::string::npos) << m;
  EXPECT_EQ(m.find("line 22: "), std::string::npos) << m;  // first 10 shown
  EXPECT_NE(m.find("... and 5 more"), std::string::npos) << m;
  EXPECT_NE(m.find("list.txt"), std::string::npos) << m;
  EXPECT_EQ(*store_->CountEntries(bank_id_, true), 0);

  ImportOptions skip;
  skip.skip_invalid = true;
  auto s = Import(text, skip);
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  EXPECT_EQ(s->stats.added, 15);
  EXPECT_EQ(s->skipped, 15);
  EXPECT_EQ(s->records, 30);
  ASSERT_EQ(s->issues.size(), 15u);
  EXPECT_EQ(s->issues[0].line, 2);
  EXPECT_EQ(*store_->CountEntries(bank_id_, true), 15);
}

TEST_F(ImportIntoStore, ImportingTheSameFileTwiceChangesNothing) {
  const std::string text =
      "# list\n" + kMd5 + "\n" + kSha1 + "\npdq:" + kHex64 + "\n";
  auto first = Import(text);
  ASSERT_TRUE(first.ok()) << first.error().ToString();
  EXPECT_EQ(first->stats.added, 3);
  int64_t seq = 0;
  seq = *store_->ForEachChange(0, [](const Entry&) {});
  auto second = Import(text);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->stats.added, 0);
  EXPECT_EQ(second->stats.unchanged, 3);
  EXPECT_FALSE(second->stats.changed());
  EXPECT_EQ(*store_->ForEachChange(seq, [](const Entry&) {}), seq);
}

TEST_F(ImportIntoStore, NcmecDeletionsTombstoneEarlierEntries) {
  auto first = Import(NcmecDoc("<images><image><id>x1</id><fingerprints><md5>" +
                               kMd5 + "</md5><sha1>" + kSha1 +
                               "</sha1></fingerprints></image></images>"));
  ASSERT_TRUE(first.ok()) << first.error().ToString();
  EXPECT_EQ(first->stats.added, 2);
  auto second = Import(
      NcmecDoc("<images><deletedImage><id>x1</id></deletedImage></images>"));
  ASSERT_TRUE(second.ok()) << second.error().ToString();
  EXPECT_EQ(second->stats.tombstoned, 2);
  EXPECT_EQ(*store_->CountEntries(bank_id_, false), 0);
  // The hash coming back in a later file stays retracted.
  auto third = Import(kMd5 + "\n");
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(third->stats.skipped_tombstoned, 1);
  EXPECT_EQ(*store_->CountEntries(bank_id_, false), 0);
}

TEST_F(ImportIntoStore, MissingFileIsNotFound) {
  auto r = ImportFile(*store_, bank_id_, tmp_.path() + "/absent.csv", {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace bulwark::bank
