#include "bulwark/scan/shard_result.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/json.hpp>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "bulwark/core/durable_file.h"
#include "bulwark/core/text_escape.h"

namespace bulwark::scan {
namespace fs = std::filesystem;
namespace {

Error IoError(const std::string& what, const std::string& path) {
  return MakeError(ErrorCode::kIo,
                   what + " " + path + ": " + std::strerror(errno));
}

Status WriteAll(int fd, std::string_view data, const std::string& path) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return IoError("cannot write", path);
    }
    done += static_cast<size_t>(n);
  }
  return Ok{};
}

std::string HostName() {
  char buf[256] = {};
  if (::gethostname(buf, sizeof(buf) - 1) != 0) return "host";
  std::string h(buf);
  std::replace(h.begin(), h.end(), '.', '_');
  return h;
}

std::string StagingRoot(const std::string& out_dir) {
  return out_dir + "/.staging";
}

// Times with millisecond precision: enough for stats, and stable text.
std::string Seconds(double s) {
  std::ostringstream o;
  o.setf(std::ios::fixed);
  o.precision(3);
  o << s;
  return o.str();
}

}  // namespace

bool ShardStats::SameCounts(const ShardStats& o) const {
  return id == o.id && complete == o.complete && error == o.error &&
         samples == o.samples && images == o.images &&
         hit_samples == o.hit_samples && matches == o.matches &&
         errors == o.errors;
}

std::string ShardStatsJson(const ShardStats& s) {
  std::ostringstream o;
  o << "{\n  \"shard\": " << JsonQuote(s.id)
    << ",\n  \"path\": " << JsonQuote(s.path) << ",\n  \"status\": \""
    << (s.complete ? "complete" : "error") << "\"";
  if (!s.error.empty()) o << ",\n  \"error\": " << JsonQuote(s.error);
  o << ",\n  \"count\": " << s.samples << ",\n  \"images\": " << s.images
    << ",\n  \"hits\": " << s.hit_samples << ",\n  \"matches\": " << s.matches
    << ",\n  \"errors\": " << s.errors << ",\n  \"bytes\": " << s.bytes
    << ",\n  \"start_time\": " << Seconds(s.start_time)
    << ",\n  \"end_time\": " << Seconds(s.end_time)
    << ",\n  \"duration\": " << Seconds(s.seconds) << "\n}\n";
  return o.str();
}

Result<ShardStats> ParseShardStats(std::string_view text) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(text, ec);
  if (ec || !v.is_object()) {
    return MakeError(ErrorCode::kCorrupt, "shard stats are not a JSON object");
  }
  const boost::json::object& o = v.as_object();
  ShardStats s;
  auto str = [&](const char* k) -> std::string {
    const auto* f = o.if_contains(k);
    return f && f->is_string() ? std::string(f->as_string()) : std::string();
  };
  auto num = [&](const char* k) -> double {
    const auto* f = o.if_contains(k);
    if (!f) return 0;
    if (f->is_int64()) return static_cast<double>(f->as_int64());
    if (f->is_uint64()) return static_cast<double>(f->as_uint64());
    if (f->is_double()) return f->as_double();
    return 0;
  };
  auto count = [&](const char* k) {
    return static_cast<uint64_t>(std::llround(num(k)));
  };
  s.id = str("shard");
  s.path = str("path");
  s.complete = str("status") == "complete";
  s.error = str("error");
  if (s.id.empty()) {
    return MakeError(ErrorCode::kCorrupt, "shard stats name no shard");
  }
  s.samples = count("count");
  s.images = count("images");
  s.hit_samples = count("hits");
  s.matches = count("matches");
  s.errors = count("errors");
  s.bytes = count("bytes");
  s.start_time = num("start_time");
  s.end_time = num("end_time");
  s.seconds = num("duration");
  return s;
}

std::string ShardDir(const std::string& out_dir, const std::string& id) {
  return out_dir + "/shards/" + id;
}

Result<std::optional<ShardStats>> ReadShardStats(const std::string& out_dir,
                                                 const std::string& id) {
  const std::string path = ShardDir(out_dir, id) + "/" + kStatsFile;
  std::error_code ec;
  if (!fs::exists(path, ec)) return std::optional<ShardStats>();
  std::ifstream in(path, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  if (!in) return MakeError(ErrorCode::kIo, "cannot read " + path);
  auto stats = ParseShardStats(buf.str());
  if (!stats.ok()) {
    return MakeError(stats.error().code, path + ": " + stats.error().message);
  }
  return std::optional<ShardStats>(std::move(*stats));
}

Result<std::vector<std::string>> ListShardResults(const std::string& out_dir) {
  std::vector<std::string> ids;
  std::error_code ec;
  const std::string root = out_dir + "/shards";
  if (!fs::exists(root, ec)) return ids;
  for (const auto& e : fs::directory_iterator(root, ec)) {
    if (e.is_directory() && fs::exists(e.path() / kStatsFile)) {
      ids.push_back(e.path().filename().string());
    }
  }
  if (ec) return MakeError(ErrorCode::kIo, "cannot list " + root);
  std::sort(ids.begin(), ids.end());
  return ids;
}

Result<std::string> MakeStagingDir(const std::string& out_dir,
                                   const std::string& id) {
  static std::atomic<uint64_t> counter{0};
  const std::string root = StagingRoot(out_dir);
  std::error_code ec;
  fs::create_directories(root, ec);
  if (ec) {
    return MakeError(ErrorCode::kIo,
                     "cannot create " + root + ": " + ec.message());
  }
  const std::string dir = root + "/" + id + "." + HostName() + "." +
                          std::to_string(::getpid()) + "." +
                          std::to_string(counter++);
  fs::remove_all(dir, ec);
  fs::create_directory(dir, ec);
  if (ec) {
    return MakeError(ErrorCode::kIo,
                     "cannot create " + dir + ": " + ec.message());
  }
  return dir;
}

void RemoveStaleStaging(const std::string& out_dir) {
  const std::string host = HostName();
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(StagingRoot(out_dir), ec)) {
    // NAME.HOST.PID.N: only this host's entries can be judged.
    const std::string name = e.path().filename().string();
    const size_t n_dot = name.rfind('.');
    if (n_dot == std::string::npos || n_dot == 0) continue;
    const size_t pid_dot = name.rfind('.', n_dot - 1);
    if (pid_dot == std::string::npos || pid_dot == 0) continue;
    const size_t host_dot = name.rfind('.', pid_dot - 1);
    if (host_dot == std::string::npos) continue;
    if (name.substr(host_dot + 1, pid_dot - host_dot - 1) != host) continue;
    const pid_t pid = static_cast<pid_t>(
        std::atoll(name.substr(pid_dot + 1, n_dot - pid_dot - 1).c_str()));
    if (pid <= 0) continue;
    if (::kill(pid, 0) == 0 || errno != ESRCH) continue;  // still running
    fs::remove_all(e.path(), ec);
  }
}

Result<std::unique_ptr<ShardResultWriter>> ShardResultWriter::Create(
    const std::string& out_dir, const std::string& id) {
  auto dir = MakeStagingDir(out_dir, id);
  if (!dir.ok()) return dir.error();
  std::unique_ptr<ShardResultWriter> w(new ShardResultWriter());
  w->dir_ = *dir;
  for (auto [file, fd] : {std::pair{kMatchesFile, &w->matches_fd_},
                          std::pair{kErrorsFile, &w->errors_fd_}}) {
    const std::string path = w->dir_ + "/" + file;
    *fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (*fd < 0) return IoError("cannot create", path);
  }
  return w;
}

ShardResultWriter::~ShardResultWriter() {
  if (matches_fd_ >= 0) ::close(matches_fd_);
  if (errors_fd_ >= 0) ::close(errors_fd_);
  if (!handed_off_) {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
}

Status ShardResultWriter::AddMatch(std::string_view line) {
  Status s = WriteAll(matches_fd_, line, dir_ + "/" + kMatchesFile);
  if (!s.ok()) return s;
  return WriteAll(matches_fd_, "\n", dir_ + "/" + kMatchesFile);
}

Status ShardResultWriter::AddError(std::string_view line) {
  Status s = WriteAll(errors_fd_, line, dir_ + "/" + kErrorsFile);
  if (!s.ok()) return s;
  return WriteAll(errors_fd_, "\n", dir_ + "/" + kErrorsFile);
}

void ShardResultWriter::AddRemoval(std::string key) {
  removal_.push_back(std::move(key));
}

Result<std::string> ShardResultWriter::Finish(const ShardStats& stats) {
  for (int* fd : {&matches_fd_, &errors_fd_}) {
    if (::fsync(*fd) != 0 || ::close(*fd) != 0) {
      *fd = -1;
      return IoError("cannot flush results in", dir_);
    }
    *fd = -1;
  }
  std::sort(removal_.begin(), removal_.end());
  removal_.erase(std::unique(removal_.begin(), removal_.end()), removal_.end());
  std::string removal;
  for (const std::string& k : removal_) removal += k + "\n";
  Status s = WriteFileDurably(dir_ + "/" + kRemovalFile, removal);
  if (!s.ok()) return s.error();
  s = WriteFileDurably(dir_ + "/" + kStatsFile, ShardStatsJson(stats));
  if (!s.ok()) return s.error();
  handed_off_ = true;
  return dir_;
}

Status CommitShard(const std::string& staging_dir, const std::string& out_dir,
                   const std::string& id) {
  const std::string shards = out_dir + "/shards";
  const std::string dest = ShardDir(out_dir, id);
  std::error_code ec;
  fs::create_directories(shards, ec);
  if (ec) {
    return MakeError(ErrorCode::kIo,
                     "cannot create " + shards + ": " + ec.message());
  }
  // Earlier results (a --force rescan, or a retry of a failed shard) move
  // aside first; a kill between the two renames leaves no results for the
  // shard, so the next run scans it again.
  if (fs::exists(dest, ec)) {
    auto aside = MakeStagingDir(out_dir, id + ".old");
    if (!aside.ok()) return aside.error();
    fs::remove(*aside, ec);
    fs::rename(dest, *aside, ec);
    if (ec) {
      return MakeError(ErrorCode::kIo,
                       "cannot move aside " + dest + ": " + ec.message());
    }
    fs::remove_all(*aside, ec);
  }
  fs::rename(staging_dir, dest, ec);
  if (ec) {
    return MakeError(ErrorCode::kIo, "cannot move results of shard " + id +
                                         " into " + dest + ": " + ec.message());
  }
  return SyncPath(shards);
}

}  // namespace bulwark::scan
