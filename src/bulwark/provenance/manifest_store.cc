#include "bulwark/provenance/manifest_store.h"

#include "bulwark/core/hex.h"

namespace bulwark::provenance {
namespace {

// The first content box of a superbox whose payload is CBOR, or empty.
std::span<const uint8_t> CborContent(const JumbfSuperbox& box) {
  for (const JumbfBox& b : box.boxes) {
    if (b.type == "cbor") return b.payload;
  }
  return {};
}

StoredManifest ReadManifest(const JumbfSuperbox& box) {
  StoredManifest m;
  m.label = box.label;
  for (const JumbfSuperbox& part : box.children) {
    const std::string_view type = part.ContentTypeName();
    if (type == "c2cl") {
      if (m.claim_boxes++ == 0) {
        m.claim_label = part.label;
        m.claim = CborContent(part);
      }
    } else if (type == "c2cs") {
      if (m.signature_boxes++ == 0) m.signature = CborContent(part);
    } else if (type == "c2as") {
      for (const JumbfSuperbox& a : part.children) {
        StoredAssertion assertion{a.label, a.contents, "", {}};
        if (!a.boxes.empty()) {
          assertion.box_type = a.boxes.front().type;
          assertion.content = a.boxes.front().payload;
        }
        m.assertions.push_back(std::move(assertion));
      }
    }
    // Other parts (credential stores, databoxes) carry nothing the
    // verification of a hard-bound image needs.
  }
  return m;
}

}  // namespace

const StoredAssertion* StoredManifest::FindAssertion(
    std::string_view wanted) const {
  for (const StoredAssertion& a : assertions) {
    if (a.label == wanted) return &a;
  }
  return nullptr;
}

Result<ManifestStore> ReadManifestStore(std::span<const uint8_t> jumbf,
                                        const JumbfLimits& limits) {
  auto root = ReadJumbf(jumbf, limits);
  if (!root.ok()) return root.error();
  if (root->ContentTypeName() != "c2pa") {
    return MakeError(ErrorCode::kCorrupt,
                     "JUMBF superbox is not a C2PA manifest store (content "
                     "type " +
                         HexEncode(root->content_type) + ")");
  }
  ManifestStore store;
  for (const JumbfSuperbox& child : root->children) {
    const std::string_view type = child.ContentTypeName();
    // "c2ma": a standard manifest; "c2um": an update manifest.
    if (type == "c2ma" || type == "c2um") {
      store.manifests.push_back(ReadManifest(child));
    }
  }
  return store;
}

}  // namespace bulwark::provenance
