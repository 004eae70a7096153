// Everything `bulwark hash` computes for one file's bytes: the digests of the
// bytes and, for images, the PDQ hash of the decoded pixels.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "bulwark/core/result.h"
#include "bulwark/hash/digest.h"
#include "bulwark/hash/pdq.h"
#include "bulwark/media/decoder.h"

namespace bulwark::hash {

enum class OrientationPolicy {
  kAsStored,  // hash pixels as stored, as hash-list producers do (default)
  kApply,     // rotate/flip upright per EXIF first
};

struct HashRequest {
  bool pdq = true;
  bool md5 = true;
  bool sha1 = true;
  bool sha256 = true;
  PdqOptions pdq_options;
  media::DecodeOptions decode;
  OrientationPolicy orientation = OrientationPolicy::kAsStored;
};

struct ImageInfo {
  media::ImageFormat format = media::ImageFormat::kUnknown;
  int width = 0;   // of the encoded image as stored (before any EXIF
  int height = 0;  // rotation or reduced-scale decoding), pixels
  media::Orientation orientation = media::Orientation::kTopLeft;
};

struct FileHashes {
  std::optional<std::string> md5, sha1, sha256;  // lowercase hex
  std::optional<PdqResult> pdq;
  std::optional<ImageInfo> image;  // set when the bytes decoded
  // Why a requested hash is missing (decode failure, too small, ...). The
  // digests are still filled in when only the image part failed.
  std::optional<Error> error;
};

FileHashes HashBytes(std::span<const uint8_t> bytes, const HashRequest& req);

// As HashBytes, for bytes already decoded into `image` (the result of
// media::DecodeImage(bytes, req.decode), error included) by a caller that
// needs the pixels for something else too. Fast mode decodes again, at the
// reduced scale it hashes.
FileHashes HashDecoded(std::span<const uint8_t> bytes,
                       const Result<media::Image>& image,
                       const HashRequest& req);

}  // namespace bulwark::hash
