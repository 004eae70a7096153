#include "bulwark/text/term_matcher.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <deque>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <tuple>

#include "bulwark/core/durable_file.h"
#include "bulwark/core/file.h"
#include "bulwark/hash/digest.h"
#include "bulwark/text/term_pattern.h"

namespace bulwark::text {
namespace {

// Bumped whenever TermExpression or term normalisation changes what a
// lexicon compiles to, so old cache files are not reused.
constexpr const char* kExpressionVersion = "term-expression 3";
constexpr const char* kCacheMagic = "BULWARK-TEXT-DB 2\n";
constexpr uint64_t kMaxCacheBytes = 1ull << 30;

bool IsAsciiAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// A hit's bytes in the joined string (kWord hits are found in the spaced
// one, whose words sit at other offsets).
std::pair<uint32_t, uint32_t> JoinedSpan(const Tokenized& tk, const Hit& h) {
  if (h.kind == Hit::Kind::kSplit) return {h.span_begin, h.span_end};
  const uint32_t shift = tk.joined.token_begin[h.first_token] -
                         tk.spaced.token_begin[h.first_token];
  return {h.span_begin + shift, h.span_end + shift};
}

// What the user sent for tokens first..last. Not simply the first's begin
// and the last's end: in a reversed reading the tokens run backwards.
Span OriginalSpan(const Tokenized& tk, uint32_t first, uint32_t last) {
  Span out = tk.tokens[first].original;
  for (uint32_t t = first + 1; t <= last; ++t) {
    out.begin = std::min(out.begin, tk.tokens[t].original.begin);
    out.end = std::max(out.end, tk.tokens[t].original.end);
  }
  return out;
}

// A leet symbol glued to a word ("!child", "child!") does not make the word
// longer. Non-ASCII bytes might be letters, so they do.
bool OnlyGlueSymbols(const std::string& s, uint32_t from, uint32_t to) {
  for (uint32_t i = from; i < to; ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80 || IsAsciiAlnum(static_cast<char>(c))) return false;
  }
  return true;
}

// The start of a word: only glue symbols, or more of the match's own first
// letter ("aapple": the pattern's first letter does not repeat), before it.
bool AtWordStart(const std::string& s, uint32_t word_begin, uint32_t from) {
  uint32_t i = from;
  while (i > word_begin && s[i - 1] == s[from]) --i;
  return OnlyGlueSymbols(s, word_begin, i);
}

// The form the text takes after normalisation and tokenising, words joined
// by single spaces; empty when nothing of the term survives.
std::string NormalizeTerm(const Term& term, const Normalizer& normalizer,
                          const LeetTable& leet) {
  auto n = normalizer.Run(term.words, /*explain=*/false);
  if (!n.ok()) return "";
  const TextRun& run = n->views[0].run;
  Tokenized tk = Tokenize(run, leet);
  std::u32string words;
  size_t c = 0;
  for (const Token& t : tk.tokens) {
    if (!words.empty()) words.push_back(U' ');
    for (uint32_t k = 0; k < t.count; ++k)
      words.push_back(run.chars[tk.chars[c++]]);
  }
  return EncodeUtf8(words);
}

// `variant`: 0 for the plain leet table, 1 for the rot13 one.
std::string CachePath(const std::string& dir, const Lexicon& lexicon,
                      int variant) {
  std::string key = lexicon.fingerprint + '\n' + PatternDb::PlatformKey() +
                    '\n' + kExpressionVersion + '\n' + std::to_string(variant);
  auto digest = hash::DigestHex(
      hash::DigestAlgorithm::kSha256,
      std::span(reinterpret_cast<const uint8_t*>(key.data()), key.size()));
  return dir + "/lexicon-" + (digest.ok() ? digest->substr(0, 32) : "x") +
         ".hsdb";
}

struct Cached {
  PatternDb db;
  std::vector<uint32_t> ids;
  std::vector<std::string> words;  // each expression's normalised term
};

Result<uint32_t> ReadU32(std::string_view& s) {
  if (s.size() < 4) {
    return MakeError(ErrorCode::kCorrupt, "lexicon cache file truncated");
  }
  uint32_t v;
  std::memcpy(&v, s.data(), 4);
  s.remove_prefix(4);
  return v;
}

Result<Cached> ReadCache(const std::string& path, size_t term_count) {
  auto bytes = ReadFile(path, kMaxCacheBytes);
  if (!bytes.ok()) return bytes.error();
  std::string_view s(reinterpret_cast<const char*>(bytes->data()),
                     bytes->size());
  size_t magic = std::strlen(kCacheMagic);
  if (s.substr(0, magic) != kCacheMagic) {
    return MakeError(ErrorCode::kCorrupt, "not a lexicon cache file");
  }
  s.remove_prefix(magic);
  auto count = ReadU32(s);
  if (!count.ok()) return count.error();
  if (*count > term_count) {
    return MakeError(ErrorCode::kCorrupt, "lexicon cache has too many terms");
  }
  std::vector<uint32_t> ids;
  std::vector<std::string> words;
  for (uint32_t i = 0; i < *count; ++i) {
    auto id = ReadU32(s);
    if (!id.ok()) return id.error();
    auto len = ReadU32(s);
    if (!len.ok()) return len.error();
    if (*id >= term_count || s.size() < *len) {
      return MakeError(ErrorCode::kCorrupt, "lexicon cache names no term");
    }
    ids.push_back(*id);
    words.emplace_back(s.substr(0, *len));
    s.remove_prefix(*len);
  }
  auto db = PatternDb::Deserialize(s);
  if (!db.ok()) return db.error();
  return Cached{std::move(*db), std::move(ids), std::move(words)};
}

void WriteCache(const std::string& path, const PatternDb& db,
                const std::vector<uint32_t>& ids,
                const std::vector<std::string>& words) {
  auto serialized = db.Serialize();
  if (!serialized.ok()) return;
  std::string out = kCacheMagic;
  auto append_u32 = [&](uint32_t v) {
    out.append(reinterpret_cast<const char*>(&v), 4);
  };
  append_u32(static_cast<uint32_t>(ids.size()));
  for (size_t i = 0; i < ids.size(); ++i) {
    append_u32(ids[i]);
    append_u32(static_cast<uint32_t>(words[i].size()));
    out += words[i];
  }
  out += *serialized;
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(),
                                      ec);
  (void)WriteFileDurably(path, out);  // a cache; failure only costs time
}

}  // namespace

TermMatcher::TermMatcher(
    Lexicon lexicon, std::array<PatternDb, 4> dbs, uint32_t short_from,
    std::array<std::vector<std::vector<TermElement>>, 2> elements,
    std::vector<uint32_t> ids, bool from_cache)
    : lexicon_(std::move(lexicon)),
      dbs_(std::move(dbs)),
      short_from_(short_from),
      elements_(std::move(elements)),
      expression_term_(std::move(ids)),
      from_cache_(from_cache) {
  for (uint32_t term : expression_term_) {
    const std::string& c = lexicon_.terms[term].category;
    expression_role_.push_back(IsIndicatorCategory(c) ? Role::kIndicator
                               : c == "numbers"       ? Role::kNumber
                               : c == "age_units"     ? Role::kAgeUnit
                               : c == "age_markers"   ? Role::kAgeMarker
                               : c == "benign"        ? Role::kBenign
                                                      : Role::kOther);
  }
}

Result<TermMatcher> TermMatcher::Build(Lexicon lexicon,
                                       const Normalizer& normalizer,
                                       const std::string& cache_dir) {
  // In a rot13 reading, a leet symbol may stand for a letter of the text
  // before rot13 ("leetspeak>rot13") or after it ("rot13>leetspeak").
  LeetTable rot13_leet = lexicon.leet;
  for (auto& [symbol, letters] : rot13_leet) {
    for (char32_t c : lexicon.leet.at(symbol)) {
      char32_t r = c >= U'a' && c <= U'z' ? U'a' + (c - U'a' + 13) % 26 : c;
      if (letters.find(r) == std::u32string::npos) letters.push_back(r);
    }
  }
  const LeetTable* tables[2] = {&lexicon.leet, &rot13_leet};
  // Database k = 2 * part + rot13: part 0 holds the terms of three letters
  // or more and every indicator; part 1 the short words (common words,
  // connectors, short units), which match all over ordinary text and are
  // only needed once an indicator has been found.
  std::optional<PatternDb> dbs[4];
  std::vector<uint32_t> part_ids[2];
  std::vector<std::string> part_words[2];
  bool all_cached = !cache_dir.empty();
  for (int k = 0; k < 4 && all_cached; ++k) {
    auto cached =
        ReadCache(CachePath(cache_dir, lexicon, k), lexicon.terms.size());
    const int part = k / 2;
    if (!cached.ok() || (k % 2 == 1 && cached->ids != part_ids[part])) {
      all_cached = false;
      break;
    }
    dbs[k] = std::move(cached->db);
    part_ids[part] = std::move(cached->ids);
    part_words[part] = std::move(cached->words);
  }
  if (!all_cached) {
    for (int part = 0; part < 2; ++part) {
      part_ids[part].clear();
      part_words[part].clear();
    }
    for (size_t i = 0; i < lexicon.terms.size(); ++i) {
      std::string w = NormalizeTerm(lexicon.terms[i], normalizer, lexicon.leet);
      if (w.empty()) continue;
      const int part =
          w.size() <= 2 && !IsIndicatorCategory(lexicon.terms[i].category);
      part_words[part].push_back(std::move(w));
      part_ids[part].push_back(static_cast<uint32_t>(i));
    }
    for (int k = 0; k < 4; ++k) {
      const int part = k / 2;
      std::vector<std::string> expressions;
      for (const std::string& w : part_words[part]) {
        expressions.push_back(TermExpression(TermElements(w, *tables[k % 2])));
      }
      // A lexicon with no short words still gets a second-part database:
      // one expression for bytes no scanned string holds (they are never
      // valid UTF-8), whose id Scan drops as out of range.
      if (expressions.empty()) expressions.push_back("\\xff\\xfe\\xff\\xfe");
      auto db = PatternDb::Compile(expressions);
      if (!db.ok()) return db.error();
      if (!cache_dir.empty()) {
        WriteCache(CachePath(cache_dir, lexicon, k), *db, part_ids[part],
                   part_words[part]);
      }
      dbs[k] = std::move(*db);
    }
  }
  // Expression ids: part 0's, then part 1's.
  std::vector<uint32_t> ids = part_ids[0];
  ids.insert(ids.end(), part_ids[1].begin(), part_ids[1].end());
  std::array<std::vector<std::vector<TermElement>>, 2> elements;
  for (int v = 0; v < 2; ++v) {
    for (int part = 0; part < 2; ++part) {
      for (const std::string& w : part_words[part]) {
        elements[v].push_back(TermElements(w, *tables[v]));
      }
    }
  }
  const auto short_from = static_cast<uint32_t>(part_ids[0].size());
  return TermMatcher(std::move(lexicon),
                     {std::move(*dbs[0]), std::move(*dbs[1]),
                      std::move(*dbs[2]), std::move(*dbs[3])},
                     short_from, std::move(elements), std::move(ids),
                     all_cached);
}

Status TermMatcher::Scan(const std::string& bytes, bool rot13, bool short_words,
                         std::vector<RawMatch>& out) const {
  const size_t before = out.size();
  const PatternDb& db = dbs_[2 * (short_words ? 1 : 0) + (rot13 ? 1 : 0)];
  Status s = db.Scan(bytes, out);
  if (!s.ok()) return s;
  const auto& elements = elements_[rot13 ? 1 : 0];
  const uint32_t offset = short_words ? short_from_ : 0;
  for (size_t i = before; i < out.size(); ++i) out[i].id += offset;
  auto first = out.begin() + static_cast<std::ptrdiff_t>(before);
  out.erase(
      std::remove_if(first, out.end(),
                     [&](RawMatch& m) {
                       if (m.id >= elements.size()) return true;
                       const int64_t start =
                           LeftmostStart(elements[m.id], bytes, m.to);
                       m.from = static_cast<uint32_t>(start < 0 ? m.to : start);
                       return start < 0;
                     }),
      out.end());
  return Ok{};
}

Result<std::vector<Hit>> TermMatcher::Match(const TextRun& view, bool rot13,
                                            bool indicators_needed) const {
  Tokenized tk = Tokenize(view, lexicon_.leet);
  std::vector<RawMatch> spaced, joined;
  Status s = Scan(tk.joined.bytes, rot13, /*short_words=*/false, joined);
  if (!s.ok()) return s.error();
  // Most text holds no indicator at all (the joined string holds every
  // match the spaced one does): then numbers, phrases and common words
  // cannot make a rule fire, and the rest is skipped.
  if (indicators_needed &&
      std::none_of(joined.begin(), joined.end(), [&](const RawMatch& m) {
        return expression_role_[m.id] == Role::kIndicator;
      })) {
    return std::vector<Hit>{};
  }
  SpacedFromJoined(tk, rot13, joined, spaced);
  // In ordinary text the joined string nearly always holds some indicator
  // (across word boundaries, inside longer words): skip the rest too when
  // none of them can become a hit.
  if (indicators_needed && !MayHaveIndicator(tk, rot13, spaced, joined)) {
    return std::vector<Hit>{};
  }
  const size_t long_terms = joined.size();
  s = Scan(tk.joined.bytes, rot13, /*short_words=*/true, joined);
  if (!s.ok()) return s.error();
  SpacedFromJoined(tk, rot13, std::span(joined).subspan(long_terms), spaced);
  const Loose loose = LooseTokens(tk, joined);
  std::vector<Hit> hits;
  Classify(tk, loose, spaced, joined, hits);
  FindAges(tk, loose, spaced, joined, hits);
  // Rules measure distance in words as read: the pieces of a word split by
  // spaces ("pho to") count once.
  std::vector<uint32_t> word(tk.tokens.size(), 0);
  std::vector<bool> joined_to_previous(tk.tokens.size(), false);
  for (const auto& [from, to] : loose.pieces) {
    const auto first = static_cast<size_t>(tk.joined.byte_token[from]);
    const auto last = static_cast<size_t>(tk.joined.byte_token[to - 1]);
    for (size_t t = first + 1; t <= last; ++t) joined_to_previous[t] = true;
  }
  for (size_t t = 1; t < word.size(); ++t) {
    word[t] = word[t - 1] + (joined_to_previous[t] ? 0 : 1);
  }
  for (Hit& h : hits) {
    h.first_token = word[h.first_token];
    h.last_token = word[h.last_token];
  }
  return hits;
}

void TermMatcher::SpacedFromJoined(const Tokenized& tk, bool rot13,
                                   std::span<const RawMatch> joined,
                                   std::vector<RawMatch>& spaced) const {
  const auto& elements = elements_[rot13 ? 1 : 0];
  for (const RawMatch& m : joined) {
    if (m.to == 0 || tk.joined.byte_token[m.to - 1] < 0) continue;
    const auto t = static_cast<size_t>(tk.joined.byte_token[m.to - 1]);
    const uint32_t to =
        m.to - (tk.joined.token_begin[t] - tk.spaced.token_begin[t]);
    const int64_t from = LeftmostStart(elements[m.id], tk.spaced.bytes, to);
    if (from >= 0) spaced.push_back({m.id, static_cast<uint32_t>(from), to});
  }
}

// The gate has to let through every view in which Classify would find an
// indicator hit. Such a hit comes from an indicator match of the first scan
// (all indicators are long terms) that is
//   (a) a coded term, or a whole word in the spaced string (AtWordStart and
//       OnlyGlueSymbols, as Classify tests them): let through;
//   (b) inside one spelled-out token: let through;
//   (c) a piece of a glued word (one token in the spaced string) or of a
//       split one (several tokens in the joined string): LooseTokens must
//       have kept a piece of its bytes, which needs a match of those bytes
//       that LooseTokens takes as a piece (or a one-byte step), fwd at its
//       start, and bwd at its end (or up to 3 bytes further, if one such
//       match is a "word*" term's).
// For (c) the gate works out fwd and bwd within the edge tokens only, with
// more pieces than LooseTokens keeps, so it can only say yes more often:
//   - fwd and bwd hold at every token boundary (every token is a piece);
//   - inside a token, fwd can hold at x only where a chain of pieces
//     reaches x from the token's start or from a piece that comes in from
//     an earlier token; bwd the other way round. The pieces are every long
//     term's match (from the first scan, without LooseTokens' exclusions),
//     "word*" endings, the one-byte steps, and the short words: their
//     matches ending inside the token are found by walking each short word
//     back from every position, and one that starts inside it and goes on
//     into the next token by walking back the short word's later letters
//     from the token's end (short words are at most two letters, the first
//     of which does not repeat).
// So if the gate finds no such start and end, LooseTokens cannot have kept
// the piece, and the view has no indicator hit.
bool TermMatcher::MayHaveIndicator(const Tokenized& tk, bool rot13,
                                   const std::vector<RawMatch>& spaced,
                                   const std::vector<RawMatch>& joined) const {
  const ScanText& sp = tk.spaced;
  const ScanText& jn = tk.joined;
  const auto& elements = elements_[rot13 ? 1 : 0];
  const std::string_view bytes = jn.bytes;
  struct Splits {
    int32_t token = -1;
    std::vector<bool> fwd, bwd;  // per byte of the token and its end
  };
  std::deque<Splits> splits;  // the tokens worked out so far
  auto splits_of = [&](uint32_t t) -> const Splits& {
    for (const Splits& s : splits) {
      if (s.token == static_cast<int32_t>(t)) return s;
    }
    const uint32_t b = jn.token_begin[t], e = jn.token_end[t];
    Splits s;
    s.token = static_cast<int32_t>(t);
    s.fwd.assign(e - b + 1, false);
    s.bwd.assign(e - b + 1, false);
    s.fwd[0] = s.bwd[e - b] = true;
    std::vector<std::pair<uint32_t, uint32_t>> inside;  // pieces in the token
    auto piece = [&](uint32_t from, uint32_t to) {
      if (from < b && to > b && to <= e) s.fwd[to - b] = true;
      if (from >= b && from < e && to > e) s.bwd[from - b] = true;
      if (from >= b && to <= e) inside.push_back({from, to});
    };
    for (const RawMatch& m : joined) {
      if (m.to <= m.from) continue;
      const bool prefix = lexicon_.terms[expression_term_[m.id]].prefix;
      for (uint32_t to = m.to; to <= m.to + (prefix ? 3 : 0); ++to) {
        piece(m.from, to);
      }
    }
    for (uint32_t i = b; i < e; ++i) {
      const char c = bytes[i];
      if (IsDigit(c) ||
          (static_cast<unsigned char>(c) < 0x80 && !IsAsciiAlnum(c)) ||
          (i + 1 < bytes.size() && bytes[i + 1] == c)) {
        piece(i, i + 1);
      }
    }
    for (size_t id = short_from_; id < elements.size(); ++id) {
      const std::vector<TermElement>& el = elements[id];
      for (uint32_t x = b + 1; x <= e; ++x) {
        const int64_t from = LeftmostStart(el, bytes, x);
        if (from >= 0) piece(static_cast<uint32_t>(from), x);
      }
      if (el.size() < 2) continue;
      // Into the next token: where the first letter ends, the rest of the
      // token is repeats of the second (reach[w - b]: bytes[w, e) are).
      std::vector<bool> reach(e - b + 1, false);
      reach[e - b] = true;
      for (uint32_t w = e; w > b; --w) {
        if (!reach[w - b]) continue;
        for (const std::string& alt : el[1].alternatives) {
          if (w - b >= alt.size() &&
              bytes.compare(w - alt.size(), alt.size(), alt) == 0) {
            reach[w - alt.size() - b] = true;
          }
        }
        for (const std::string& alt : el[0].alternatives) {
          if (w - b >= alt.size() &&
              bytes.compare(w - alt.size(), alt.size(), alt) == 0) {
            s.bwd[w - alt.size() - b] = true;
          }
        }
      }
    }
    std::sort(inside.begin(), inside.end());
    for (const auto& [from, to] : inside) {
      if (s.fwd[from - b]) s.fwd[to - b] = true;
    }
    std::sort(inside.begin(), inside.end(),
              [](const auto& x, const auto& y) { return x.second > y.second; });
    for (const auto& [from, to] : inside) {
      if (s.bwd[to - b]) s.bwd[from - b] = true;
    }
    splits.push_back(std::move(s));
    return splits.back();
  };
  // (c): whether LooseTokens can have kept {from, to}. That key comes from
  // a match of exactly those bytes (not a short indicator's, which
  // LooseTokens skips), possibly with a "word*" term's ending after it.
  auto may_be_piece = [&](uint32_t from, uint32_t to) {
    bool found = false, prefix = false;
    auto source = [&](uint32_t id, bool indicator) {
      if (indicator && to - from < 3) return;
      found = true;
      prefix = prefix || lexicon_.terms[expression_term_[id]].prefix;
    };
    for (const RawMatch& m : joined) {
      if (m.from == from && m.to == to) {
        source(m.id, expression_role_[m.id] == Role::kIndicator);
      }
    }
    for (size_t id = short_from_; id < elements.size(); ++id) {
      if (LeftmostStart(elements[id], bytes, to) == from) {
        source(static_cast<uint32_t>(id), false);
      }
    }
    if (!found && to - from > 1) return false;  // else maybe a step
    const auto first = static_cast<uint32_t>(jn.byte_token[from]);
    const auto last = static_cast<uint32_t>(jn.byte_token[to - 1]);
    if (!splits_of(first).fwd[from - jn.token_begin[first]]) return false;
    const Splits& end = splits_of(last);
    for (uint32_t e = to; e <= to + (prefix ? 3 : 0) && e <= jn.token_end[last];
         ++e) {
      if (end.bwd[e - jn.token_begin[last]]) return true;
    }
    return false;
  };
  for (const RawMatch& m : spaced) {
    if (expression_role_[m.id] != Role::kIndicator || m.to <= m.from ||
        sp.byte_token[m.from] < 0 || sp.byte_token[m.to - 1] < 0) {
      continue;
    }
    const Term& term = lexicon_.terms[expression_term_[m.id]];
    const auto first = static_cast<size_t>(sp.byte_token[m.from]);
    const auto last = static_cast<size_t>(sp.byte_token[m.to - 1]);
    if (term.category == "coded" ||
        (AtWordStart(sp.bytes, sp.token_begin[first], m.from) &&
         (term.prefix ||
          OnlyGlueSymbols(sp.bytes, m.to, sp.token_end[last])))) {
      return true;  // (a)
    }
    if (first != last) continue;
    if (tk.tokens[first].spelled) return true;  // (b)
    const uint32_t shift = jn.token_begin[first] - sp.token_begin[first];
    if (may_be_piece(m.from + shift, m.to + shift)) return true;  // (c)
  }
  for (const RawMatch& m : joined) {
    if (expression_role_[m.id] != Role::kIndicator || m.to <= m.from ||
        jn.byte_token[m.from] < 0 ||
        jn.byte_token[m.from] == jn.byte_token[m.to - 1]) {
      continue;
    }
    if (may_be_piece(m.from, m.to)) return true;  // (c), split
  }
  return false;
}

TermMatcher::Loose TermMatcher::LooseTokens(
    const Tokenized& tk, const std::vector<RawMatch>& joined) const {
  const ScanText& jn = tk.joined;
  Loose loose;
  loose.token.assign(tk.tokens.size(), false);
  for (size_t t = 0; t < tk.tokens.size(); ++t) {
    loose.token[t] = tk.tokens[t].spelled;
  }
  if (tk.tokens.empty()) return loose;

  // A word the lexicons know as a whole ("eighteen") is that word, not the
  // pieces inside it ("teen").
  std::vector<bool> known_word(tk.tokens.size(), false);
  for (const RawMatch& m : joined) {
    if (m.to <= m.from || jn.byte_token[m.from] < 0) continue;
    auto t = static_cast<size_t>(jn.byte_token[m.from]);
    if (m.from == jn.token_begin[t] && m.to == jn.token_end[t]) {
      known_word[t] = true;
    }
  }
  // Pieces: [from, to) of the joined string that a known word covers,
  // with where the term's own match ends (a "word*" piece may go further).
  struct Piece {
    uint32_t from, to, match_to;
    bool operator<(const Piece& o) const {
      return std::tie(from, to, match_to) < std::tie(o.from, o.to, o.match_to);
    }
    bool operator==(const Piece& o) const = default;
  };
  std::vector<Piece> pieces;
  for (const RawMatch& m : joined) {
    if (m.to <= m.from || jn.byte_token[m.from] < 0 ||
        jn.byte_token[m.to - 1] < 0) {
      continue;
    }
    const Term& term = lexicon_.terms[expression_term_[m.id]];
    auto first = static_cast<size_t>(jn.byte_token[m.from]);
    auto last = static_cast<size_t>(jn.byte_token[m.to - 1]);
    const bool whole =
        m.from == jn.token_begin[first] && m.to == jn.token_end[last];
    if (!whole && first == last && known_word[first]) continue;
    // Short indicators hide in ordinary words ("sex" in "Essex"); a
    // one-letter word may not open a glued word ("a" + "sexual").
    if (IsIndicatorCategory(term.category) && m.to - m.from < 3) continue;
    if (m.to - m.from == 1 && m.from == jn.token_begin[first] && !whole)
      continue;
    pieces.push_back({m.from, m.to, m.to});
    // A "word*" term may carry a short ending ("pornograph" + "ic"), if
    // it stays in the word and, spanning words, has most of the last one
    // ("nudi sul" does not spell "nudis*").
    for (uint32_t to = m.to + 1;
         term.prefix && to <= m.to + 3 && to <= jn.token_end[last]; ++to) {
      if (first != last &&
          m.to - jn.token_begin[last] <= jn.token_end[last] - m.to) {
        break;
      }
      pieces.push_back({m.from, to, m.to});
    }
  }
  const uint32_t begin = jn.token_begin.front(), end = jn.token_end.back();
  for (size_t t = 0; t < tk.tokens.size(); ++t) {
    pieces.push_back({jn.token_begin[t], jn.token_end[t], jn.token_end[t]});
  }
  // Digits, glue symbols, and the first of two equal letters (a pattern's
  // first letter does not repeat) are steps of one byte.
  for (uint32_t i = begin; i < end; ++i) {
    const char c = jn.bytes[i];
    if (IsDigit(c) ||
        (static_cast<unsigned char>(c) < 0x80 && !IsAsciiAlnum(c)) ||
        (i + 1 < end && jn.bytes[i + 1] == c)) {
      pieces.push_back({i, i + 1, i + 1});
    }
  }
  std::sort(pieces.begin(), pieces.end());
  pieces.erase(std::unique(pieces.begin(), pieces.end()), pieces.end());
  // fwd[i]: the text before i splits into pieces; bwd[i]: the text after.
  std::vector<bool> fwd(end + 1, false), bwd(end + 1, false);
  fwd[begin] = bwd[end] = true;
  for (const Piece& p : pieces) {  // sorted by start
    if (fwd[p.from]) fwd[p.to] = true;
  }
  std::vector<Piece> by_end = pieces;
  std::sort(by_end.begin(), by_end.end(),
            [](const Piece& a, const Piece& b) { return a.to > b.to; });
  for (const Piece& p : by_end) {
    if (bwd[p.to]) bwd[p.from] = true;
  }
  for (const Piece& p : pieces) {
    if (!fwd[p.from] || !bwd[p.to]) continue;
    const uint32_t from = p.from, to = p.to;
    auto first = static_cast<size_t>(jn.byte_token[from]);
    auto last = static_cast<size_t>(jn.byte_token[to - 1]);
    if (from == jn.token_begin[first] && to == jn.token_end[last] &&
        first == last) {
      continue;  // a plain word
    }
    loose.pieces.insert({from, p.match_to});
    for (size_t t = first; t <= last; ++t) loose.token[t] = true;
  }
  return loose;
}

void TermMatcher::Classify(const Tokenized& tk, const Loose& loose,
                           const std::vector<RawMatch>& spaced,
                           const std::vector<RawMatch>& joined,
                           std::vector<Hit>& hits) const {
  std::set<std::tuple<int, uint32_t, uint32_t, int>> seen;
  std::vector<Hit> embedded;
  auto add = [&](const RawMatch& m, const ScanText& st, Hit::Kind kind) {
    int term = static_cast<int>(expression_term_[m.id]);
    auto first = static_cast<uint32_t>(st.byte_token[m.from]);
    auto last = static_cast<uint32_t>(st.byte_token[m.to - 1]);
    if (!seen.insert({term, first, last, static_cast<int>(kind)}).second) {
      return;
    }
    Hit h;
    h.kind = kind;
    h.term = term;
    h.category = lexicon_.terms[static_cast<size_t>(term)].category;
    h.first_token = first;
    h.last_token = last;
    h.original = OriginalSpan(tk, first, last);
    h.text = st.bytes.substr(m.from, m.to - m.from);
    h.span_begin = m.from;
    h.span_end = m.to;
    (kind == Hit::Kind::kEmbedded ? embedded : hits).push_back(std::move(h));
  };

  const ScanText& sp = tk.spaced;
  for (const RawMatch& m : spaced) {
    if (m.to <= m.from || sp.byte_token[m.from] < 0 ||
        sp.byte_token[m.to - 1] < 0) {
      continue;
    }
    // Units, markers and common words are read by FindAges and
    // LooseTokens, not reported.
    const Role role = expression_role_[m.id];
    if (role == Role::kOther || role == Role::kAgeUnit ||
        role == Role::kAgeMarker) {
      continue;
    }
    const Term& term = lexicon_.terms[expression_term_[m.id]];
    auto first = static_cast<size_t>(sp.byte_token[m.from]);
    auto last = static_cast<size_t>(sp.byte_token[m.to - 1]);
    // In a spelled-out word any term stands on its own; in a glued word,
    // a term that is one of the pieces it splits into.
    const uint32_t shift = tk.joined.token_begin[first] - sp.token_begin[first];
    bool free = first == last &&
                (tk.tokens[first].spelled ||
                 loose.pieces.count({m.from + shift, m.to + shift}) != 0);
    bool at_start =
        free || AtWordStart(sp.bytes, sp.token_begin[first], m.from);
    bool at_end = free || term.prefix ||
                  OnlyGlueSymbols(sp.bytes, m.to, sp.token_end[last]);
    if (!(at_start && at_end) && term.category != "coded") continue;
    add(m, sp, at_start && at_end ? Hit::Kind::kWord : Hit::Kind::kEmbedded);
  }
  // Terms spelled across several words ("chi ld", "nudeph oto"): pieces
  // of the joined string that split into known words.
  const ScanText& jn = tk.joined;
  for (const RawMatch& m : joined) {
    const Role role = expression_role_[m.id];
    if (role == Role::kOther || role == Role::kAgeUnit ||
        role == Role::kAgeMarker) {
      continue;
    }
    if (m.to <= m.from || !loose.pieces.count({m.from, m.to})) continue;
    if (jn.byte_token[m.from] == jn.byte_token[m.to - 1]) continue;
    add(m, jn, Hit::Kind::kSplit);
  }

  // Benign phrases explain the terms inside them.
  std::vector<std::pair<uint32_t, uint32_t>> benign;
  for (const Hit& h : hits) {
    if (h.category == "benign") benign.push_back({h.first_token, h.last_token});
  }
  auto explained = [&](const Hit& h) {
    if (h.category == "benign") return false;
    return std::any_of(benign.begin(), benign.end(), [&](const auto& b) {
      return b.first <= h.first_token && h.last_token <= b.second;
    });
  };
  std::erase_if(hits, explained);
  // Where two indicators overlap, the longer one is what the text says
  // (French "torse nu" is suggestive, not the "nu" inside it).
  auto joined_span = [&](const Hit& h) { return JoinedSpan(tk, h); };
  auto inside_longer = [&](const Hit& h) {
    if (!IsIndicatorCategory(h.category)) return false;
    // Not structured bindings: clang 14 cannot capture them.
    const std::pair<uint32_t, uint32_t> mine = joined_span(h);
    return std::any_of(hits.begin(), hits.end(), [&](const Hit& o) {
      if (!IsIndicatorCategory(o.category) || o.category == h.category) {
        return false;
      }
      const std::pair<uint32_t, uint32_t> other = joined_span(o);
      return other.first <= mine.first && mine.second <= other.second &&
             other.second - other.first > mine.second - mine.first;
    });
  };
  std::erase_if(hits, inside_longer);
  // A word that is ordinary in another language counts only beside another
  // term of its own language ("kind" needs German company).
  // Company is any whole word of the lexicons, common words included.
  std::set<std::string> languages;
  for (const RawMatch& m : spaced) {
    const Term& t = lexicon_.terms[expression_term_[m.id]];
    if (t.needs_company || m.to <= m.from || sp.byte_token[m.from] < 0) {
      continue;
    }
    const auto first = static_cast<size_t>(sp.byte_token[m.from]);
    const int32_t last = sp.byte_token[m.to - 1];
    if (last >= 0 && m.from == sp.token_begin[first] &&
        m.to == sp.token_end[static_cast<size_t>(last)]) {
      languages.insert(t.language);
    }
  }
  for (const Hit& h : hits) {
    const Term& t = lexicon_.terms[static_cast<size_t>(h.term)];
    if (!t.needs_company) languages.insert(t.language);
  }
  std::erase_if(hits, [&](const Hit& h) {
    const Term& t = lexicon_.terms[static_cast<size_t>(h.term)];
    return t.needs_company && !languages.count(t.language);
  });
  // Only indicator terms are evidence inside a longer word, and only coded
  // ones: ordinary words hide short terms ("Essex", "kidney",
  // "nudibranch"). Glued words made of known words were freed above.
  for (const Hit& h : embedded) {
    if (h.category == "coded" && h.text.size() >= 4 && !explained(h)) {
      hits.push_back(h);
    }
  }
}

void TermMatcher::FindAges(const Tokenized& tk, const Loose& loose_words,
                           const std::vector<RawMatch>& spaced,
                           const std::vector<RawMatch>& joined,
                           std::vector<Hit>& hits) const {
  const ScanText& sp = tk.spaced;
  const std::vector<bool>& loose = loose_words.token;
  struct Number {
    int value;
    uint32_t first, last;
    uint32_t digits_end;  // byte offset where a glued unit may start
  };
  std::vector<Number> numbers;
  // Number words, whole words only ("seventeen", not "seven" in it); at
  // each word the longest ("quatre vingt" = 80, not "quatre" = 4).
  // Connectors ("et", value -1 in numbers.txt) only join compounds.
  // Keyed by where they start in the joined string, so number words inside
  // one glued or spelled word stay apart.
  std::map<uint32_t, std::pair<Number, uint32_t>> word_numbers;  // -> end
  for (const Hit& h : hits) {
    if (h.category != "numbers" ||
        (h.kind != Hit::Kind::kWord && h.kind != Hit::Kind::kSplit)) {
      continue;
    }
    const Term& t = lexicon_.terms[static_cast<size_t>(h.term)];
    // Where a glued unit would start: after the word in the spaced string
    // (inside a glued word), else at the end of its last word.
    uint32_t end =
        h.kind == Hit::Kind::kWord ? h.span_end : sp.token_end[h.last_token];
    const auto [b, e] = JoinedSpan(tk, h);
    auto it = word_numbers.find(b);
    if (it == word_numbers.end() || it->second.second < e) {
      word_numbers[b] = {{t.value, h.first_token, h.last_token, end}, e};
    }
  }
  for (auto it = word_numbers.begin(); it != word_numbers.end(); ++it) {
    Number n = it->second.first;
    uint32_t n_end = it->second.second;
    if (n.value < 0) continue;  // a connector alone is no number
    // "twenty one", "vingt et un", "soixante douze": a ten, maybe a
    // connector, then a unit (or a teen after 60 and 80, in French) is one
    // number.
    auto next = word_numbers.find(n_end);
    if (next != word_numbers.end() && next->second.first.value < 0) {
      next = word_numbers.find(next->second.second);
    }
    const int max_unit = n.value == 60 || n.value == 80 ? 19 : 9;
    if (n.value % 10 == 0 && n.value >= 20 && n.value <= 90 &&
        next != word_numbers.end() && next->second.first.value >= 1 &&
        next->second.first.value <= max_unit) {
      const Number& u = next->second.first;
      n = {n.value + u.value, n.first, u.last, u.digits_end};
      n_end = next->second.second;
      it = next;
    }
    // Words inside a longer number are not numbers of their own.
    while (std::next(it) != word_numbers.end() &&
           std::next(it)->first < n_end) {
      ++it;
    }
    numbers.push_back(n);
  }
  // Digits: a word's leading digits ("12", "12yo"); in glued or spelled
  // words, any run of digits ("nudeimage8yearsold").
  for (uint32_t t = 0; t < tk.tokens.size(); ++t) {
    const uint32_t b = sp.token_begin[t], e = sp.token_end[t];
    for (uint32_t i = b; i < e;) {
      if (!IsDigit(sp.bytes[i]) || (i > b && IsDigit(sp.bytes[i - 1]))) {
        if (!loose[t]) break;
        ++i;
        continue;
      }
      uint32_t d = i;
      while (d < e && IsDigit(sp.bytes[d])) ++d;
      if (d - i <= 3) {
        numbers.push_back({std::stoi(sp.bytes.substr(i, d - i)), t, t, d});
      }
      if (!loose[t]) break;
      i = d;
    }
  }

  // Age units and markers as whole words (or spelled across words), plus
  // units glued to digits.
  std::vector<std::pair<uint32_t, uint32_t>> units, markers;  // token ranges
  std::set<uint32_t> glued;         // byte offsets where a glued unit starts
  std::set<uint32_t> glued_marker;  // byte offsets where a glued marker ends
  // A unit or marker match: its role and the words it covers.
  struct Found {
    Role role;
    uint32_t first, last;
  };
  auto unit_or_marker = [&](const RawMatch& m,
                            const ScanText& st) -> std::optional<Found> {
    if (m.to <= m.from || st.byte_token[m.from] < 0 ||
        st.byte_token[m.to - 1] < 0) {
      return std::nullopt;
    }
    const Role role = expression_role_[m.id];
    if (role != Role::kAgeUnit && role != Role::kAgeMarker) return std::nullopt;
    return Found{role, static_cast<uint32_t>(st.byte_token[m.from]),
                 static_cast<uint32_t>(st.byte_token[m.to - 1])};
  };
  for (const RawMatch& m : spaced) {
    const auto f = unit_or_marker(m, sp);
    if (!f) continue;
    const bool unit = f->role == Role::kAgeUnit;
    if (AtWordStart(sp.bytes, sp.token_begin[f->first], m.from) &&
        m.to == sp.token_end[f->last]) {
      (unit ? units : markers).push_back({f->first, f->last});
    } else if (unit && (m.to == sp.token_end[f->last] || loose[f->last])) {
      glued.insert(m.from);
    } else if (!unit && loose[f->first]) {
      glued_marker.insert(m.to);
    }
  }
  const ScanText& jn = tk.joined;
  for (const RawMatch& m : joined) {
    const auto f = unit_or_marker(m, jn);
    if (f && m.from == jn.token_begin[f->first] &&
        m.to == jn.token_end[f->last]) {
      (f->role == Role::kAgeUnit ? units : markers)
          .push_back({f->first, f->last});
    }
  }
  // In glued and spelled words digits run together ("im@6312y34r$" is
  // "image, 12 years"): the one or two digits right before a unit are the
  // number.
  auto unit_at = [&](uint32_t d) {
    // A unit starting at d, or after more of its own first letter
    // ("8yyears": the pattern's first letter does not repeat).
    auto it = glued.lower_bound(d);
    if (it == glued.end()) return false;
    for (uint32_t i = d; i < *it; ++i) {
      if (sp.bytes[i] != sp.bytes[*it]) return false;
    }
    return true;
  };
  for (uint32_t u : glued) {
    auto t = static_cast<uint32_t>(sp.byte_token[u]);
    if (!loose[t]) continue;
    uint32_t k = u;
    while (k > sp.token_begin[t] && sp.bytes[k - 1] == sp.bytes[u]) --k;
    uint32_t j = k;
    while (j > sp.token_begin[t] && k - j < 2 && IsDigit(sp.bytes[j - 1])) --j;
    if (j < k)
      numbers.push_back({std::stoi(sp.bytes.substr(j, k - j)), t, t, k});
  }
  for (const Number& n : numbers) {
    int end_token = -1;
    // "aged9" in a glued or spelled word.
    const uint32_t start =
        n.digits_end - static_cast<uint32_t>(std::to_string(n.value).size());
    if (n.first == n.last && glued_marker.count(start)) {
      end_token = static_cast<int>(n.last);
    }
    if (end_token >= 0) {
    } else if (n.digits_end < sp.token_end[n.last]) {
      // Digits with letters after them: an age only if a unit follows.
      if (unit_at(n.digits_end)) end_token = static_cast<int>(n.last);
    } else {
      for (const auto& u : units) {
        if (u.first == n.last + 1) end_token = static_cast<int>(u.second);
      }
      for (const auto& mk : markers) {
        if (mk.second + 1 == n.first) end_token = static_cast<int>(n.last);
      }
    }
    if (end_token < 0) continue;
    Hit h;
    h.kind = Hit::Kind::kAge;
    h.category = "age";
    h.age = n.value;
    h.first_token = n.first;
    h.last_token = static_cast<uint32_t>(end_token);
    h.original = OriginalSpan(tk, n.first, h.last_token);
    h.text =
        sp.bytes.substr(sp.token_begin[n.first],
                        sp.token_end[h.last_token] - sp.token_begin[n.first]);
    hits.push_back(std::move(h));
  }
}

}  // namespace bulwark::text
