#include "bulwark/core/file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace bulwark {
namespace {

Error ErrnoError(const std::string& what, int err) {
  ErrorCode code = err == ENOENT ? ErrorCode::kNotFound : ErrorCode::kIo;
  return MakeError(code, what + ": " + std::strerror(err));
}

// Closes the descriptor on every return path.
class FdCloser {
 public:
  explicit FdCloser(int fd) : fd_(fd) {}
  ~FdCloser() { ::close(fd_); }
  FdCloser(const FdCloser&) = delete;
  FdCloser& operator=(const FdCloser&) = delete;

 private:
  int fd_;
};

}  // namespace

Result<std::vector<uint8_t>> ReadFile(const std::string& path,
                                      uint64_t max_bytes) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoError("cannot open", errno);
  FdCloser closer(fd);

  struct stat st;
  if (::fstat(fd, &st) != 0) return ErrnoError("cannot stat", errno);
  if (!S_ISREG(st.st_mode)) {
    return MakeError(ErrorCode::kInvalidArgument, "not a regular file");
  }
  uint64_t size = static_cast<uint64_t>(st.st_size);
  if (size > max_bytes) {
    return MakeError(ErrorCode::kLimitExceeded,
                     "file is " + std::to_string(size) +
                         " bytes, over the limit of " +
                         std::to_string(max_bytes) + " bytes");
  }

  std::vector<uint8_t> data(size);
  size_t done = 0;
  while (done < size) {
    ssize_t n = ::read(fd, data.data() + done, size - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoError("read failed", errno);
    }
    if (n == 0) break;  // The file shrank while we read it.
    done += static_cast<size_t>(n);
  }
  data.resize(done);
  return data;
}

}  // namespace bulwark
