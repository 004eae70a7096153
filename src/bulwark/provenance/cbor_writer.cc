#include "bulwark/provenance/cbor_writer.h"

#include <algorithm>

namespace bulwark::provenance {
namespace {

// Bytes the head of an item with this argument takes: 1, 2, 3, 5 or 9.
size_t CborHeadSize(uint64_t argument) {
  if (argument < 24) return 1;
  if (argument <= 0xff) return 2;
  if (argument <= 0xffff) return 3;
  if (argument <= 0xffffffff) return 5;
  return 9;
}

// The head of an item (major type 0..7, argument) in its shortest form.
void AppendCborHead(uint8_t major_type, uint64_t argument,
                    std::vector<uint8_t>& out) {
  const uint8_t major = static_cast<uint8_t>(major_type << 5);
  const size_t size = CborHeadSize(argument);
  if (size == 1) {
    out.push_back(static_cast<uint8_t>(major | argument));
    return;
  }
  // Additional information 24..27 announces 1, 2, 4 or 8 argument bytes.
  const uint8_t info = size == 2 ? 24 : size == 3 ? 25 : size == 5 ? 26 : 27;
  out.push_back(static_cast<uint8_t>(major | info));
  for (size_t i = size - 1; i > 0; --i) {
    out.push_back(static_cast<uint8_t>(argument >> (8 * (i - 1))));
  }
}

}  // namespace

CborValue CborValue::Int(int64_t v) {
  if (v >= 0) return CborValue(static_cast<uint64_t>(v));
  // -1 - v without overflow for INT64_MIN.
  return CborValue(NegativeInt{static_cast<uint64_t>(-(v + 1))});
}

CborValue CborValue::Tag(uint64_t tag, CborValue item) {
  return CborValue(
      std::make_shared<const Tagged>(Tagged{tag, std::move(item)}));
}

class CborEncoder {
 public:
  static Status Encode(const CborValue& value, std::vector<uint8_t>& out) {
    return std::visit([&](const auto& v) { return Write(v, out); }, value.v_);
  }

 private:
  static Status Write(uint64_t v, std::vector<uint8_t>& out) {
    AppendCborHead(0, v, out);
    return Ok{};
  }
  static Status Write(const CborValue::NegativeInt& v,
                      std::vector<uint8_t>& out) {
    AppendCborHead(1, v.minus_one, out);
    return Ok{};
  }
  static Status Write(const std::vector<uint8_t>& v,
                      std::vector<uint8_t>& out) {
    AppendCborHead(2, v.size(), out);
    out.insert(out.end(), v.begin(), v.end());
    return Ok{};
  }
  static Status Write(const std::string& v, std::vector<uint8_t>& out) {
    AppendCborHead(3, v.size(), out);
    out.insert(out.end(), v.begin(), v.end());
    return Ok{};
  }
  static Status Write(const CborValue::Array& v, std::vector<uint8_t>& out) {
    AppendCborHead(4, v.size(), out);
    for (const CborValue& item : v) {
      Status s = Encode(item, out);
      if (!s.ok()) return s;
    }
    return Ok{};
  }
  static Status Write(const CborValue::Map& v, std::vector<uint8_t>& out) {
    // Keys and values are encoded separately so the entries can be ordered
    // by their encoded keys (RFC 8949 §4.2.1).
    std::vector<std::pair<std::vector<uint8_t>, std::vector<uint8_t>>> entries;
    entries.reserve(v.size());
    for (const auto& [key, value] : v) {
      std::vector<uint8_t> k, e;
      Status s = Encode(key, k);
      if (s.ok()) s = Encode(value, e);
      if (!s.ok()) return s;
      entries.emplace_back(std::move(k), std::move(e));
    }
    std::sort(entries.begin(), entries.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    for (size_t i = 1; i < entries.size(); ++i) {
      if (entries[i].first == entries[i - 1].first) {
        return MakeError(ErrorCode::kInvalidArgument,
                         "a CBOR map holds the same key twice");
      }
    }
    AppendCborHead(5, entries.size(), out);
    for (const auto& [k, e] : entries) {
      out.insert(out.end(), k.begin(), k.end());
      out.insert(out.end(), e.begin(), e.end());
    }
    return Ok{};
  }
  static Status Write(const CborValue::Null&, std::vector<uint8_t>& out) {
    out.push_back(0xf6);  // major type 7, simple value 22
    return Ok{};
  }
  static Status Write(const std::shared_ptr<const CborValue::Tagged>& v,
                      std::vector<uint8_t>& out) {
    AppendCborHead(6, v->tag, out);
    return Encode(v->item, out);
  }
};

Result<std::vector<uint8_t>> EncodeCbor(const CborValue& value) {
  std::vector<uint8_t> out;
  Status s = CborEncoder::Encode(value, out);
  if (!s.ok()) return s.error();
  return out;
}

}  // namespace bulwark::provenance
