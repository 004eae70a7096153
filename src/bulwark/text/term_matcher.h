// Finds lexicon terms and ages in a normalised view.
//
// A term counts where it stands as a whole word in the spaced string (a
// leet symbol glued to either end is allowed: "child!" is "child"), where
// it is made of whole words in the joined string ("chi ld"), or where it
// is a piece of a word glued together from known words ("nudeimage": the
// lexicons' common.txt lists the everyday words such words are made of) or
// spelled out ("n u d e"). Otherwise a term inside a longer word counts
// only when it is a coded term, because ordinary words hide short terms
// ("Essex", "kidney", "nudibranch").
// A term inside a benign phrase ("sex education", "baby shower") is
// dropped: the phrase explains it.
// Ages: a number (digits, number words, "twenty one" combined) followed by
// an age unit ("12 yo", "12yo", "12-year-old") or preceded by an age marker
// ("aged 12").
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "bulwark/core/result.h"
#include "bulwark/text/lexicon.h"
#include "bulwark/text/normalizer.h"
#include "bulwark/text/pattern_db.h"
#include "bulwark/text/tokens.h"

namespace bulwark::text {

struct Hit {
  enum class Kind { kWord, kSplit, kEmbedded, kAge };
  Kind kind = Kind::kWord;
  std::string category;  // a lexicon category, or "age"
  int term = -1;         // index into the lexicon's terms; -1 for ages
  int age = -1;          // for "age": the number of years
  // Words the hit covers, inclusive, counted as read: the pieces of a
  // word split by spaces ("chi ld") are one word.
  uint32_t first_token = 0, last_token = 0;
  Span original;     // what the user sent for those tokens
  std::string text;  // the normalised text matched, for explanations
  // Bytes of the scanned string the match covers (for overlap checks).
  uint32_t span_begin = 0, span_end = 0;
};

class TermMatcher {
 public:
  // Compiles the lexicon's patterns, or loads them from `cache_dir` when a
  // database for the same lexicon fingerprint and platform is there ("" =
  // no cache). A cache that cannot be read or written is not an error: it
  // is rebuilt, and start-up is only slower.
  static Result<TermMatcher> Build(Lexicon lexicon,
                                   const Normalizer& normalizer,
                                   const std::string& cache_dir);

  // Thread-safe. `rot13`: the view is a rot13 reading, where a leet symbol
  // may stand for a rotated letter too.
  Result<std::vector<Hit>> Match(const TextRun& view, bool rot13) const;

  const Lexicon& lexicon() const { return lexicon_; }
  bool from_cache() const { return from_cache_; }

 private:
  TermMatcher(Lexicon lexicon, PatternDb db, PatternDb rot13_db,
              std::vector<uint32_t> ids, bool from_cache);
  // Which tokens are glued or spelled-out words: made entirely of known
  // words (lexicon terms, common words, digits), with at least one
  // indicator term among them ("nudeimage"), or spelled letter by letter.
  struct Loose {
    std::vector<bool> token;  // per token
    // Byte ranges of the joined string that are pieces of a glued word.
    std::set<std::pair<uint32_t, uint32_t>> pieces;
  };
  Loose LooseTokens(const Tokenized& tk,
                    const std::vector<RawMatch>& joined) const;
  void Classify(const Tokenized& tk, const Loose& loose,
                const std::vector<RawMatch>& spaced,
                const std::vector<RawMatch>& joined,
                std::vector<Hit>& hits) const;
  void FindAges(const Tokenized& tk, const Loose& loose,
                const std::vector<RawMatch>& spaced,
                const std::vector<RawMatch>& joined,
                std::vector<Hit>& hits) const;

  Lexicon lexicon_;
  PatternDb db_;
  PatternDb rot13_db_;  // leet symbols also read as rotated letters
  std::vector<uint32_t> expression_term_;  // expression id -> term index
  bool from_cache_ = false;
};

}  // namespace bulwark::text
