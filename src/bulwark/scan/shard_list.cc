#include "bulwark/scan/shard_list.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string_view>
#include <system_error>

namespace bulwark::scan {
namespace {

// Brace expansion of one argument can multiply; past this many paths the
// argument is almost surely a typo (an extra digit in a range bound).
constexpr uint64_t kMaxExpansion = 10'000'000;

constexpr std::array<std::string_view, 8> kTarSuffixes = {
    ".tar.gz", ".tar.zst", ".tar.zstd", ".tar.bz2",
    ".tar.xz", ".tgz",     ".tzst",     ".tar"};

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(),
                                   [](char c) { return c >= '0' && c <= '9'; });
}

// The matching '}' of the '{' at `open`, or npos when unbalanced.
size_t MatchingBrace(const std::string& s, size_t open) {
  int depth = 0;
  for (size_t i = open; i < s.size(); ++i) {
    if (s[i] == '{') ++depth;
    if (s[i] == '}' && --depth == 0) return i;
  }
  return std::string::npos;
}

// Splits the inside of a brace group at its top-level commas.
std::vector<std::string> SplitTopLevel(std::string_view inner) {
  std::vector<std::string> parts;
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i < inner.size(); ++i) {
    if (inner[i] == '{') ++depth;
    if (inner[i] == '}') --depth;
    if (inner[i] == ',' && depth == 0) {
      parts.emplace_back(inner.substr(start, i - start));
      start = i + 1;
    }
  }
  parts.emplace_back(inner.substr(start));
  return parts;
}

// "A..B" with decimal bounds, or nullopt when `inner` is not a range (then
// the braces are literal). Zero padding is kept as in bash: when either
// bound has a leading zero, every item has the width of the longer bound.
Result<std::optional<std::vector<std::string>>> ExpandRange(
    std::string_view inner, const std::string& arg) {
  const size_t dots = inner.find("..");
  if (dots == std::string_view::npos)
    return std::optional<std::vector<std::string>>();
  const std::string_view lo_text = inner.substr(0, dots);
  const std::string_view hi_text = inner.substr(dots + 2);
  if (!AllDigits(lo_text) || !AllDigits(hi_text))
    return std::optional<std::vector<std::string>>();
  if (lo_text.size() > 18 || hi_text.size() > 18) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "range bound too large in '" + arg + "'");
  }
  uint64_t lo = 0, hi = 0;
  std::from_chars(lo_text.data(), lo_text.data() + lo_text.size(), lo);
  std::from_chars(hi_text.data(), hi_text.data() + hi_text.size(), hi);
  const uint64_t count = (lo <= hi ? hi - lo : lo - hi) + 1;
  if (count > kMaxExpansion) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "range of " + std::to_string(count) + " items in '" + arg +
                         "' (at most 10,000,000)");
  }
  const bool padded = (lo_text.size() > 1 && lo_text[0] == '0') ||
                      (hi_text.size() > 1 && hi_text[0] == '0');
  const size_t width = padded ? std::max(lo_text.size(), hi_text.size()) : 0;
  std::vector<std::string> items;
  items.reserve(count);
  for (uint64_t i = 0; i < count; ++i) {
    std::string item = std::to_string(lo <= hi ? lo + i : lo - i);
    if (item.size() < width) item.insert(0, width - item.size(), '0');
    items.push_back(std::move(item));
  }
  return std::optional<std::vector<std::string>>(std::move(items));
}

// Expands the brace groups of `s` at or after `from` (everything before
// `from` is already literal), appending results to `out`.
Status ExpandBraces(const std::string& s, size_t from, const std::string& arg,
                    std::vector<std::string>& out) {
  size_t open = s.find('{', from);
  if (open == std::string::npos) {
    if (s.find('}', from) != std::string::npos) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "unbalanced '}' in '" + arg + "'");
    }
    if (out.size() >= kMaxExpansion) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "'" + arg + "' expands to over 10,000,000 paths");
    }
    out.push_back(s);
    return Ok{};
  }
  if (s.find('}', from) < open) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "unbalanced '}' in '" + arg + "'");
  }
  const size_t close = MatchingBrace(s, open);
  if (close == std::string::npos) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "unbalanced '{' in '" + arg + "'");
  }
  const std::string_view inner(s.data() + open + 1, close - open - 1);
  const std::string prefix = s.substr(0, open);
  const std::string suffix = s.substr(close + 1);

  std::vector<std::string> alternatives;
  if (inner.find(',') != std::string_view::npos) {
    std::vector<std::string> parts = SplitTopLevel(inner);
    if (parts.size() > 1) alternatives = std::move(parts);
  }
  if (alternatives.empty()) {
    auto range = ExpandRange(inner, arg);
    if (!range.ok()) return range.error();
    if (range->has_value()) alternatives = std::move(**range);
  }
  if (alternatives.empty()) {
    // "{x}" is not an expansion (as in bash): keep it, expand what follows
    // (its inside may still hold groups, e.g. "{{a,b}}").
    std::vector<std::string> inside;
    Status st = ExpandBraces(std::string(inner), 0, arg, inside);
    if (!st.ok()) return st;
    for (const std::string& in : inside) {
      std::string literal = prefix + "{" + in + "}";
      st = ExpandBraces(literal + suffix, literal.size(), arg, out);
      if (!st.ok()) return st;
    }
    return Ok{};
  }
  for (const std::string& alt : alternatives) {
    // Re-scan from `open`: the alternative may itself hold braces.
    Status st = ExpandBraces(prefix + alt + suffix, open, arg, out);
    if (!st.ok()) return st;
  }
  return Ok{};
}

Status ReadListFile(const std::string& arg, std::vector<std::string>& out) {
  const std::string path = arg.substr(1);
  std::ifstream in(path);
  if (!in) {
    return MakeError(ErrorCode::kNotFound, "cannot read shard list '" + path +
                                               "' (from '" + arg + "')");
  }
  std::string line;
  while (std::getline(in, line)) {
    while (!line.empty() &&
           (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) {
      line.pop_back();
    }
    const size_t first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#') continue;
    out.push_back(line.substr(first));
  }
  if (in.bad()) {
    return MakeError(ErrorCode::kIo, "error reading shard list '" + path + "'");
  }
  return Ok{};
}

bool EndsWithNoCase(const std::string& s, std::string_view suffix) {
  if (s.size() < suffix.size()) return false;
  for (size_t i = 0; i < suffix.size(); ++i) {
    char c = s[s.size() - suffix.size() + i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != suffix[i]) return false;
  }
  return true;
}

// The tar suffix `name` ends with, or empty.
std::string_view TarSuffix(const std::string& name) {
  for (std::string_view suffix : kTarSuffixes) {
    if (name.size() > suffix.size() && EndsWithNoCase(name, suffix))
      return suffix;
  }
  return {};
}

std::string DirectoryId(const std::string& path) {
  std::filesystem::path p = std::filesystem::path(path).lexically_normal();
  std::string name = p.filename().string();
  if (name.empty()) name = p.parent_path().filename().string();
  if (name.empty() || name == "." || name == "..") {
    // "." or "..": name it after what it refers to.
    std::error_code ec;
    std::filesystem::path abs = std::filesystem::weakly_canonical(p, ec);
    if (!ec) name = abs.filename().string();
  }
  return name.empty() ? "root" : name;
}

}  // namespace

Result<std::vector<std::string>> ExpandSourceArgs(
    const std::vector<std::string>& args) {
  std::vector<std::string> out;
  for (const std::string& arg : args) {
    if (!arg.empty() && arg[0] == '@') {
      Status st = ReadListFile(arg, out);
      if (!st.ok()) return st.error();
      continue;
    }
    std::vector<std::string> expanded;
    Status st = ExpandBraces(arg, 0, arg, expanded);
    if (!st.ok()) return st.error();
    out.insert(out.end(), expanded.begin(), expanded.end());
  }
  return out;
}

Result<std::vector<ShardSpec>> ResolveShards(
    const std::vector<std::string>& paths) {
  std::vector<ShardSpec> shards;
  std::map<std::string, std::string> path_by_id;
  for (const std::string& path : paths) {
    std::error_code ec;
    const std::filesystem::file_status st = std::filesystem::status(path, ec);
    if (ec && ec != std::errc::no_such_file_or_directory) {
      return MakeError(ErrorCode::kIo,
                       "cannot access '" + path + "': " + ec.message());
    }
    ShardSpec spec;
    spec.path = path;
    if (!std::filesystem::exists(st)) {
      return MakeError(ErrorCode::kNotFound, "'" + path + "' does not exist");
    } else if (std::filesystem::is_directory(st)) {
      spec.kind = ShardKind::kDirectory;
      spec.id = DirectoryId(path);
    } else if (std::filesystem::is_regular_file(st)) {
      const std::string name = std::filesystem::path(path).filename().string();
      const std::string_view suffix = TarSuffix(name);
      if (suffix.empty()) {
        return MakeError(ErrorCode::kUnsupported,
                         "'" + path +
                             "' is not a tar shard (expected .tar, .tar.gz, "
                             ".tgz, .tar.zst, .tar.zstd, .tzst, .tar.bz2 or "
                             ".tar.xz) or a directory");
      }
      spec.kind = ShardKind::kTar;
      spec.id = name.substr(0, name.size() - suffix.size());
    } else {
      return MakeError(
          ErrorCode::kUnsupported,
          "'" + path + "' is neither a directory nor a regular file");
    }
    auto [it, inserted] = path_by_id.emplace(spec.id, path);
    if (!inserted) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "'" + it->second + "' and '" + path +
                           "' would both be named '" + spec.id +
                           "' in the results; rename one or scan them "
                           "separately");
    }
    shards.push_back(std::move(spec));
  }
  return shards;
}

std::vector<ShardSpec> SelectPartition(std::vector<ShardSpec> shards, int index,
                                       int count) {
  std::stable_sort(
      shards.begin(), shards.end(),
      [](const ShardSpec& a, const ShardSpec& b) { return a.id < b.id; });
  std::vector<ShardSpec> part;
  if (count <= 0 || index < 0) return part;
  for (size_t i = 0; i < shards.size(); ++i) {
    if (i % static_cast<size_t>(count) == static_cast<size_t>(index)) {
      part.push_back(std::move(shards[i]));
    }
  }
  return part;
}

Result<PartitionSpec> ParsePartition(const std::string& text) {
  const size_t slash = text.find('/');
  auto bad = [&](const std::string& why) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "partition '" + text + "': " + why);
  };
  if (slash == std::string::npos) return bad("expected I/N, e.g. 3/8");
  const std::string_view i_text(text.data(), slash);
  const std::string_view n_text(text.data() + slash + 1,
                                text.size() - slash - 1);
  if (!AllDigits(i_text) || !AllDigits(n_text) || i_text.size() > 9 ||
      n_text.size() > 9) {
    return bad("expected I/N with whole numbers, e.g. 3/8");
  }
  PartitionSpec spec;
  std::from_chars(i_text.data(), i_text.data() + i_text.size(), spec.index);
  std::from_chars(n_text.data(), n_text.data() + n_text.size(), spec.count);
  if (spec.count < 1) return bad("the number of parts must be at least 1");
  if (spec.index >= spec.count) {
    return bad("the part index counts from 0 and must be below " +
               std::to_string(spec.count));
  }
  return spec;
}

}  // namespace bulwark::scan
