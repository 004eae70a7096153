// The text safeguard on arbitrary bytes: normalisation (hidden payloads,
// decoders, ICU steps), tokenising, matching and rules, with the default
// policy's rules over a small lexicon of placeholder words (the shipped
// lexicons would take minutes to compile under the sanitizers; the code
// paths are the same) and the shipped leet table. Must never crash, hang
// or point a span outside the input.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>

#include <unistd.h>

#include "bulwark/policy/policy.h"
#include "bulwark/text/text_checker.h"

namespace {

namespace fs = std::filesystem;

void Write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

const bulwark::text::TextChecker& Checker() {
  static const std::unique_ptr<bulwark::text::TextChecker> checker = [] {
    bulwark::text::TextCheckerOptions options =
        bulwark::policy::Policy::Default().text();
    const fs::path dir = fs::temp_directory_path() /
                         ("bulwark-fuzz-text-" + std::to_string(::getpid()));
    fs::create_directories(dir / "en");
    fs::copy_file(fs::path(options.lexicon_dir) / "leet.txt", dir / "leet.txt",
                  fs::copy_options::overwrite_existing);
    Write(dir / "en/minor.txt", "apple\napples\ncherry pie\n");
    Write(dir / "en/sexual.txt", "banana\nplum*\n");
    Write(dir / "en/suggestive.txt", "banana split\nmelon\n");
    Write(dir / "en/coded.txt", "zorbix\n");
    Write(dir / "en/benign.txt", "banana bread\n");
    Write(dir / "en/numbers.txt", "one 1\ntwelve 12\ntwenty 20\nand +\n");
    Write(dir / "en/age_units.txt", "years old\nyo\n");
    Write(dir / "en/age_markers.txt", "aged\n");
    Write(dir / "en/common.txt", "a\nof\nphoto\n");
    options.lexicon_dir = dir.string();
    options.languages = {"en"};
    options.limits.max_input_bytes = 4096;
    auto c = bulwark::text::TextChecker::Create(options);
    fs::remove_all(dir);
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
