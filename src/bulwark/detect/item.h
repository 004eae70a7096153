// An item: one piece of content to check, with its context (DESIGN.md: Item
// -> Detectors -> Findings -> Policy -> Verdict). Plain values; the bytes
// are owned by the item.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bulwark/detect/decoded_image.h"

namespace bulwark::detect {

enum class Direction {
  kInput,    // a prompt going in to a model
  kOutput,   // something a model produced
  kDataset,  // a training-data sample
};

const char* DirectionName(Direction d);  // "input", "output", "dataset"

struct Item {
  std::string account;  // the platform's own id of who sent it; may be empty
  Direction direction = Direction::kInput;
  std::optional<std::string> text;  // UTF-8
  // Encoded image bytes (JPEG, PNG, ...), as received.
  std::optional<std::vector<uint8_t>> image;
  // For outputs: the prompt that produced them.
  std::optional<std::string> prompt;
  // Set by a caller whose detectors both hash and classify the image: they
  // share one decode through it. Null: each detector decodes as it likes
  // (hashing streams JPEG rows without building the whole image).
  std::shared_ptr<DecodedImage> decoded;
};

}  // namespace bulwark::detect
