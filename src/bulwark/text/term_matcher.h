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

#include <array>
#include <cstdint>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "bulwark/core/result.h"
#include "bulwark/text/lexicon.h"
#include "bulwark/text/normalizer.h"
#include "bulwark/text/pattern_db.h"
#include "bulwark/text/term_pattern.h"
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
  // may stand for a rotated letter too. `indicators_needed`: every rule
  // needs an indicator (minor, sexual, suggestive or coded), so a view
  // without one has no hits worth reporting.
  Result<std::vector<Hit>> Match(const TextRun& view, bool rot13,
                                 bool indicators_needed) const;

  const Lexicon& lexicon() const { return lexicon_; }
  bool from_cache() const { return from_cache_; }

 private:
  TermMatcher(Lexicon lexicon, std::array<PatternDb, 4> dbs,
              uint32_t short_from,
              std::array<std::vector<std::vector<TermElement>>, 2> elements,
              std::vector<uint32_t> ids, bool from_cache);
  // Appends every match of the plain or rot13 patterns of the long terms
  // or of the short words in `bytes`, with its start.
  Status Scan(const std::string& bytes, bool rot13, bool short_words,
              std::vector<RawMatch>& out) const;
  // The spaced string's matches, from the joined string's: the spaced
  // string holds the same tokens with a space between them, and only a
  // term's optional space can match one, so every match in the spaced
  // string ends where one of the same expression ends in the joined string.
  // Walking those back over the spaced string finds them all, for much
  // less than a second scan.
  void SpacedFromJoined(const Tokenized& tk, bool rot13,
                        std::span<const RawMatch> joined,
                        std::vector<RawMatch>& spaced) const;
  // False only when no indicator match of the first scan can become a hit
  // (see the definition); `joined` and `spaced` hold the long terms' matches.
  bool MayHaveIndicator(const Tokenized& tk, bool rot13,
                        const std::vector<RawMatch>& spaced,
                        const std::vector<RawMatch>& joined) const;
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
  // [2 * short_words + rot13]: the rot13 ones read leet symbols as
  // rotated letters too. Short words (two letters or fewer, not
  // indicators) are scanned only once an indicator has been found.
  std::array<PatternDb, 4> dbs_;
  uint32_t short_from_ = 0;  // the first short word's expression id
  // Per expression, for each leet table: what LeftmostStart walks back over.
  std::array<std::vector<std::vector<TermElement>>, 2> elements_;
  std::vector<uint32_t> expression_term_;  // expression id -> term index
  // What each expression's term is for, so the hot loops compare no
  // category strings.
  enum class Role : uint8_t {
    kIndicator,  // minor, sexual, suggestive, coded
    kNumber,
    kAgeUnit,
    kAgeMarker,
    kBenign,
    kOther,  // common words
  };
  std::vector<Role> expression_role_;
  bool from_cache_ = false;
};

}  // namespace bulwark::text
