#include "bulwark/bank/export.h"

#include <gtest/gtest.h>

#include <random>
#include <set>
#include <sstream>
#include <tuple>

#include "bulwark/bank/import.h"
#include "bulwark/bank/sqlite_store.h"
#include "support/bank_test_util.h"

namespace bulwark::bank {
namespace {

using hash::SignalType;

// Everything an export promises to carry over, per entry.
using Content = std::tuple<std::string, std::string, std::string,
                           std::optional<int>, bool, std::string>;

std::set<Content> Contents(Store& store, int64_t bank_id) {
  std::set<Content> out;
  auto s = store.ForEachEntry(bank_id, [&](const Entry& e) {
    out.emplace(e.signal.ToTyped(), e.label, e.source_id, e.quality, e.disabled,
                e.disabled_reason);
  });
  EXPECT_TRUE(s.ok());
  return out;
}

class ExportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = SqliteStore::Open(tmp_.path());
    ASSERT_TRUE(s.ok());
    store_ = std::move(*s);
    BankInfo info;
    info.name = "source";
    source_ = store_->CreateBank(info)->id;
    std::mt19937_64 rng(11);
    std::vector<NewEntry> entries;
    const std::pair<SignalType, int> kinds[] = {{SignalType::kMd5, 32},
                                                {SignalType::kSha1, 40},
                                                {SignalType::kSha256, 64},
                                                {SignalType::kPdq, 64}};
    for (int i = 0; i < 40; ++i) {
      auto [type, digits] = kinds[i % 4];
      NewEntry e;
      e.signal = *hash::Signal::Parse(type, testing::RandomHex(rng, digits));
      if (i % 3 == 0) e.label = "label, with \"quotes\" \xC3\xA9";
      if (i % 5 == 0) e.source_id = "src-" + std::to_string(i);
      if (type == SignalType::kPdq) e.quality = i % 101;
      if (i % 7 == 0) e.retracted_reason = "retracted, upstream";
      if (i == 14) e.retracted_reason = "";  // a tombstone without a reason
      entries.push_back(std::move(e));
    }
    ASSERT_TRUE(store_->AddEntries(source_, entries).ok());
    int64_t some_id = 0;
    ASSERT_TRUE(store_
                    ->ForEachEntry(source_,
                                   [&](const Entry& e) {
                                     if (!e.disabled) some_id = e.id;
                                   })
                    .ok());
    ASSERT_TRUE(store_->DisableEntry(some_id, "manual review").ok());
  }

  int64_t NewBank(const std::string& name) {
    BankInfo info;
    info.name = name;
    return store_->CreateBank(info)->id;
  }

  testing::BankTempDir tmp_;
  std::unique_ptr<SqliteStore> store_;
  int64_t source_ = 0;
};

TEST_F(ExportTest, CsvHasTheDocumentedHeaderAndRows) {
  std::ostringstream out;
  auto n = ExportBank(*store_, source_, ExportFormat::kCsv, out);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 40);
  const std::string text = out.str();
  EXPECT_EQ(text.substr(0, text.find('\n')),
            "type,value,label,source_id,quality,disabled,disabled_reason,"
            "added_at");
  EXPECT_NE(text.find("\"label, with \"\"quotes\"\" \xC3\xA9\""),
            std::string::npos);
  EXPECT_NE(text.find(",true,\"retracted, upstream\","), std::string::npos);
}

TEST_F(ExportTest, CsvExportReimportsToTheSameContents) {
  std::ostringstream out;
  ASSERT_TRUE(ExportBank(*store_, source_, ExportFormat::kCsv, out).ok());
  const int64_t copy = NewBank("copy");
  std::istringstream in(out.str());
  auto report = ImportStream(*store_, copy, in, ImportOptions{});
  ASSERT_TRUE(report.ok()) << report.error().ToString();
  EXPECT_EQ(report->format, ImportFormat::kCsv);
  EXPECT_EQ(Contents(*store_, copy), Contents(*store_, source_));
  EXPECT_EQ(Contents(*store_, copy).size(), 40u);
}

TEST_F(ExportTest, JsonlExportReimportsToTheSameContents) {
  std::ostringstream out;
  ASSERT_TRUE(ExportBank(*store_, source_, ExportFormat::kJsonl, out).ok());
  const int64_t copy = NewBank("copy");
  std::istringstream in(out.str());
  auto report = ImportStream(*store_, copy, in, ImportOptions{});
  ASSERT_TRUE(report.ok()) << report.error().ToString();
  EXPECT_EQ(report->format, ImportFormat::kJsonl);
  EXPECT_EQ(Contents(*store_, copy), Contents(*store_, source_));
}

TEST_F(ExportTest, UnknownFormatNamesAreErrors) {
  EXPECT_EQ(*ParseExportFormat("jsonl"), ExportFormat::kJsonl);
  EXPECT_FALSE(ParseExportFormat("xml").ok());
}

}  // namespace
}  // namespace bulwark::bank
