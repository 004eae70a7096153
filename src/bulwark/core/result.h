// Errors as values. Every function that can fail at a module boundary returns
// Result<T>: either a value or an Error carrying a code and a message written
// for the person running the tool (it names what was wrong, never how the
// code is laid out). g++ 12 has no std::expected, so this is the small subset
// the project needs.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace bulwark {

enum class ErrorCode {
  kInvalidArgument,  // The caller's input is malformed (bad hex, bad option).
  kNotFound,         // A named file or entry does not exist.
  kIo,               // The operating system refused a read or write.
  kUnsupported,      // Well-formed input that Bulwark does not handle.
  kCorrupt,          // Input that claims a format but breaks its rules.
  kLimitExceeded,    // Input beyond a configured limit (bytes, pixels, side).
  kInternal,         // A library failed in a way that is not the input's fault.
};

// Short, stable name of a code ("corrupt", "limit") for machine output.
const char* ErrorCodeName(ErrorCode code);

struct Error {
  ErrorCode code;
  std::string message;

  // "corrupt: JPEG data ends early" style text.
  std::string ToString() const;
};

inline Error MakeError(ErrorCode code, std::string message) {
  return Error{code, std::move(message)};
}

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT: implicit by design.
  Result(Error error) : v_(std::move(error)) {}  // NOLINT

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(v_));
  }
  const Error& error() const {
    assert(!ok());
    return std::get<1>(v_);
  }

  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Error> v_;
};

// Result<void>: success carries nothing.
struct Ok {};
using Status = Result<Ok>;

}  // namespace bulwark
