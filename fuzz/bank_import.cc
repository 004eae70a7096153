// The hash-list importers (lines, CSV, JSONL, NCMEC XML) on arbitrary
// bytes: lists come from outside, so parsing must never crash, hang or
// grow without bound. The first byte picks the format (or detection) and
// the fallback signal type.
#include <cstdlib>
#include <sstream>
#include <string>

#include "bulwark/bank/import.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace bulwark;
  if (size < 1) return 0;
  bank::ImportOptions options;
  options.format = static_cast<bank::ImportFormat>(data[0] % 5);
  if (data[0] & 8) options.signal_type = hash::SignalType::kPdq;
  std::istringstream in(
      std::string(reinterpret_cast<const char*>(data + 1), size - 1));
  auto parsed = bank::ParseImport(in, options);
  if (!parsed.ok()) {
    if (parsed.error().message.empty()) std::abort();
    return 0;
  }
  // Every record is an entry, a retraction or an issue; issues carry lines.
  if (parsed->issue_count < static_cast<int64_t>(parsed->issues.size())) {
    std::abort();
  }
  for (const auto& issue : parsed->issues) {
    if (issue.line < 1 || issue.message.empty()) std::abort();
  }
  for (const auto& e : parsed->entries) {
    if (e.signal.ToHex().empty()) std::abort();
  }
  return 0;
}
