#include "bulwark/scan/tar_source.h"

#include <archive.h>
#include <archive_entry.h>

#include <cerrno>
#include <optional>
#include <string>

#include "bulwark/scan/tar_archive.h"
#include "bulwark/scan/tar_header.h"

namespace bulwark::scan {
namespace {

// Large blocks keep compressed shards on network file systems streaming.
constexpr size_t kReadBlockBytes = 1 << 20;

// WebDataset's key: the name up to the first '.' of its last component.
std::string MemberKey(const std::string& name) {
  const size_t slash = name.rfind('/');
  const size_t base = slash == std::string::npos ? 0 : slash + 1;
  const size_t dot = name.find('.', base);
  return dot == std::string::npos ? name : name.substr(0, dot);
}

// Only plain regular files carry contents; a hard link's data (if any)
// belongs to its target.
bool IsRegular(archive_entry* entry) {
  return archive_entry_filetype(entry) == AE_IFREG &&
         archive_entry_hardlink(entry) == nullptr;
}

bool IsRegular(const Member& m) {
  return m.header && IsRegular(m.header->entry);
}

class TarSource final : public Source {
 public:
  TarSource(std::string path, SourceOptions options, ArchiveReadPtr a)
      : path_(std::move(path)), options_(options), a_(std::move(a)) {}

  // Reads the first header, so that Open fails on a file that is no tar.
  Status ReadFirstHeader() {
    const int r = archive_read_next_header(a_.get(), &entry_);
    if (r == ARCHIVE_EOF) {
      at_end_ = true;
      return Ok{};
    }
    if (r < ARCHIVE_WARN) {
      return MakeError(ArchiveErrorCode(a_.get()),
                       "'" + path_ + "' is not a readable tar archive: " +
                           ArchiveMessage(a_.get()));
    }
    header_ready_ = true;
    return Ok{};
  }

  Result<std::optional<Sample>> Next() override {
    if (failure_) return *failure_;
    Sample sample;
    if (pending_) {
      Member first = std::move(*pending_);
      pending_.reset();
      if (!IsRegular(first)) return SampleOf(std::move(first));
      sample.key = MemberKey(first.name);
      sample.members.push_back(std::move(first));
    }
    while (true) {
      auto read = ReadMember();
      if (!read.ok()) {
        failure_ = read.error();
        if (!sample.members.empty())
          return std::optional<Sample>(std::move(sample));
        return *failure_;
      }
      if (!read->has_value()) {
        if (sample.members.empty()) return std::optional<Sample>();
        return std::optional<Sample>(std::move(sample));
      }
      Member member = std::move(**read);
      if (sample.members.empty()) {
        if (!IsRegular(member)) return SampleOf(std::move(member));
        sample.key = MemberKey(member.name);
        sample.members.push_back(std::move(member));
        continue;
      }
      if (!IsRegular(member) || MemberKey(member.name) != sample.key) {
        pending_ = std::move(member);
        return std::optional<Sample>(std::move(sample));
      }
      sample.members.push_back(std::move(member));
    }
  }

  uint64_t bytes_read() const override {
    const la_int64_t n = archive_filter_bytes(a_.get(), -1);
    return n > 0 ? static_cast<uint64_t>(n) : 0;
  }

 private:
  static std::optional<Sample> SampleOf(Member member) {
    Sample sample;
    sample.key = member.name;
    sample.members.push_back(std::move(member));
    return sample;
  }

  Error Fail(const std::string& what) {
    return MakeError(
        ArchiveErrorCode(a_.get()),
        "shard '" + path_ + "': " + what + ": " + ArchiveMessage(a_.get()));
  }

  std::string Where() const { return "offset " + std::to_string(offset_); }

  // The next member with its contents read (or skipped), or nullopt at the
  // end of the archive.
  Result<std::optional<Member>> ReadMember() {
    if (at_end_) return std::optional<Member>();
    if (!header_ready_) {
      const int r = archive_read_next_header(a_.get(), &entry_);
      if (r == ARCHIVE_EOF) {
        at_end_ = true;
        return std::optional<Member>();
      }
      if (r < ARCHIVE_WARN) {
        const la_int64_t at = archive_read_header_position(a_.get());
        std::string what = "corrupt or truncated archive at offset " +
                           std::to_string(at < 0 ? 0 : at);
        if (!last_name_.empty()) what += " (after member '" + last_name_ + "')";
        return Fail(what);
      }
    }
    header_ready_ = false;

    Member member;
    const char* name = archive_entry_pathname(entry_);
    member.name = name != nullptr ? name : "";
    last_name_ = member.name;
    const la_int64_t at = archive_read_header_position(a_.get());
    member.offset = offset_ = at < 0 ? 0 : static_cast<uint64_t>(at);
    member.header = std::make_shared<const TarHeader>(entry_);
    if (member.header->entry == nullptr) {
      return MakeError(ErrorCode::kInternal, "shard '" + path_ +
                                                 "': out of memory copying the "
                                                 "header of member '" +
                                                 member.name + "'");
    }
    if (!IsRegular(entry_)) {
      Status st = Skip(member);
      if (!st.ok()) return st.error();
      return std::optional<Member>(std::move(member));
    }
    const la_int64_t size =
        archive_entry_size_is_set(entry_) ? archive_entry_size(entry_) : 0;
    member.size = size > 0 ? static_cast<uint64_t>(size) : 0;
    member.image = IsImageName(member.name);
    if (!member.image && !options_.keep_all_bytes) {
      Status st = Skip(member);
      if (!st.ok()) return st.error();
      return std::optional<Member>(std::move(member));
    }
    if (member.size > options_.max_member_bytes) {
      member.error = MakeError(
          ErrorCode::kLimitExceeded,
          "member '" + member.name + "' of shard '" + path_ + "' is " +
              std::to_string(member.size) + " bytes, over the limit of " +
              std::to_string(options_.max_member_bytes) + " bytes");
      Status st = Skip(member);
      if (!st.ok()) return st.error();
      return std::optional<Member>(std::move(member));
    }
    Status st = ReadData(member);
    if (!st.ok()) return st.error();
    return std::optional<Member>(std::move(member));
  }

  Status Skip(const Member& member) {
    if (archive_read_data_skip(a_.get()) < ARCHIVE_WARN) {
      return Fail("cannot read past member '" + member.name + "' (" + Where() +
                  ")");
    }
    return Ok{};
  }

  Status ReadData(Member& member) {
    member.bytes.resize(member.size);
    uint64_t done = 0;
    while (done < member.size) {
      const la_ssize_t n = archive_read_data(
          a_.get(), member.bytes.data() + done, member.size - done);
      if (n < 0) {
        member.bytes.clear();
        return Fail("cannot read member '" + member.name + "' (" + Where() +
                    ")");
      }
      if (n == 0) {
        member.bytes.clear();
        return MakeError(ErrorCode::kCorrupt,
                         "shard '" + path_ + "': member '" + member.name +
                             "' (" + Where() + ") ends after " +
                             std::to_string(done) + " of " +
                             std::to_string(member.size) + " bytes");
      }
      done += static_cast<uint64_t>(n);
    }
    return Ok{};
  }

  const std::string path_;
  const SourceOptions options_;
  ArchiveReadPtr a_;
  archive_entry* entry_ = nullptr;  // owned by a_, valid until next header
  bool header_ready_ = false;       // entry_ read, its data not yet consumed
  bool at_end_ = false;
  std::optional<Member> pending_;  // read ahead: first member of next sample
  std::optional<Error> failure_;   // returned by every Next() once set
  std::string last_name_;
  uint64_t offset_ = 0;
};

}  // namespace

Result<std::unique_ptr<Source>> OpenTarSource(const std::string& path,
                                              const SourceOptions& options) {
  auto a = OpenTarArchive(path, kReadBlockBytes);
  if (!a.ok()) return a.error();
  auto source = std::make_unique<TarSource>(path, options, std::move(*a));
  Status st = source->ReadFirstHeader();
  if (!st.ok()) return st.error();
  return std::unique_ptr<Source>(std::move(source));
}

}  // namespace bulwark::scan
