// TextChecker: the whole prompt-text safeguard (normalisation, every view
// through the lexicon matcher, the rules), and its start-up.
// Targets (issue 6): at least 20,000 checks a second on one core for
// 500-character prompts, and start-up with a 20,000-term lexicon within
// 1 s when the compiled patterns are in the cache.
//   taskset -c 1 build/bulwark_bench --benchmark_filter='TextCheck'
//
// Hyperscan compiles 20,000 leet-tolerant terms slowly (minutes, about
// 160 MB of databases), and the start-up benchmark first fills the cache:
// BULWARK_TEXT_BENCH_DIR=DIR keeps the synthetic lexicon and its cache in
// DIR, so only the first run with it compiles. The cold compile itself
// (BM_TextChecker_Compile_20k, one compile) runs only when
// BULWARK_TEXT_BENCH_COMPILE=1.
//
// The prompts are benign English made from a list of neutral words; the
// 20,000-term lexicon is made of invented consonant-vowel pseudo-words
// (none of them a word of the shipped lexicons), spread over the
// categories the default rules use, in a made-up language "xx".
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "bulwark/policy/policy.h"
#include "bulwark/text/text_checker.h"
#include "support/scratch_dir.h"

namespace bulwark::text {
namespace {

namespace fs = std::filesystem;
using bulwark::testing::ScratchDir;

// SplitMix64: the same prompts and pseudo-words on every run.
struct Rng {
  uint64_t state;
  uint64_t Next() {
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  size_t Below(size_t n) { return static_cast<size_t>(Next() % n); }
};

const char* const kNouns[] = {
    "garden",    "river",    "window",  "table",    "letter",  "bread",
    "lamp",      "mountain", "harbour", "candle",   "orchard", "teacup",
    "valley",    "forest",   "meadow",  "bicycle",  "library", "notebook",
    "pencil",    "kettle",   "cloud",   "sunrise",  "village", "bridge",
    "lantern",   "compass",  "ribbon",  "market",   "recipe",  "painting",
    "telescope", "umbrella", "castle",  "island",   "station", "museum",
    "violin",    "chimney",  "puzzle",  "calendar", "bakery",  "festival",
    "journey",   "weather",  "pebble",  "feather",  "meeting", "project"};
const char* const kAdjectives[] = {
    "quiet", "bright", "old",    "green",   "wooden", "distant", "small",
    "warm",  "gentle", "narrow", "crowded", "tidy",   "golden",  "rainy",
    "calm",  "sturdy", "silver", "simple",  "useful", "careful"};
const char* const kVerbs[] = {"describe", "explain", "compare", "summarise",
                              "imagine",  "list",    "plan",    "draw",
                              "sketch",   "outline", "review",  "design"};
const char* const kLinks[] = {"near",  "beside", "behind", "under",
                              "above", "across", "around", "along"};

template <size_t N>
const char* Pick(Rng& rng, const char* const (&words)[N]) {
  return words[rng.Below(N)];
}

// "quiet garden near the "
std::string Phrase(Rng& rng) {
  std::string s = Pick(rng, kAdjectives);
  s += ' ';
  s += Pick(rng, kNouns);
  s += ' ';
  s += Pick(rng, kLinks);
  s += " the ";
  return s;
}

// One sentence: "Please describe the quiet garden near the old bridge, and
// the lamp."
std::string Sentence(Rng& rng) {
  std::string s = rng.Below(2) ? "Please " : "Could you ";
  s += Pick(rng, kVerbs);
  s += " the ";
  s += Phrase(rng);
  s += Pick(rng, kNouns);
  if (rng.Below(2)) {
    s += ", and the ";
    s += Pick(rng, kAdjectives);
    s += ' ';
    s += Pick(rng, kNouns);
  }
  s += s.starts_with("Could") ? "? " : ". ";
  return s;
}

// Sentences up to `chars` characters (cut at a word, ended with a full
// stop).
std::string Prompt(Rng& rng, size_t chars) {
  std::string p;
  while (p.size() < chars) p += Sentence(rng);
  p.resize(chars - 1);
  while (!p.empty() && p.back() != ' ') p.pop_back();
  while (!p.empty() && (p.back() == ' ' || p.back() == ',')) p.pop_back();
  p += '.';
  while (p.size() < chars) p.insert(p.rfind(' ') + 1, 1, ' ');  // pad
  return p;
}

std::string Base64(std::string_view in) {
  static const char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (size_t i = 0; i < in.size(); i += 3) {
    uint32_t n = static_cast<uint8_t>(in[i]) << 16;
    if (i + 1 < in.size()) n |= static_cast<uint8_t>(in[i + 1]) << 8;
    if (i + 2 < in.size()) n |= static_cast<uint8_t>(in[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < in.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += i + 2 < in.size() ? kAlphabet[n & 63] : '=';
  }
  return out;
}

size_t CodePoints(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<uint8_t>(c) & 0xC0) != 0x80;
  return n;
}

// ASCII letters of `word` as fullwidth forms (U+FF21..U+FF5A).
std::string Fullwidth(std::string_view word) {
  std::string out;
  for (char c : word) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      char32_t cp = 0xFF21 + (c >= 'a' ? c - 'a' + 0x20 : c - 'A');
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += c;
    }
  }
  return out;
}

// The plain prompt obfuscated the way evasion attempts are: three words in
// fullwidth letters, zero-width spaces inside four words, a Cyrillic
// look-alike in one, and a base64 stretch of neutral words at the end;
// about 500 characters in all.
std::string Obfuscated(Rng& rng) {
  std::string tail = " Then decode this: ";
  std::string plain;
  for (int i = 0; i < 2; ++i) plain += Phrase(rng);
  plain += Pick(rng, kNouns);
  tail += Base64(plain);
  std::string p = Prompt(rng, 500 - CodePoints(tail));
  std::vector<std::pair<size_t, size_t>> words;  // [begin, end) of letters
  for (size_t i = 0; i < p.size();) {
    while (i < p.size() && !isalpha(static_cast<unsigned char>(p[i]))) ++i;
    size_t b = i;
    while (i < p.size() && isalpha(static_cast<unsigned char>(p[i]))) ++i;
    if (i - b >= 4) words.emplace_back(b, i);
  }
  // Edit from the end so earlier offsets stay valid.
  for (size_t k = words.size(); k-- > 0;) {
    auto [b, e] = words[k];
    if (k == 3 || k == 11 || k == 19) {
      p.replace(b, e - b, Fullwidth(p.substr(b, e - b)));
    } else if (k == 5 || k == 13 || k == 21 || k == 29) {
      p.insert(b + 2, "\u200B");
    } else if (k == 8) {
      size_t a = p.find('a', b);
      if (a < e) p.replace(a, 1, "\u0430");  // Cyrillic a
    }
  }
  while (CodePoints(p) + CodePoints(tail) > 500) {
    p.erase(p.rfind(' '));
  }
  return p + tail;
}

std::vector<std::string> Prompts(bool obfuscated) {
  Rng rng{obfuscated ? 2u : 1u};
  std::vector<std::string> prompts;
  for (int i = 0; i < 64; ++i) {
    prompts.push_back(obfuscated ? Obfuscated(rng) : Prompt(rng, 500));
  }
  return prompts;
}

// The shipped lexicons and default rules, patterns cached in a temporary
// directory; built once for every benchmark.
const TextChecker* ShippedChecker(std::string* error) {
  static ScratchDir cache;
  static Result<TextChecker> checker = [] {
    TextCheckerOptions options = policy::Policy::Default().text();
    options.cache_dir = cache.path();
    return TextChecker::Create(options);
  }();
  if (!checker.ok()) {
    *error = checker.error().ToString();
    return nullptr;
  }
  return &*checker;
}

void RunChecks(benchmark::State& state, bool obfuscated) {
  std::string error;
  const TextChecker* checker = ShippedChecker(&error);
  if (checker == nullptr) {
    state.SkipWithError(error.c_str());
    return;
  }
  const std::vector<std::string> prompts = Prompts(obfuscated);
  // The prompts are benign: nothing may fire, and every view is counted.
  size_t chars = 0, views = 0;
  for (const std::string& p : prompts) {
    auto report = checker->Check(p, false);
    if (!report.ok()) {
      state.SkipWithError(report.error().ToString().c_str());
      return;
    }
    if (!report->fired.empty()) {
      error = "a benign prompt fired " +
              checker->rules()[report->fired[0].rule].name + ": " + p;
      state.SkipWithError(error.c_str());
      return;
    }
    chars += CodePoints(p);
    views += report->views;
  }
  size_t i = 0;
  for (auto _ : state) {
    auto report = checker->Check(prompts[i], false);
    benchmark::DoNotOptimize(report);
    i = (i + 1) % prompts.size();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
  const double n = static_cast<double>(prompts.size());
  state.counters["chars"] = static_cast<double>(chars) / n;
  state.counters["views"] = static_cast<double>(views) / n;
  state.counters["terms"] =
      static_cast<double>(checker->lexicon().terms.size());
}

void BM_TextCheck_500(benchmark::State& state) { RunChecks(state, false); }
BENCHMARK(BM_TextCheck_500);

void BM_TextCheck_500_Obfuscated(benchmark::State& state) {
  RunChecks(state, true);
}
BENCHMARK(BM_TextCheck_500_Obfuscated);

// --- Start-up with 20,000 terms -------------------------------------------

constexpr int kSyntheticTerms = 20000;

// Every word of the shipped lexicons: pseudo-words equal to one are skipped.
std::set<std::string> ShippedWords(const std::string& dir) {
  std::set<std::string> words;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->path().extension() != ".txt") continue;
    std::ifstream in(it->path());
    std::string word;
    while (in >> word) {
      while (!word.empty() && word.back() == '*') word.pop_back();
      words.insert(word);
    }
  }
  return words;
}

// "xx/{minor,sexual,suggestive,coded,benign}.txt" with kSyntheticTerms
// distinct entries, consonant-vowel pseudo-words of 5-10 letters: one in
// ten a two-word phrase, one in ten ending in '*'. leet.txt is the
// shipped one.
struct SyntheticLexicon {
  std::optional<ScratchDir> scratch;  // when BULWARK_TEXT_BENCH_DIR is unset
  std::string root;
  TextCheckerOptions options;
  std::string error;

  // `name` relative to the lexicon directory.
  void Write(const std::string& name, const std::string& body) const {
    const fs::path path = fs::path(root) / "lexicon" / name;
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << body;
  }

  SyntheticLexicon() {
    const char* env = std::getenv("BULWARK_TEXT_BENCH_DIR");
    if (env != nullptr && *env != '\0') {
      root = env;
    } else {
      scratch.emplace();
      root = scratch->path();
    }
    const TextCheckerOptions shipped = policy::Policy::Default().text();
    const std::set<std::string> avoid = ShippedWords(shipped.lexicon_dir);
    std::ifstream leet(fs::path(shipped.lexicon_dir) / "leet.txt");
    std::stringstream leet_text;
    leet_text << leet.rdbuf();
    Write("leet.txt", leet_text.str());

    static const char kConsonants[] = "bdfgkmnprstvz";
    static const char kVowels[] = "aeiou";
    Rng rng{20000};
    auto pseudo_word = [&] {
      for (;;) {
        const size_t len = 5 + rng.Below(6);
        std::string w;
        for (size_t i = 0; i < len; ++i) {
          w += i % 2 == 0 ? kConsonants[rng.Below(sizeof kConsonants - 1)]
                          : kVowels[rng.Below(sizeof kVowels - 1)];
        }
        if (!avoid.count(w)) return w;
      }
    };
    // Percent of the terms per category.
    const std::pair<const char*, int> kCategories[] = {{"minor", 20},
                                                       {"sexual", 30},
                                                       {"suggestive", 20},
                                                       {"coded", 5},
                                                       {"benign", 25}};
    std::set<std::string> seen;
    for (const auto& [category, percent] : kCategories) {
      std::string body = "# Synthetic pseudo-words for benchmarks.\n";
      const int count = kSyntheticTerms * percent / 100;
      for (int n = 0; n < count;) {
        std::string term = pseudo_word();
        const size_t kind = rng.Below(10);
        if (kind == 0) term += ' ' + pseudo_word();
        if (!seen.insert(term).second) continue;
        if (kind == 1) term += '*';
        body += term + '\n';
        ++n;
      }
      Write(std::string("xx/") + category + ".txt", body);
    }
    options = shipped;
    options.lexicon_dir = root + "/lexicon";
    options.languages = {"xx"};
    options.cache_dir = root + "/cache";
    // Fill the cache (or find it filled by an earlier run).
    auto checker = TextChecker::Create(options);
    if (!checker.ok()) {
      error = checker.error().ToString();
    } else if (checker->lexicon().terms.size() != kSyntheticTerms) {
      error = "synthetic lexicon has " +
              std::to_string(checker->lexicon().terms.size()) + " terms";
    }
  }
};

SyntheticLexicon& Synthetic() {
  static SyntheticLexicon lexicon;
  return lexicon;
}

void BM_TextChecker_Startup_20k(benchmark::State& state) {
  SyntheticLexicon& lexicon = Synthetic();
  if (!lexicon.error.empty()) {
    state.SkipWithError(lexicon.error.c_str());
    return;
  }
  for (auto _ : state) {
    auto checker = TextChecker::Create(lexicon.options);
    if (!checker.ok() || !checker->patterns_from_cache()) {
      state.SkipWithError(checker.ok() ? "patterns were not read from cache"
                                       : checker.error().ToString().c_str());
      return;
    }
    benchmark::DoNotOptimize(checker);
  }
  state.counters["terms"] = kSyntheticTerms;
}
BENCHMARK(BM_TextChecker_Startup_20k)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// First start: nothing cached, the patterns are compiled (and written to an
// empty cache directory).
void BM_TextChecker_Compile_20k(benchmark::State& state) {
  SyntheticLexicon& lexicon = Synthetic();
  if (!lexicon.error.empty()) {
    state.SkipWithError(lexicon.error.c_str());
    return;
  }
  ScratchDir empty_cache;
  TextCheckerOptions options = lexicon.options;
  options.cache_dir = empty_cache.path();
  for (auto _ : state) {
    auto checker = TextChecker::Create(options);
    if (!checker.ok() || checker->patterns_from_cache()) {
      state.SkipWithError(checker.ok() ? "patterns came from a cache"
                                       : checker.error().ToString().c_str());
      return;
    }
    benchmark::DoNotOptimize(checker);
  }
  state.counters["terms"] = kSyntheticTerms;
}
int RegisterCompile() {
  const char* env = std::getenv("BULWARK_TEXT_BENCH_COMPILE");
  if (env != nullptr && std::string(env) == "1") {
    benchmark::RegisterBenchmark("BM_TextChecker_Compile_20k",
                                 BM_TextChecker_Compile_20k)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime()
        ->Iterations(1);
  }
  return 0;
}
const int kCompileRegistered = RegisterCompile();

}  // namespace
}  // namespace bulwark::text
