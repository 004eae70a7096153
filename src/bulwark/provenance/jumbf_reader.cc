#include "bulwark/provenance/jumbf_reader.h"

#include <cstring>

namespace bulwark::provenance {
namespace {

// Description box toggles (ISO/IEC 19566-5, Table B.3).
constexpr uint8_t kHasLabel = 0x02;
constexpr uint8_t kHasId = 0x04;
constexpr uint8_t kHasSignature = 0x08;
constexpr uint8_t kHasPrivateBox = 0x10;

uint32_t Be32(const uint8_t* p) {
  return uint32_t{p[0]} << 24 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 8 |
         p[3];
}

// Box types are meant to be printable; anything else is shown as '?' so a
// crafted type cannot put control characters into a message.
std::string PrintableType(const uint8_t* p) {
  std::string type(4, '?');
  for (int i = 0; i < 4; ++i) {
    if (p[i] >= 0x20 && p[i] < 0x7f) type[i] = static_cast<char>(p[i]);
  }
  return type;
}

struct BoxHeader {
  std::string type;
  size_t size = 0;         // whole box
  size_t header_size = 0;  // 8, or 16 with an extended length
};

class Reader {
 public:
  Reader(std::span<const uint8_t> store, const JumbfLimits& limits)
      : store_(store), limits_(limits) {}

  // The header of the box at `offset`, which must end by `end`.
  Result<BoxHeader> Header(size_t offset, size_t end) {
    if (++boxes_ > limits_.max_boxes) {
      return MakeError(ErrorCode::kLimitExceeded,
                       "JUMBF store has more than " +
                           std::to_string(limits_.max_boxes) + " boxes");
    }
    const size_t remaining = end - offset;
    if (remaining < 8) {
      return MakeError(ErrorCode::kCorrupt,
                       "JUMBF box header at offset " + std::to_string(offset) +
                           " needs 8 bytes but only " +
                           std::to_string(remaining) + " remain");
    }
    BoxHeader h;
    h.type = PrintableType(&store_[offset + 4]);
    uint64_t size = Be32(&store_[offset]);
    h.header_size = 8;
    if (size == 1) {
      if (remaining < 16) {
        return MakeError(ErrorCode::kCorrupt,
                         "JUMBF box '" + h.type + "' at offset " +
                             std::to_string(offset) +
                             " has a truncated extended length");
      }
      size = uint64_t{Be32(&store_[offset + 8])} << 32 |
             Be32(&store_[offset + 12]);
      h.header_size = 16;
    } else if (size == 0) {
      size = remaining;  // "to the end of the enclosing box"
    }
    if (size > remaining) {
      return MakeError(ErrorCode::kCorrupt,
                       "JUMBF box '" + h.type + "' at offset " +
                           std::to_string(offset) + " declares " +
                           std::to_string(size) + " bytes but only " +
                           std::to_string(remaining) + " remain");
    }
    if (size < h.header_size) {
      return MakeError(ErrorCode::kCorrupt,
                       "JUMBF box '" + h.type + "' at offset " +
                           std::to_string(offset) + " declares " +
                           std::to_string(size) +
                           " bytes, less than its own header");
    }
    h.size = static_cast<size_t>(size);
    return h;
  }

  // Reads the superbox whose 'jumb' header is at `offset`.
  Status Superbox(size_t offset, const BoxHeader& header, size_t depth,
                  JumbfSuperbox& out) {
    if (depth > limits_.max_depth) {
      return MakeError(ErrorCode::kLimitExceeded,
                       "JUMBF superboxes nest deeper than " +
                           std::to_string(limits_.max_depth) + " levels");
    }
    const size_t begin = offset + header.header_size;
    const size_t end = offset + header.size;
    out.offset = offset;
    out.contents = store_.subspan(begin, end - begin);

    auto description = Header(begin, end);
    if (!description.ok()) return description.error();
    if (description->type != "jumd") {
      return MakeError(ErrorCode::kCorrupt,
                       "JUMBF superbox at offset " + std::to_string(offset) +
                           " starts with '" + description->type +
                           "' instead of a description box 'jumd'");
    }
    Status s = Description(begin, *description, out);
    if (!s.ok()) return s;

    for (size_t pos = begin + description->size; pos < end;) {
      auto box = Header(pos, end);
      if (!box.ok()) return box.error();
      if (box->type == "jumb") {
        out.children.emplace_back();
        Status child = Superbox(pos, *box, depth + 1, out.children.back());
        if (!child.ok()) return child;
      } else {
        out.boxes.push_back(
            JumbfBox{box->type, pos,
                     store_.subspan(pos + box->header_size,
                                    box->size - box->header_size)});
      }
      pos += box->size;
    }
    return Ok{};
  }

 private:
  Status Description(size_t offset, const BoxHeader& header,
                     JumbfSuperbox& out) {
    size_t pos = offset + header.header_size;
    const size_t end = offset + header.size;
    auto corrupt = [&](const char* what) {
      return MakeError(ErrorCode::kCorrupt, "JUMBF description box at offset " +
                                                std::to_string(offset) + " " +
                                                what);
    };
    if (end - pos < 17) return corrupt("is too short for its type and toggles");
    std::memcpy(out.content_type.data(), &store_[pos], 16);
    const uint8_t toggles = store_[pos + 16];
    pos += 17;
    if (toggles & kHasLabel) {
      const uint8_t* first = &store_[pos];
      const void* nul = std::memchr(first, 0, end - pos);
      if (!nul) return corrupt("has a label without its terminating NUL");
      const size_t length = static_cast<const uint8_t*>(nul) - first;
      out.label.assign(reinterpret_cast<const char*>(first), length);
      pos += length + 1;
    }
    if (toggles & kHasId) {
      if (end - pos < 4) return corrupt("ends inside its ID");
      pos += 4;
    }
    if (toggles & kHasSignature) {
      if (end - pos < 32) return corrupt("ends inside its signature");
      pos += 32;
    }
    if (toggles & kHasPrivateBox) {
      // C2PA puts the assertion salt here ('c2sh'); it is covered by the
      // hashed URI through `contents`, so only its framing is checked.
      auto box = Header(pos, end);
      if (!box.ok()) return box.error();
      pos += box->size;
    }
    if (pos != end) return corrupt("has unexpected bytes after its fields");
    return Ok{};
  }

  std::span<const uint8_t> store_;
  const JumbfLimits& limits_;
  size_t boxes_ = 0;
};

}  // namespace

const JumbfSuperbox* JumbfSuperbox::Child(std::string_view wanted) const {
  for (const JumbfSuperbox& child : children) {
    if (child.label == wanted) return &child;
  }
  return nullptr;
}

Result<JumbfSuperbox> ReadJumbf(std::span<const uint8_t> store,
                                const JumbfLimits& limits) {
  Reader reader(store, limits);
  auto header = reader.Header(0, store.size());
  if (!header.ok()) return header.error();
  if (header->type != "jumb") {
    return MakeError(ErrorCode::kCorrupt, "JUMBF store starts with box '" +
                                              header->type +
                                              "' instead of a superbox 'jumb'");
  }
  if (header->size != store.size()) {
    return MakeError(ErrorCode::kCorrupt,
                     "JUMBF store has " +
                         std::to_string(store.size() - header->size) +
                         " bytes after its superbox");
  }
  JumbfSuperbox root;
  Status s = reader.Superbox(0, *header, 0, root);
  if (!s.ok()) return s.error();
  return root;
}

}  // namespace bulwark::provenance
