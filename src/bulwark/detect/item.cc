#include "bulwark/detect/item.h"

namespace bulwark::detect {

const char* DirectionName(Direction d) {
  switch (d) {
    case Direction::kInput:
      return "input";
    case Direction::kOutput:
      return "output";
    case Direction::kDataset:
      return "dataset";
  }
  return "input";
}

}  // namespace bulwark::detect
