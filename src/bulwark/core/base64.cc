#include "bulwark/core/base64.h"

#include "bulwark/core/ascii.h"

#include <array>

namespace bulwark {
namespace {

constexpr char kAlphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr int kWhitespace = -2;
constexpr int kPad = -3;
constexpr int kInvalid = -1;

// Character -> 6-bit value, or one of the markers above. Both alphabets
// map to the same values, so the standard and URL-safe forms decode alike.
constexpr std::array<int, 256> MakeTable() {
  std::array<int, 256> t{};
  for (int& v : t) v = kInvalid;
  for (int i = 0; i < 64; ++i) t[static_cast<uint8_t>(kAlphabet[i])] = i;
  t['-'] = 62;
  t['_'] = 63;
  t['='] = kPad;
  for (char c : {' ', '\t', '\n', '\r', '\f', '\v'}) {
    t[static_cast<uint8_t>(c)] = kWhitespace;
  }
  return t;
}
constexpr std::array<int, 256> kTable = MakeTable();

Error BadAt(size_t pos, const char* what) {
  std::string m = "base64: ";
  m += what;
  m += " at position ";
  m += std::to_string(pos);
  return MakeError(ErrorCode::kInvalidArgument, std::move(m));
}

// Base64Decode, with error positions counted from `offset` (the data's
// position in a data URI).
Result<std::vector<uint8_t>> Decode(std::string_view text, size_t max_bytes,
                                    size_t offset) {
  // Pass 1: validate and count, allocating nothing, so an oversized or
  // malformed body costs one scan.
  size_t symbols = 0, pads = 0, last_symbol_pos = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const int v = kTable[static_cast<uint8_t>(text[i])];
    if (v == kWhitespace) continue;
    if (v == kInvalid) return BadAt(offset + i, "not a base64 character");
    if (v == kPad) {
      if (symbols == 0) return BadAt(offset + i, "padding '=' before any data");
      if (++pads > 2) return BadAt(offset + i, "more than two padding '='");
      continue;
    }
    if (pads > 0) return BadAt(offset + i, "data after padding '='");
    ++symbols;
    last_symbol_pos = i;
  }
  const size_t tail = symbols % 4;
  if (tail == 1) {
    // 6 bits cannot make a byte: the text was cut short.
    return BadAt(offset + last_symbol_pos,
                 "incomplete final group (one character)");
  }
  if (pads > 0 && (symbols + pads) % 4 != 0) {
    return BadAt(offset + text.size(), "wrong amount of padding");
  }
  const size_t size = symbols / 4 * 3 + (tail == 0 ? 0 : tail - 1);
  if (size > max_bytes) {
    std::string m = "base64 data decodes to ";
    m += std::to_string(size);
    m += " bytes, more than the limit of ";
    m += std::to_string(max_bytes);
    return MakeError(ErrorCode::kLimitExceeded, std::move(m));
  }

  // Pass 2: decode; every character is known to be valid.
  std::vector<uint8_t> out;
  out.reserve(size);
  uint32_t acc = 0;
  int bits = 0;
  for (const char c : text) {
    const int v = kTable[static_cast<uint8_t>(c)];
    if (v < 0) continue;  // whitespace or padding
    acc = (acc << 6 | static_cast<uint32_t>(v)) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<uint8_t>(acc >> bits));
    }
  }
  return out;
}

}  // namespace

std::string Base64Encode(std::span<const uint8_t> bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t v =
        uint32_t{bytes[i]} << 16 | uint32_t{bytes[i + 1]} << 8 | bytes[i + 2];
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  const size_t rest = bytes.size() - i;
  if (rest > 0) {
    uint32_t v = uint32_t{bytes[i]} << 16;
    if (rest == 2) v |= uint32_t{bytes[i + 1]} << 8;
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += rest == 2 ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

Result<std::vector<uint8_t>> Base64Decode(std::string_view text,
                                          size_t max_bytes) {
  return Decode(text, max_bytes, 0);
}

Result<DataUri> ParseDataUri(std::string_view uri, size_t max_bytes) {
  constexpr std::string_view kScheme = "data:";
  if (uri.size() < kScheme.size() ||
      !EqualsIgnoreAsciiCase(uri.substr(0, kScheme.size()), kScheme)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "not a data URI (expected \"data:\")");
  }
  const size_t comma = uri.find(',');
  if (comma == std::string_view::npos) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "data URI has no ',' before its data");
  }
  std::string_view header = uri.substr(kScheme.size(), comma - kScheme.size());
  const size_t semi = header.rfind(';');
  if (semi == std::string_view::npos ||
      !EqualsIgnoreAsciiCase(TrimSpaceTab(header.substr(semi + 1)), "base64")) {
    return MakeError(ErrorCode::kUnsupported,
                     "data URI is not base64 (expected "
                     "\"data:<type>;base64,<data>\"); percent-encoded data "
                     "URIs are not supported");
  }
  DataUri out;
  const std::string_view type =
      TrimSpaceTab(header.substr(0, header.find(';')));
  for (char c : type) {
    out.media_type +=
        (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  auto bytes = Decode(uri.substr(comma + 1), max_bytes, comma + 1);
  if (!bytes.ok()) {
    std::string m = "data URI: ";
    m += bytes.error().message;
    return MakeError(bytes.error().code, std::move(m));
  }
  out.bytes = std::move(*bytes);
  return out;
}

}  // namespace bulwark
