// Reading whole files with an explicit size limit, so that a hostile or
// mistaken path (a device, a 100 GB file) cannot exhaust memory.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bulwark/core/result.h"

namespace bulwark {

// Reads the regular file at `path`. Fails with kLimitExceeded before reading
// if the file is larger than `max_bytes`, with kNotFound if it does not
// exist, and with kInvalidArgument if it is not a regular file.
Result<std::vector<uint8_t>> ReadFile(const std::string& path,
                                      uint64_t max_bytes);

}  // namespace bulwark
