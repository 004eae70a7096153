#include "bulwark/scan/directory_source.h"

#include <algorithm>
#include <filesystem>
#include <system_error>
#include <vector>

#include "bulwark/core/file.h"

namespace bulwark::scan {
namespace {

namespace fs = std::filesystem;

// One directory being walked: its sorted entry names and how far we got.
struct Level {
  std::string relative;            // "" for the root, else "a/b/"
  std::vector<std::string> names;  // sorted; directories end in '/'
  size_t next = 0;
};

class DirectorySource final : public Source {
 public:
  DirectorySource(std::string root, SourceOptions options)
      : root_(std::move(root)), options_(options) {}

  // Lists the root, so that Open fails when it cannot be read.
  Status Start() {
    Level level;
    std::error_code ec;
    ListInto(root_, level.names, ec);
    if (ec) {
      return MakeError(
          ec == std::errc::no_such_file_or_directory ? ErrorCode::kNotFound
                                                     : ErrorCode::kIo,
          "cannot list directory '" + root_ + "': " + ec.message());
    }
    stack_.push_back(std::move(level));
    return Ok{};
  }

  Result<std::optional<Sample>> Next() override {
    while (!stack_.empty()) {
      Level& top = stack_.back();
      if (top.next == top.names.size()) {
        stack_.pop_back();
        continue;
      }
      const std::string& name = top.names[top.next++];
      if (name.back() == '/') {
        const std::string relative = top.relative + name;
        const fs::path full = fs::path(root_) / relative;
        Level level;
        level.relative = relative;
        std::error_code ec;
        ListInto(full, level.names, ec);
        if (ec) {
          if (RootGone()) return RootGoneError();
          if (ec == std::errc::no_such_file_or_directory) continue;
          return ErrorSample(
              relative.substr(0, relative.size() - 1),
              "cannot list directory '" + full.string() + "': " + ec.message());
        }
        stack_.push_back(std::move(level));
        continue;
      }
      const std::string relative = top.relative + name;
      const fs::path full = fs::path(root_) / relative;
      std::error_code ec;
      // symlink_status: links are skipped, never followed.
      const fs::file_status st = fs::symlink_status(full, ec);
      if (ec) {
        if (RootGone()) return RootGoneError();
        continue;  // removed since it was listed
      }
      if (!fs::is_regular_file(st) || !IsImageName(relative)) continue;
      return ReadImage(relative, full);
    }
    return std::optional<Sample>();
  }

  uint64_t bytes_read() const override { return bytes_read_; }

 private:
  bool RootGone() const {
    std::error_code ec;
    return !fs::is_directory(fs::path(root_), ec);
  }

  Error RootGoneError() const {
    return MakeError(ErrorCode::kNotFound,
                     "directory '" + root_ + "' vanished during the scan");
  }

  // Directory names get a trailing '/' (what marks them in Level::names),
  // which also sorts them where their contents sort among whole paths:
  // "a.jpg" < "a/x.jpg" as in `find | LC_ALL=C sort` and `bulwark hash`.
  // std::string compares as unsigned bytes.
  static void ListInto(const fs::path& dir, std::vector<std::string>& names,
                       std::error_code& ec) {
    fs::directory_iterator it(dir, ec);
    for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
      std::string name = it->path().filename().string();
      std::error_code type_ec;
      if (it->is_directory(type_ec) && !it->is_symlink(type_ec)) name += '/';
      names.push_back(std::move(name));
    }
    std::sort(names.begin(), names.end());
  }

  static std::optional<Sample> ErrorSample(const std::string& relative,
                                           std::string message) {
    Sample sample;
    sample.key = relative;
    Member member;
    member.name = relative;
    member.error = MakeError(ErrorCode::kIo, std::move(message));
    sample.members.push_back(std::move(member));
    return sample;
  }

  std::optional<Sample> ReadImage(const std::string& relative,
                                  const fs::path& full) {
    Sample sample;
    sample.key = relative;
    Member member;
    member.name = relative;
    member.image = true;
    std::error_code ec;
    const uintmax_t size = fs::file_size(full, ec);
    if (!ec) member.size = size;
    auto bytes = ReadFile(full.string(), options_.max_member_bytes);
    if (bytes.ok()) {
      member.bytes = std::move(*bytes);
      member.size = member.bytes.size();
      bytes_read_ += member.bytes.size();
    } else {
      // Appended piecewise: g++ 12 warns (-Wrestrict) on the chain.
      std::string message = "'";
      message += full.string();
      message += "': ";
      message += bytes.error().message;
      member.error = MakeError(bytes.error().code, std::move(message));
    }
    sample.members.push_back(std::move(member));
    return sample;
  }

  const std::string root_;
  const SourceOptions options_;
  std::vector<Level> stack_;
  uint64_t bytes_read_ = 0;
};

}  // namespace

Result<std::unique_ptr<Source>> OpenDirectorySource(
    const std::string& root, const SourceOptions& options) {
  auto source = std::make_unique<DirectorySource>(root, options);
  Status st = source->Start();
  if (!st.ok()) return st.error();
  return std::unique_ptr<Source>(std::move(source));
}

}  // namespace bulwark::scan
