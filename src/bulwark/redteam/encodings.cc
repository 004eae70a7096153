// Converters that encode the whole text, as a prompt asking a model to
// "decode this and answer" would carry it. No instruction is prepended:
// the bare encoding is what a filter has to recognise, and a chained
// converter sees only the payload.
#include <span>

#include "bulwark/core/base64.h"
#include "bulwark/core/hex.h"
#include "bulwark/redteam/converter_functions.h"
#include "bulwark/redteam/seeded_random.h"

namespace bulwark::redteam {
namespace {

std::span<const uint8_t> Bytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

bool IsAsciiLetterByte(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

}  // namespace

std::string Base64(std::string_view utf8, uint64_t) {
  return Base64Encode(Bytes(utf8));
}

std::string Hex(std::string_view utf8, uint64_t) {
  return HexEncode(Bytes(utf8));
}

std::string Rot13(std::string_view utf8, uint64_t) {
  std::string out(utf8);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>('a' + (c - 'a' + 13) % 26);
    if (c >= 'A' && c <= 'Z') c = static_cast<char>('A' + (c - 'A' + 13) % 26);
  }
  return out;
}

std::string UrlEncoding(std::string_view utf8, uint64_t seed) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  // Every byte, or only the letters (the rest left readable), by seed.
  SeededRandom rng(seed);
  const bool letters_only = rng.Chance(1, 2);
  std::string out;
  for (char c : utf8) {
    if (letters_only && !IsAsciiLetterByte(c)) {
      out += c;
      continue;
    }
    const auto b = static_cast<uint8_t>(c);
    out += '%';
    out += kDigits[b >> 4];
    out += kDigits[b & 0xF];
  }
  return out;
}

}  // namespace bulwark::redteam
