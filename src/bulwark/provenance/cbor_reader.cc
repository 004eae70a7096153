#include "bulwark/provenance/cbor_reader.h"

#include <string>

namespace bulwark::provenance {
namespace {

class Reader {
 public:
  Reader(std::span<const uint8_t> in, const CborLimits& limits)
      : in_(in), limits_(limits) {}

  Status Read(CborItem& out, size_t depth) {
    if (depth > limits_.max_depth) {
      return Limit("CBOR nests deeper than " +
                   std::to_string(limits_.max_depth) + " levels");
    }
    if (++items_ > limits_.max_items) {
      return Limit("CBOR has more than " + std::to_string(limits_.max_items) +
                   " items");
    }
    if (pos_ >= in_.size()) return Corrupt("CBOR ends before an item");
    const size_t start = pos_;
    const uint8_t initial = in_[pos_++];
    const int major = initial >> 5;
    const int info = initial & 31;
    uint64_t arg = 0;
    if (info < 24) {
      arg = info;
    } else if (info <= 27) {
      const size_t n = size_t{1} << (info - 24);
      if (in_.size() - pos_ < n) return Corrupt("CBOR ends inside a header");
      for (size_t i = 0; i < n; ++i) arg = (arg << 8) | in_[pos_++];
    } else if (info == 31) {
      return Corrupt("indefinite-length CBOR at offset " +
                     std::to_string(start) +
                     " (C2PA requires deterministic encoding)");
    } else {
      return Corrupt("reserved CBOR header byte at offset " +
                     std::to_string(start));
    }
    switch (major) {
      case 0:
        out.type = CborItem::Type::kUnsigned;
        out.value = arg;
        return Ok{};
      case 1:
        out.type = CborItem::Type::kNegative;
        out.value = arg;
        return Ok{};
      case 2:
      case 3:
        if (arg > in_.size() - pos_) {
          return Corrupt("CBOR string at offset " + std::to_string(start) +
                         " declares " + std::to_string(arg) +
                         " bytes but only " +
                         std::to_string(in_.size() - pos_) + " remain");
        }
        out.type = major == 2 ? CborItem::Type::kBytes : CborItem::Type::kText;
        out.bytes = in_.subspan(pos_, arg);
        pos_ += arg;
        return Ok{};
      case 4:
      case 5: {
        out.type = major == 4 ? CborItem::Type::kArray : CborItem::Type::kMap;
        // Every item takes at least one byte and counts against the item
        // limit, so both bound the count before it drives any allocation.
        const uint64_t per_entry = major == 4 ? 1 : 2;
        if (arg > (in_.size() - pos_) / per_entry) {
          return Corrupt("CBOR " + std::string(major == 4 ? "array" : "map") +
                         " at offset " + std::to_string(start) + " declares " +
                         std::to_string(arg) + " entries but only " +
                         std::to_string(in_.size() - pos_) + " bytes remain");
        }
        const uint64_t count = arg * per_entry;
        if (count > limits_.max_items - items_) {
          return Limit("CBOR has more than " +
                       std::to_string(limits_.max_items) + " items");
        }
        out.children.resize(count);
        for (CborItem& child : out.children) {
          Status s = Read(child, depth + 1);
          if (!s.ok()) return s;
        }
        return Ok{};
      }
      case 6:
        out.type = CborItem::Type::kTag;
        out.value = arg;
        out.children.resize(1);
        return Read(out.children[0], depth + 1);
      default:
        out.value = arg;
        out.type =
            info >= 25 ? CborItem::Type::kFloat : CborItem::Type::kSimple;
        return Ok{};
    }
  }

  size_t pos() const { return pos_; }

 private:
  Error Corrupt(std::string message) const {
    return MakeError(ErrorCode::kCorrupt, std::move(message));
  }
  Error Limit(std::string message) const {
    return MakeError(ErrorCode::kLimitExceeded, std::move(message));
  }

  std::span<const uint8_t> in_;
  const CborLimits& limits_;
  size_t pos_ = 0;
  size_t items_ = 0;
};

}  // namespace

const CborItem* CborItem::Find(std::string_view key) const {
  if (type != Type::kMap) return nullptr;
  for (size_t i = 0; i + 1 < children.size(); i += 2) {
    if (children[i].IsText() && children[i].text() == key) {
      return &children[i + 1];
    }
  }
  return nullptr;
}

const CborItem* CborItem::Find(int64_t key) const {
  if (type != Type::kMap) return nullptr;
  const Type want = key < 0 ? Type::kNegative : Type::kUnsigned;
  const uint64_t magnitude =
      key < 0 ? static_cast<uint64_t>(-(key + 1)) : static_cast<uint64_t>(key);
  for (size_t i = 0; i + 1 < children.size(); i += 2) {
    if (children[i].type == want && children[i].value == magnitude) {
      return &children[i + 1];
    }
  }
  return nullptr;
}

std::string_view CborItem::TextAt(std::string_view key) const {
  const CborItem* item = Find(key);
  return item && item->IsText() ? item->text() : std::string_view();
}

Result<CborItem> ReadCbor(std::span<const uint8_t> bytes,
                          const CborLimits& limits) {
  Reader reader(bytes, limits);
  CborItem item;
  Status s = reader.Read(item, 0);
  if (!s.ok()) return s.error();
  if (reader.pos() != bytes.size()) {
    return MakeError(ErrorCode::kCorrupt,
                     "CBOR has " + std::to_string(bytes.size() - reader.pos()) +
                         " unexpected bytes after the item");
  }
  return item;
}

}  // namespace bulwark::provenance
