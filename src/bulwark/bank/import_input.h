// Reading import input in bounded pieces, never the whole file at once.
// Internal to the bank module's importers.
#pragma once

#include <cstdint>
#include <istream>
#include <string>
#include <string_view>

#include "bulwark/core/result.h"

namespace bulwark::bank {

// A stream with a look-ahead buffer, so the format can be detected from the
// first bytes and the parser still sees them.
class ImportInput {
 public:
  explicit ImportInput(std::istream& in) : in_(in) {}

  // Up to `n` first bytes, without consuming them.
  Result<std::string_view> Peek(size_t n);
  // Up to `n` bytes into `out`; 0 at the end.
  Result<size_t> Read(char* out, size_t n);

 private:
  Status CheckStream();

  std::istream& in_;
  std::string pending_;  // peeked, not yet read
  size_t pending_pos_ = 0;
};

// Lines of at most `max_bytes` bytes (without the "\n" or "\r\n").
class LineReader {
 public:
  LineReader(ImportInput* input, size_t max_bytes)
      : input_(input), max_(max_bytes) {}

  enum class Status { kLine, kTooLong, kEnd };
  // On kLine `*line` is valid until the next call. On kTooLong the whole
  // overlong line has been skipped. Errors are I/O failures.
  Result<Status> Next(std::string_view* line);
  // 1-based number of the line last returned.
  int64_t line_number() const { return line_number_; }

 private:
  Result<bool> Fill();  // false at the end of input

  ImportInput* input_;
  const size_t max_;
  std::string buf_;
  size_t pos_ = 0;
  bool eof_ = false;
  int64_t line_number_ = 0;
};

std::string_view TrimSpaces(std::string_view s);

}  // namespace bulwark::bank
