#include "bulwark/bank/import_input.h"

#include <algorithm>
#include <cstring>

namespace bulwark::bank {
namespace {
constexpr size_t kChunk = 1 << 20;
}  // namespace

Status ImportInput::CheckStream() {
  if (in_.bad()) return MakeError(ErrorCode::kIo, "read error in the input");
  return Ok{};
}

Result<std::string_view> ImportInput::Peek(size_t n) {
  while (pending_.size() - pending_pos_ < n && in_) {
    const size_t old = pending_.size();
    pending_.resize(old + (n - (old - pending_pos_)));
    in_.read(pending_.data() + old,
             static_cast<std::streamsize>(pending_.size() - old));
    pending_.resize(old + static_cast<size_t>(in_.gcount()));
  }
  auto s = CheckStream();
  if (!s.ok()) return s.error();
  return std::string_view(pending_).substr(
      pending_pos_, std::min(n, pending_.size() - pending_pos_));
}

Result<size_t> ImportInput::Read(char* out, size_t n) {
  if (pending_pos_ < pending_.size()) {
    const size_t k = std::min(n, pending_.size() - pending_pos_);
    std::memcpy(out, pending_.data() + pending_pos_, k);
    pending_pos_ += k;
    if (pending_pos_ == pending_.size()) {
      pending_.clear();
      pending_pos_ = 0;
    }
    return k;
  }
  if (!in_) return size_t{0};
  in_.read(out, static_cast<std::streamsize>(n));
  auto s = CheckStream();
  if (!s.ok()) return s.error();
  return static_cast<size_t>(in_.gcount());
}

Result<bool> LineReader::Fill() {
  if (eof_) return false;
  if (pos_ > 0) {
    buf_.erase(0, pos_);
    pos_ = 0;
  }
  const size_t old = buf_.size();
  buf_.resize(old + kChunk);
  auto n = input_->Read(buf_.data() + old, kChunk);
  if (!n.ok()) return n.error();
  buf_.resize(old + *n);
  if (*n == 0) eof_ = true;
  return *n > 0;
}

Result<LineReader::Status> LineReader::Next(std::string_view* line) {
  bool skipping = false;  // inside an overlong line
  size_t scan_from = pos_;
  for (;;) {
    const size_t nl = buf_.find('\n', scan_from);
    if (nl != std::string::npos) {
      ++line_number_;
      std::string_view l(buf_.data() + pos_, nl - pos_);
      pos_ = nl + 1;
      if (skipping || l.size() > max_ + 1) return Status::kTooLong;
      if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
      if (l.size() > max_) return Status::kTooLong;
      *line = l;
      return Status::kLine;
    }
    if (buf_.size() - pos_ > max_ + 1) {
      // Drop what we have of the overlong line; keep looking for its end.
      skipping = true;
      pos_ = buf_.size();
    }
    scan_from = buf_.size() - pos_;  // offset after Fill() compacts
    auto more = Fill();
    if (!more.ok()) return more.error();
    scan_from += pos_;  // pos_ is 0 after Fill()
    if (!*more) {
      if (pos_ == buf_.size() && !skipping) return Status::kEnd;
      ++line_number_;
      std::string_view l(buf_.data() + pos_, buf_.size() - pos_);
      pos_ = buf_.size();
      if (skipping) return Status::kTooLong;
      if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
      if (l.size() > max_) return Status::kTooLong;
      *line = l;
      return Status::kLine;
    }
  }
}

std::string_view TrimSpaces(std::string_view s) {
  const char* ws = " \t\r\n\f\v";
  const size_t b = s.find_first_not_of(ws);
  if (b == std::string_view::npos) return {};
  const size_t e = s.find_last_not_of(ws);
  return s.substr(b, e - b + 1);
}

}  // namespace bulwark::bank
