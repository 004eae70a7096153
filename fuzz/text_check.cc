// The text safeguard on arbitrary bytes: normalisation (hidden payloads,
// decoders, ICU steps), tokenising, matching and rules over the shipped
// lexicons and default rules. Must never crash, hang or point a span
// outside the input.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string_view>

#include "bulwark/policy/policy.h"
#include "bulwark/text/text_checker.h"

namespace {

const bulwark::text::TextChecker& Checker() {
  static const std::unique_ptr<bulwark::text::TextChecker> checker = [] {
    bulwark::text::TextCheckerOptions options =
        bulwark::policy::Policy::Default().text();
    options.limits.max_input_bytes = 4096;
    auto c = bulwark::text::TextChecker::Create(options);
    if (!c.ok()) {
      std::fprintf(stderr, "fuzz_text_check: %s\n",
                   c.error().ToString().c_str());
      std::abort();
    }
    return std::make_unique<bulwark::text::TextChecker>(std::move(*c));
  }();
  return *checker;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto report = Checker().Check(text, /*explain=*/size % 2 == 0);
  if (!report.ok()) return 0;
  for (const auto& fired : report->fired) {
    for (const auto& hit : fired.evidence) {
      if (hit.original.begin > hit.original.end || hit.original.end > size) {
        std::abort();
      }
    }
  }
  for (const auto& change : report->changes) {
    if (change.original.end > size) std::abort();
  }
  return 0;
}
