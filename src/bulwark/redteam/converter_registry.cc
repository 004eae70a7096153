// Names the converters, fixes their order, and chains them.
#include "bulwark/redteam/converter_functions.h"
#include "bulwark/redteam/seeded_random.h"

namespace bulwark::redteam {
namespace {

using ConvertFn = std::string (*)(std::string_view, uint64_t);

// A stateless converter: a name and a function. The seed is mixed with the
// name, so converters sharing a step seed make unrelated choices.
class FunctionConverter : public Converter {
 public:
  FunctionConverter(const char* name, ConvertFn fn) : name_(name), fn_(fn) {}
  std::string_view name() const override { return name_; }
  std::string Convert(std::string_view utf8, uint64_t seed) const override {
    return fn_(utf8, SeedFor(seed, name_));
  }

 private:
  const char* name_;
  ConvertFn fn_;
};

struct Entry {
  const char* name;
  ConvertFn fn;
};

constexpr Entry kConverters[] = {
    {"leetspeak", Leetspeak},
    {"homoglyph", Homoglyph},
    {"zero-width", ZeroWidth},
    {"tag-smuggling", TagSmuggling},
    {"variation-selector", VariationSelector},
    {"spacing", Spacing},
    {"punctuation", Punctuation},
    {"diacritics", Diacritics},
    {"zalgo", Zalgo},
    {"random-caps", RandomCaps},
    {"repeat-letters", RepeatLetters},
    {"fullwidth", Fullwidth},
    {"superscript", Superscript},
    {"bidi-reversal", BidiReversal},
    {"base64", Base64},
    {"hex", Hex},
    {"rot13", Rot13},
    {"url-encoding", UrlEncoding},
    {"reversal", Reversal},
    {"word-split", WordSplit},
    {"word-join", WordJoin},
};

const Converter* Find(std::string_view name,
                      const std::vector<std::unique_ptr<Converter>>& all) {
  for (const auto& c : all) {
    if (c->name() == name) return c.get();
  }
  return nullptr;
}

Error Unknown(std::string_view name,
              const std::vector<std::unique_ptr<Converter>>& all) {
  std::string msg = "unknown converter '";
  msg += name;
  msg += "'; the converters are:";
  for (const auto& c : all) {
    msg += ' ';
    msg += c->name();
  }
  return MakeError(ErrorCode::kInvalidArgument, msg);
}

std::vector<std::string_view> Split(std::string_view text, char sep) {
  std::vector<std::string_view> parts;
  for (;;) {
    const size_t at = text.find(sep);
    parts.push_back(text.substr(0, at));
    if (at == std::string_view::npos) return parts;
    text.remove_prefix(at + 1);
  }
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

}  // namespace

std::vector<std::unique_ptr<Converter>> MakeConverters(
    std::vector<std::vector<std::string>> synonym_groups) {
  std::vector<std::unique_ptr<Converter>> out;
  for (const Entry& e : kConverters) {
    out.push_back(std::make_unique<FunctionConverter>(e.name, e.fn));
  }
  out.push_back(MakeSynonymConverter(std::move(synonym_groups)));
  return out;
}

std::string ChainName(std::span<const Converter* const> chain) {
  if (chain.empty()) return "none";
  std::string name;
  for (const Converter* c : chain) {
    if (!name.empty()) name += '>';
    name += c->name();
  }
  return name;
}

uint64_t StepSeed(uint64_t seed, size_t step) {
  return Mix64(seed ^ Mix64(step + 1));
}

std::string ApplyChain(std::span<const Converter* const> chain,
                       std::string_view utf8, uint64_t seed) {
  std::string text(utf8);
  for (size_t i = 0; i < chain.size(); ++i) {
    text = chain[i]->Convert(text, StepSeed(seed, i));
  }
  return text;
}

Result<Chain> SelectConverters(
    std::string_view list,
    const std::vector<std::unique_ptr<Converter>>& converters) {
  Chain out;
  if (Trim(list) == "none") return out;  // only the unconverted prompts
  if (Trim(list) == "all") {
    for (const auto& c : converters) out.push_back(c.get());
    return out;
  }
  for (std::string_view part : Split(list, ',')) {
    part = Trim(part);
    if (part.empty()) {
      return MakeError(
          ErrorCode::kInvalidArgument,
          "empty name in the converter list '" + std::string(list) + "'");
    }
    const Converter* c = Find(part, converters);
    if (c == nullptr) return Unknown(part, converters);
    for (const Converter* seen : out) {
      if (seen == c) {
        return MakeError(
            ErrorCode::kInvalidArgument,
            "converter '" + std::string(part) + "' is listed twice");
      }
    }
    out.push_back(c);
  }
  return out;
}

Result<Chain> ParseChain(
    std::string_view text,
    const std::vector<std::unique_ptr<Converter>>& converters) {
  Chain out;
  if (Trim(text) == "none") return out;
  for (std::string_view part : Split(text, '>')) {
    part = Trim(part);
    const Converter* c = Find(part, converters);
    if (c == nullptr) return Unknown(part, converters);
    out.push_back(c);
  }
  return out;
}

}  // namespace bulwark::redteam
