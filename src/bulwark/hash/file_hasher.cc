#include "bulwark/hash/file_hasher.h"

#include <memory>
#include <new>

#include "bulwark/core/hex.h"
#include "bulwark/hash/digest_fused.h"
#include "bulwark/hash/pdq_rows.h"
#include "bulwark/media/jpeg_decoder.h"
#include "bulwark/media/orientation.h"

namespace bulwark::hash {
namespace {

void Digest(DigestAlgorithm algorithm, std::span<const uint8_t> bytes,
            std::optional<std::string>& out, FileHashes& result) {
  auto hex = DigestHex(algorithm, bytes);
  if (hex.ok()) {
    out = std::move(*hex);
  } else if (!result.error) {
    result.error = hex.error();
  }
}

// Feeds a JPEG's rows straight into PdqRowHasher.
class PdqSink final : public media::JpegRowSink {
 public:
  explicit PdqSink(bool dihedral) : dihedral_(dihedral) {}

  int Begin(const media::JpegRowsInfo& info) override {
    info_ = info;
    if (!PdqRowHasher::Accepts(info.width, info.height)) return 0;
    // Begin runs inside the decoder, which must not be unwound by an
    // exception: without memory, decline and let the whole-image path fail
    // as it always has.
    try {
      hasher_ = std::make_unique<PdqRowHasher>(info.width, info.height,
                                               info.format, dihedral_);
    } catch (const std::bad_alloc&) {
      return 0;
    }
    return PdqRowHasher::kStripRows;
  }
  void Rows(const uint8_t* rows, size_t stride, int count) override {
    hasher_->PushRows(rows, stride, count);
  }

  const media::JpegRowsInfo& info() const { return info_; }
  PdqRowHasher& hasher() { return *hasher_; }

 private:
  bool dihedral_;
  media::JpegRowsInfo info_;
  std::unique_ptr<PdqRowHasher> hasher_;
};

// PDQ of a JPEG decoded strip by strip, when that applies (pixels hashed as
// stored, full or fast mode): fills in result's image part and returns
// true, or returns false with result untouched when the caller must decode
// the whole image instead. Decoding and hashing are those of the
// whole-image path, so results and errors are the same.
bool StreamJpegPdq(std::span<const uint8_t> bytes, const HashRequest& req,
                   const media::DecodeOptions& decode, FileHashes& result) {
  if (req.orientation != OrientationPolicy::kAsStored ||
      req.pdq_options.mode == PdqMode::kCli512 ||
      media::SniffFormat(bytes) != media::ImageFormat::kJpeg ||
      bytes.size() > decode.limits.max_bytes) {
    return false;
  }
  PdqSink sink(req.pdq_options.dihedral);
  auto decoded = media::DecodeJpegRows(bytes, decode, sink);
  if (!decoded.ok()) {
    result.error = decoded.error();
    return true;
  }
  if (!*decoded) return false;  // the sink declined
  std::optional<PdqResult> pdq = sink.hasher().Finish();
  if (!pdq) return false;  // all grey: needs the whole image
  const media::JpegRowsInfo& info = sink.info();
  result.image = ImageInfo{media::ImageFormat::kJpeg, info.source_width,
                           info.source_height, info.orientation};
  result.pdq = std::move(*pdq);
  return true;
}

void DigestsInto(std::span<const uint8_t> bytes, const HashRequest& req,
                 FileHashes& result) {
  if (req.md5 && req.sha1 && req.sha256 && FusedDigestsAvailable()) {
    const FusedDigestResult d = FusedDigests(bytes);
    result.md5 = HexEncode(d.md5);
    result.sha1 = HexEncode(d.sha1);
    result.sha256 = HexEncode(d.sha256);
    return;
  }
  if (req.md5) Digest(DigestAlgorithm::kMd5, bytes, result.md5, result);
  if (req.sha1) Digest(DigestAlgorithm::kSha1, bytes, result.sha1, result);
  if (req.sha256) {
    Digest(DigestAlgorithm::kSha256, bytes, result.sha256, result);
  }
}

void PdqInto(std::span<const uint8_t> bytes, const Result<media::Image>& image,
             const HashRequest& req, FileHashes& result) {
  if (!image.ok()) {
    result.error = image.error();
    return;
  }
  result.image = ImageInfo{media::SniffFormat(bytes), image->source_width,
                           image->source_height, image->orientation};
  Result<PdqResult> pdq =
      req.orientation == OrientationPolicy::kApply
          ? ComputePdq(media::ApplyOrientation(*image), req.pdq_options)
          : ComputePdq(*image, req.pdq_options);
  if (pdq.ok()) {
    result.pdq = std::move(*pdq);
  } else {
    result.error = pdq.error();
  }
}

}  // namespace

FileHashes HashBytes(std::span<const uint8_t> bytes, const HashRequest& req) {
  FileHashes result;
  DigestsInto(bytes, req, result);
  if (!req.pdq) return result;

  media::DecodeOptions decode = req.decode;
  if (req.pdq_options.mode == PdqMode::kFast) {
    decode.min_side_hint = kFastModeMinSide;
  }
  if (StreamJpegPdq(bytes, req, decode, result)) return result;
  PdqInto(bytes, media::DecodeImage(bytes, decode), req, result);
  return result;
}

FileHashes HashDecoded(std::span<const uint8_t> bytes,
                       const Result<media::Image>& image,
                       const HashRequest& req) {
  if (req.pdq && req.pdq_options.mode == PdqMode::kFast) {
    return HashBytes(bytes, req);  // fast mode decodes at reduced scale
  }
  FileHashes result;
  DigestsInto(bytes, req, result);
  if (req.pdq) PdqInto(bytes, image, req, result);
  return result;
}

}  // namespace bulwark::hash
