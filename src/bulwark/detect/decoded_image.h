// An item's image decoded once per check and shared by the detectors that
// need its pixels (hashing and classification), so a request pays for one
// decode however many of them run.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <span>

#include "bulwark/core/result.h"
#include "bulwark/media/decoder.h"

namespace bulwark::detect {

class DecodedImage {
 public:
  // Every detector sharing one DecodedImage must decode with these options
  // (the service gives them all its configured image limits).
  explicit DecodedImage(media::DecodeOptions options)
      : options_(std::move(options)) {}

  // The decode of `bytes` (the item's image), made by the first caller;
  // later callers wait for it and get the same result, error included.
  // The reference stays valid while this object lives.
  const Result<media::Image>& Get(std::span<const uint8_t> bytes);

 private:
  media::DecodeOptions options_;
  std::once_flag once_;
  std::optional<Result<media::Image>> image_;
};

}  // namespace bulwark::detect
