#include "bulwark/scan/report.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "bulwark/core/durable_file.h"
#include "bulwark/core/text_escape.h"
#include "bulwark/scan/shard_result.h"

namespace bulwark::scan {
namespace fs = std::filesystem;
namespace {

constexpr const char* kSettingsFile = "scan.json";
constexpr const char* kSummaryFile = "summary.json";

Result<std::string> ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError(ErrorCode::kNotFound, "cannot open " + path);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

// A scan's settings as recorded in DIR/scan.json, without the file's
// trailing newline (the form EnsureSameSettings compares).
Result<std::string> ReadSettings(const std::string& dir) {
  auto text = ReadText(dir + "/" + kSettingsFile);
  if (!text.ok()) return text.error();
  std::string s = std::move(*text);
  while (!s.empty() && s.back() == '\n') s.pop_back();
  return s;
}

// Streams the concatenation of `inputs` into `path` atomically.
Status Concatenate(const std::vector<std::string>& inputs,
                   const std::string& path) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    for (const std::string& in : inputs) {
      std::ifstream f(in, std::ios::binary);
      if (!f) return MakeError(ErrorCode::kIo, "cannot read " + in);
      if (f.peek() != std::ifstream::traits_type::eof()) out << f.rdbuf();
    }
    out.flush();
    if (!out) return MakeError(ErrorCode::kIo, "cannot write " + tmp);
  }
  Status s = SyncPath(tmp);
  if (!s.ok()) return s;
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    return MakeError(ErrorCode::kIo,
                     "cannot rename to " + path + ": " + ec.message());
  }
  return Ok{};
}

std::string SummaryJson(const ReportTotals& t, const std::string& settings) {
  std::ostringstream o;
  o << "{\n  \"shards\": " << t.shards << ",\n  \"failed_shards\": [";
  for (size_t i = 0; i < t.failed_shards.size(); ++i) {
    o << (i ? ", " : "") << JsonQuote(t.failed_shards[i]);
  }
  o << "],\n  \"samples\": " << t.samples << ",\n  \"images\": " << t.images
    << ",\n  \"hits\": " << t.hit_samples << ",\n  \"matches\": " << t.matches
    << ",\n  \"errors\": " << t.errors << ",\n  \"bytes\": " << t.bytes
    << ",\n  \"settings\": " << (settings.empty() ? "null" : settings)
    << "\n}\n";
  return o.str();
}

}  // namespace

Status EnsureSameSettings(const std::string& out_dir,
                          const std::string& settings_json, bool overwrite) {
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  if (ec) {
    return MakeError(ErrorCode::kIo,
                     "cannot create " + out_dir + ": " + ec.message());
  }
  const std::string path = out_dir + "/" + kSettingsFile;
  auto existing = ReadSettings(out_dir);
  if (existing.ok() && !overwrite) {
    const std::string& old = *existing;
    if (old == settings_json) return Ok{};
    return MakeError(
        ErrorCode::kInvalidArgument,
        out_dir + " holds results of a scan with other settings (" + old +
            "); use the same options, another --out, or "
            "--force to rescan everything");
  }
  return WriteFileDurably(path, settings_json + "\n");
}

Result<ReportTotals> AssembleReport(const std::string& out_dir) {
  auto ids = ListShardResults(out_dir);
  if (!ids.ok()) return ids.error();
  ReportTotals t;
  std::vector<std::string> matches, errors, removal;
  for (const std::string& id : *ids) {
    auto stats = ReadShardStats(out_dir, id);
    if (!stats.ok()) return stats.error();
    const ShardStats& s = **stats;
    ++t.shards;
    if (!s.complete) t.failed_shards.push_back(id);
    t.samples += s.samples;
    t.images += s.images;
    t.hit_samples += s.hit_samples;
    t.matches += s.matches;
    t.errors += s.errors;
    t.bytes += s.bytes;
    const std::string dir = ShardDir(out_dir, id);
    matches.push_back(dir + "/" + kMatchesFile);
    errors.push_back(dir + "/" + kErrorsFile);
    // Removal lists hold only the hits: small enough to sort in memory.
    std::ifstream in(dir + "/" + kRemovalFile);
    for (std::string line; std::getline(in, line);) {
      if (!line.empty()) removal.push_back(line);
    }
    Status st =
        WriteFileDurably(out_dir + "/" + id + "_stats.json", ShardStatsJson(s));
    if (!st.ok()) return st.error();
  }
  for (auto [inputs, name] :
       {std::pair{&matches, kMatchesFile}, std::pair{&errors, kErrorsFile}}) {
    Status st = Concatenate(*inputs, out_dir + "/" + name);
    if (!st.ok()) return st.error();
  }
  std::sort(removal.begin(), removal.end());
  removal.erase(std::unique(removal.begin(), removal.end()), removal.end());
  std::string text;
  for (const std::string& k : removal) text += k + "\n";
  Status st = WriteFileDurably(out_dir + "/" + kRemovalFile, text);
  if (!st.ok()) return st.error();
  auto settings = ReadSettings(out_dir);
  st = WriteFileDurably(out_dir + "/" + kSummaryFile,
                        SummaryJson(t, settings.ok() ? *settings : ""));
  if (!st.ok()) return st.error();
  return t;
}

Result<ReportTotals> MergeScans(const std::vector<std::string>& parts,
                                const std::string& out_dir) {
  if (parts.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "no scan results to merge");
  }
  // Check everything before writing anything.
  std::string settings;
  std::map<std::string, std::pair<std::string, std::string>> sources;  // id
  for (const std::string& part : parts) {
    auto s = ReadSettings(part);
    if (!s.ok()) {
      return MakeError(
          ErrorCode::kNotFound,
          part + " is not a scan output directory (no " + kSettingsFile + ")");
    }
    if (settings.empty()) {
      settings = *s;
    } else if (*s != settings) {
      return MakeError(ErrorCode::kInvalidArgument,
                       part + " was scanned with other settings than " +
                           parts[0] + "; merge only parts of one scan");
    }
    auto ids = ListShardResults(part);
    if (!ids.ok()) return ids.error();
    for (const std::string& id : *ids) {
      auto stats = ReadShardStats(part, id);
      if (!stats.ok()) return stats.error();
      auto [it, fresh] = sources.emplace(id, std::pair{part, (*stats)->path});
      if (!fresh && fs::weakly_canonical(it->second.first) !=
                        fs::weakly_canonical(part)) {
        if (it->second.second != (*stats)->path) {
          return MakeError(ErrorCode::kInvalidArgument,
                           "shard id " + id + " names " + it->second.second +
                               " in " + it->second.first + " but " +
                               (*stats)->path + " in " + part);
        }
        return MakeError(ErrorCode::kInvalidArgument,
                         "shard " + id + " was scanned in both " +
                             it->second.first + " and " + part +
                             "; parts must not overlap");
      }
    }
  }
  Status st = EnsureSameSettings(out_dir, settings, /*overwrite=*/false);
  if (!st.ok()) return st.error();
  for (const auto& [id, source] : sources) {
    const std::string from = ShardDir(source.first, id);
    if (fs::weakly_canonical(from) ==
        fs::weakly_canonical(ShardDir(out_dir, id))) {
      continue;  // merging into one of the parts
    }
    auto staging = MakeStagingDir(out_dir, id);
    if (!staging.ok()) return staging.error();
    std::error_code ec;
    fs::copy(from, *staging,
             fs::copy_options::recursive | fs::copy_options::overwrite_existing,
             ec);
    if (ec) {
      return MakeError(ErrorCode::kIo,
                       "cannot copy " + from + ": " + ec.message());
    }
    for (const auto& f : fs::directory_iterator(*staging)) {
      st = SyncPath(f.path().string());
      if (!st.ok()) return st.error();
    }
    st = CommitShard(*staging, out_dir, id);
    if (!st.ok()) return st.error();
  }
  return AssembleReport(out_dir);
}

}  // namespace bulwark::scan
