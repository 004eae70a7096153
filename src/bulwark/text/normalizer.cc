#include "bulwark/text/normalizer.h"

#include <unicode/normalizer2.h>

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "bulwark/text/confusables.h"
#include "bulwark/text/decoded.h"
#include "bulwark/text/encoded.h"
#include "bulwark/text/fold.h"
#include "bulwark/text/hidden_payload.h"
#include "bulwark/text/invisible.h"
#include "bulwark/text/marks.h"
#include "bulwark/text/squeeze.h"
#include "bulwark/text/step_util.h"

namespace bulwark::text {

struct Normalizer::Impl {
  NormalizerLimits limits;
  // Owned by ICU, immutable and safe to share between threads.
  const icu::Normalizer2* nfd = nullptr;
  const icu::Normalizer2* nfkc_cf = nullptr;
  const icu::Normalizer2* nfkc = nullptr;
  std::unique_ptr<ConfusableMapper> confusables;
};

namespace {

// A view waiting to be normalised.
struct Pending {
  std::string how;
  TextRun run;
  int depth;  // how many decodings produced it; the main text is 0
};

std::string Nested(const std::string& parent, const char* how) {
  return parent == "text" ? std::string(how) : parent + ">" + how;
}

bool HasNonAscii(const TextRun& run) {
  for (char32_t c : run.chars) {
    if (c >= 0x80) return true;
  }
  return false;
}

bool IsFullwidthAlnum(char32_t c) {
  return (c >= 0xFF10 && c <= 0xFF19) || (c >= 0xFF21 && c <= 0xFF3A) ||
         (c >= 0xFF41 && c <= 0xFF5A);
}

// `run` with a space where ASCII letters and fullwidth letters touch
// ("hello" + "ｗｏｒｄ" smuggled after it): no one types a word half
// fullwidth, and without the space the matcher reads one long word. False
// when there is no such place.
bool SplitFullwidth(const TextRun& run, TextRun& out) {
  const std::u32string& s = run.chars;
  auto boundary = [&](size_t i) {  // between s[i - 1] and s[i]
    auto ascii = [](char32_t c) { return c > U' ' && c < 0x7F; };
    return (ascii(s[i - 1]) && IsFullwidthAlnum(s[i])) ||
           (IsFullwidthAlnum(s[i - 1]) && ascii(s[i]));
  };
  size_t first = 1;
  while (first < s.size() && !boundary(first)) ++first;
  if (first >= s.size()) return false;
  out = CopyPrefix(run, first);
  for (size_t i = first; i < s.size(); ++i) {
    if (boundary(i)) out.Append(U' ', run.origin[i]);
    out.Append(s[i], run.origin[i]);
  }
  return true;
}

// ROT13 of only the letters that were typed as one ASCII byte: the rot13
// obfuscation rotates ASCII and leaves look-alike and accented letters as
// they are, which the normalised text no longer shows. False when every
// letter came from ASCII (the "rot13" view already says it all).
bool Rot13OfAscii(const TextRun& run, std::string_view input, TextRun& out) {
  if (std::all_of(input.begin(), input.end(), [](char b) {
        return static_cast<unsigned char>(b) < 0x80;
      })) {
    return false;
  }
  out = run;
  bool differs = false;
  for (size_t i = 0; i < out.size(); ++i) {
    char32_t& c = out.chars[i];
    if (!IsAsciiAlpha(c)) continue;
    const Span span = out.origin[i];
    bool ascii = span.end > span.begin;
    for (uint32_t b = span.begin; b < span.end && ascii; ++b) {
      ascii = static_cast<unsigned char>(input[b]) < 0x80;
    }
    if (!ascii) {
      differs = true;
      continue;
    }
    const char32_t base = c >= U'a' ? U'a' : U'A';
    c = base + (c - base + 13) % 26;
  }
  return differs;
}

// Whether the normalised text could be rot13 written backwards: it has
// letters, and does not read as English prose (at least three common
// function words, making up a fifth of its words). English prose is
// spared that view's matcher pass.
constexpr uint64_t PackWord(std::u32string_view w) {
  uint64_t key = 0;
  for (char32_t c : w) key = key << 8 | static_cast<uint64_t>(c);
  return key;
}

bool WorthRot13Reversed(const TextRun& run) {
  static constexpr std::u32string_view kCommon[] = {
      U"the",  U"and", U"to",   U"of",   U"in",    U"is",   U"you",  U"that",
      U"it",   U"for", U"on",   U"with", U"as",    U"are",  U"be",   U"this",
      U"have", U"or",  U"at",   U"by",   U"an",    U"not",  U"but",  U"from",
      U"we",   U"can", U"what", U"how",  U"about", U"my",   U"your", U"me",
      U"her",  U"his", U"she",  U"he",   U"who",   U"was",  U"will", U"please",
      U"a",    U"i",   U"do",   U"if",   U"they",  U"some", U"one",  U"all"};
  static const std::vector<uint64_t> keys = [] {
    std::vector<uint64_t> k;
    for (std::u32string_view w : kCommon) k.push_back(PackWord(w));
    std::sort(k.begin(), k.end());
    return k;
  }();
  const std::u32string& s = run.chars;
  size_t words = 0, common = 0;
  for (size_t i = 0; i < s.size();) {
    if (!IsAsciiAlpha(s[i])) {
      ++i;
      continue;
    }
    size_t end = i;
    while (end < s.size() && IsAsciiAlpha(s[end])) ++end;
    ++words;
    if (end - i <= 6 && std::binary_search(keys.begin(), keys.end(),
                                           PackWord(std::u32string_view(
                                               s.data() + i, end - i)))) {
      ++common;
    }
    i = end;
  }
  return words != 0 && !(common >= 3 && common * 5 >= words);
}

}  // namespace

Result<Normalizer> Normalizer::Create(NormalizerLimits limits) {
  auto impl = std::make_unique<Impl>();
  impl->limits = limits;
  UErrorCode status = U_ZERO_ERROR;
  impl->nfd = icu::Normalizer2::getNFDInstance(status);
  impl->nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(status);
  impl->nfkc = icu::Normalizer2::getNFKCInstance(status);
  if (U_FAILURE(status)) {
    return MakeError(ErrorCode::kInternal,
                     std::string("ICU normalisation data unavailable: ") +
                         u_errorName(status));
  }
  auto confusables = ConfusableMapper::Create();
  if (!confusables) return confusables.error();
  impl->confusables = std::move(*confusables);
  return Normalizer(std::move(impl));
}

Normalizer::Normalizer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Normalizer::~Normalizer() = default;
Normalizer::Normalizer(Normalizer&&) noexcept = default;
Normalizer& Normalizer::operator=(Normalizer&&) noexcept = default;

Result<Normalized> Normalizer::Run(std::string_view utf8, bool explain) const {
  const NormalizerLimits& limits = impl_->limits;
  if (utf8.size() > limits.max_input_bytes) {
    return MakeError(ErrorCode::kLimitExceeded,
                     "text of " + std::to_string(utf8.size()) +
                         " bytes is over the limit of " +
                         std::to_string(limits.max_input_bytes));
  }
  const size_t max_views = std::max<size_t>(limits.max_views, 1);
  Normalized result;
  ChangeLog* changes = explain ? &result.changes : nullptr;
  result.views.reserve(std::min<size_t>(max_views, 8));

  // Breadth first: the main text, then what was decoded from it, then what
  // was decoded from that. The main text's rot13 and reversed readings come
  // right after it; those of decoded views only if room is left at the end,
  // since a real decoding is likelier to matter than a guessed one.
  const size_t derived = max_views >= 3 ? 2 : 0;  // rot13, reversed
  const size_t max_queue = max_views - derived;
  // The main text's further readings, which only some texts get; they come
  // after the decoded views, while room is left.
  std::vector<View> extra;
  std::vector<Pending> queue;
  queue.push_back(Pending{"text", DecodeUtf8(utf8), 0});
  std::vector<Decoded> found;
  for (size_t q = 0; q < queue.size(); ++q) {
    Pending p = std::move(queue[q]);  // pushing below may move the queue
    // Each pending view becomes a view, so the queue is what is bounded.
    const bool may_decode =
        p.depth < limits.max_decode_depth && queue.size() < max_queue;
    found.clear();
    ExtractHiddenPayloads(p.run, may_decode ? &found : nullptr, changes);
    RemoveInvisible(p.run, changes);
    TextRun split;
    const bool has_split = q == 0 && SplitFullwidth(p.run, split);
    if (may_decode) {
      if (HasNonAscii(p.run)) {
        // Encodings are read from a copy that undoes what an obfuscation
        // applied after encoding could do without losing case: accents,
        // compatibility forms, look-alikes.
        TextRun copy = p.run;
        StripMarks(*impl_->nfd, copy, nullptr);
        FoldCompat(*impl_->nfkc, copy);
        impl_->confusables->MapKeepingCase(copy);
        FindEncodedTolerant(copy, &found, changes);
      } else {
        FindEncodedTolerant(p.run, &found, changes);
      }
    }
    StripMarks(*impl_->nfd, p.run, changes);
    if (HasNonAscii(p.run)) {
      impl_->confusables->MapUpperLookalikes(p.run, changes);
    }
    FoldCase(*impl_->nfkc_cf, p.run, changes);
    impl_->confusables->Apply(p.run, changes);
    SqueezeRepeats(p.run, changes);

    std::string how = std::move(p.how);
    TextRun run = std::move(p.run);
    if (q == 0 && derived != 0) {
      // Only when they say something the other views do not: letters from
      // look-alikes that rot13 never rotated, or a backwards rot13 text.
      TextRun view;
      if (Rot13OfAscii(run, utf8, view)) {
        extra.push_back(View{"rot13-ascii", std::move(view)});
      }
      if (WorthRot13Reversed(run)) {
        extra.push_back(View{"rot13>reversed", Reversed(Rot13(run))});
      }
      if (has_split && queue.size() < max_queue) {
        // Whatever it holds encoded was decoded from the main text already.
        queue.push_back(
            Pending{"split", std::move(split), limits.max_decode_depth});
      }
    }
    for (Decoded& d : found) {
      if (queue.size() >= max_queue) break;
      queue.push_back(
          Pending{Nested(how, d.how), std::move(d.run), p.depth + 1});
    }
    if (q == 0 && derived != 0) {
      TextRun rot13 = Rot13(run);
      TextRun reversed = Reversed(run);
      result.views.push_back(View{std::move(how), std::move(run)});
      result.views.push_back(View{"rot13", std::move(rot13)});
      result.views.push_back(View{"reversed", std::move(reversed)});
    } else {
      result.views.push_back(View{std::move(how), std::move(run)});
    }
  }

  const size_t decoded_end = result.views.size();
  for (View& v : extra) {
    if (result.views.size() >= max_views) break;
    result.views.push_back(std::move(v));
  }
  for (size_t v = 1 + derived;
       v < decoded_end && result.views.size() < max_views; ++v) {
    TextRun rot13 = Rot13(result.views[v].run);
    result.views.push_back(
        View{result.views[v].how + ">rot13", std::move(rot13)});
    if (result.views.size() >= max_views) break;
    TextRun reversed = Reversed(result.views[v].run);
    result.views.push_back(
        View{result.views[v].how + ">reversed", std::move(reversed)});
  }
  return result;
}

}  // namespace bulwark::text
