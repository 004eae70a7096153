#include "bulwark/index/mih_index.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <stdexcept>
#include <thread>

namespace bulwark::index {

namespace {

// Cost model, in nanoseconds per query on one core, measured on the
// project machine (docs/PERFORMANCE.md). Hashing pays for each probe one
// random read of the offsets, one of the bucket when it is not empty, and
// one per candidate; the reads overlap thanks to prefetching, hence the
// small figures. A scan reads 32 bytes per code, or, in a batch, pays the
// compare only.
constexpr double kProbeNs = 6;
constexpr double kBucketNs = 6;
constexpr double kCandidateNs = 8;
constexpr double kScanOneNs = 2.0;    // per code, a single query
constexpr double kScanPairNs = 0.35;  // per code and query, in a batch
constexpr size_t kScanBatchMax = 4096;

// Substrings with a smaller expected cost per query win, within this many
// bytes per code (codes, ids, offsets; the budget is 128).
constexpr double kMaxBytesPerCode = 126;

double KeysWithin(int len, int r) {  // sum of C(len, d), d <= r
  double total = 0, c = 1;
  for (int d = 0; d <= std::min(r, len); ++d) {
    total += c;
    c = c * (len - d) / (d + 1);
  }
  return total;
}

double TableCost(double n, int len, int r) {
  if (r < 0) return 0;
  const double per_bucket = n / std::ldexp(1.0, len);
  return KeysWithin(len, r) *
         (kProbeNs + (1 - std::exp(-per_bucket)) * kBucketNs +
          per_bucket * kCandidateNs);
}

void SplitBits(int m, std::array<int, MihIndex::kMaxSubstrings>& start,
               std::array<int, MihIndex::kMaxSubstrings>& len) {
  int at = 0;
  for (int j = 0; j < m; ++j) {
    len[j] = 256 / m + (j < 256 % m ? 1 : 0);
    start[j] = at;
    at += len[j];
  }
}

// Radius per table for radius T: b+1 tables get a, the rest a-1 (see the
// header). Any b+1 tables will do, so pick those where the extra bit of
// radius costs least.
void PlanTables(double n, int m, const std::array<int, 32>& len, int t,
                std::array<int8_t, 32>& radius, double& cost, double& probes) {
  const int a = t / m, b = t % m;
  std::array<int, 32> order;
  for (int j = 0; j < m; ++j) order[j] = j;
  auto extra = [&](int j) {
    return TableCost(n, len[j], a) - TableCost(n, len[j], a - 1);
  };
  std::stable_sort(order.begin(), order.begin() + m,
                   [&](int x, int y) { return extra(x) < extra(y); });
  radius.fill(-1);
  cost = 0;
  probes = 0;
  for (int k = 0; k < m; ++k) {
    const int j = order[k];
    const int r = std::min(k <= b ? a : a - 1, len[j]);
    radius[j] = static_cast<int8_t>(r);
    cost += TableCost(n, len[j], r);
    if (r >= 0) probes += KeysWithin(len[j], r);
  }
}

double BytesPerCode(double n, int m, const std::array<int, 32>& len) {
  double offsets = 0;
  for (int j = 0; j < m; ++j) offsets += 4 * (std::ldexp(1.0, len[j]) + 1);
  return 32 + 4 + 4.0 * (m - 1) + offsets / std::max(n, 1.0);
}

// Counting sort of ids by key into a CSR table: offsets must be zeroed,
// with 2^len + 1 entries.
template <typename KeyOf>
void FillTable(size_t n, uint32_t* offsets, size_t keys, uint32_t* ids,
               KeyOf key_of) {
  for (size_t i = 0; i < n; ++i) ++offsets[key_of(i) + 1];
  for (size_t k = 0; k < keys; ++k) offsets[k + 1] += offsets[k];
  // offsets[k] is now the start of bucket k; scattering advances it to the
  // end, which is the start of k + 1, so one shift restores the starts.
  for (size_t i = 0; i < n; ++i) {
    ids[offsets[key_of(i)]++] = static_cast<uint32_t>(i);
  }
  for (size_t k = keys; k > 0; --k) offsets[k] = offsets[k - 1];
  offsets[0] = 0;
}

}  // namespace

// ---------------------------------------------------------------- building

int MihIndex::ChooseSubstrings(size_t n) {
  int best = kMaxSubstrings;
  double best_cost = 0;
  for (int m = kMinSubstrings; m <= kMaxSubstrings; ++m) {
    std::array<int, 32> start, len;
    SplitBits(m, start, len);
    // Tiny sets cannot amortise their tables; the byte limit applies from
    // 64k codes on (the scan handles anything smaller just as fast).
    if (n >= 65536 && BytesPerCode(n, m, len) > kMaxBytesPerCode) continue;
    std::array<int8_t, 32> radius;
    double cost, probes;
    PlanTables(static_cast<double>(n), m, len, 31, radius, cost, probes);
    if (best_cost == 0 || cost < best_cost) {
      best = m;
      best_cost = cost;
    }
  }
  return best;
}

MihIndex::MihIndex(std::span<const hash::PdqHash> codes,
                   const MihOptions& options)
    : input_size_(codes.size()),
      plan_(options.plan),
      scan_kernel_(ScanKernelSupported(options.scan_kernel)
                       ? options.scan_kernel
                       : BestScanKernel()),
      hw_popcount_(__builtin_cpu_supports("popcnt")) {
  const size_t n = codes.size();
  if (n >= (size_t{1} << 31))
    throw std::length_error("MihIndex: too many codes");
  m_ = options.substrings != 0
           ? std::clamp(options.substrings, kMinSubstrings, kMaxSubstrings)
           : ChooseSubstrings(n);
  SplitBits(m_, start_, len_);

  plans_.resize(257);
  for (int t = 0; t <= 256; ++t) {
    PlanTables(static_cast<double>(n), m_, len_, t, plans_[t].radius,
               plans_[t].cost, plans_[t].probes);
  }
  if (n == 0) return;

  // Table 0 orders the codes themselves: counting sort of input positions
  // by substring 0, then each bucket by the full code so that equal codes
  // are adjacent (and, within them, positions ascending).
  const size_t keys0 = size_t{1} << len_[0];
  auto key0 = [&](const Code256& c) {
    return Substring(c, start_[0], len_[0]);
  };
  HugeArray<uint32_t> order(n);
  {
    HugeArray<uint32_t> off(keys0 + 1);
    FillTable(n, off.data(), keys0, order.data(),
              [&](size_t i) { return key0(ToCode(codes[i])); });
    for (size_t k = 0; k < keys0; ++k) {
      if (off[k + 1] - off[k] < 2) continue;
      std::sort(order.data() + off[k], order.data() + off[k + 1],
                [&](uint32_t x, uint32_t y) {
                  const Code256 cx = ToCode(codes[x]), cy = ToCode(codes[y]);
                  if (cx == cy) return x < y;
                  return cx < cy;
                });
    }
  }

  // Store each code once; extra positions of repeated codes go aside.
  size_t unique = 0;
  for (size_t i = 0; i < n; ++i) {
    if (i == 0 || !(codes[order[i]] == codes[order[i - 1]])) ++unique;
  }
  codes_ = HugeArray<Code256>(unique);
  first_pos_ = HugeArray<uint32_t>(unique);
  size_t id = 0;
  for (size_t i = 0; i < n; ++i) {
    if (i == 0 || !(codes[order[i]] == codes[order[i - 1]])) {
      codes_[id] = ToCode(codes[order[i]]);
      first_pos_[id] = order[i];
      ++id;
    } else {
      first_pos_[id - 1] |= uint32_t{1} << 31;
      extra_.push_back(uint64_t{id - 1} << 32 | order[i]);
    }
  }
  order = HugeArray<uint32_t>();  // sorted by id already: ids only grow

  offsets_.resize(m_);
  ids_.resize(m_);
  std::atomic<int> next{0};
  auto worker = [&] {
    for (int j; (j = next.fetch_add(1)) < m_;) {
      const size_t keys = size_t{1} << len_[j];
      HugeArray<uint32_t> off(keys + 1);
      if (j == 0) {
        // Codes are sorted by this key: the offsets are all it needs.
        for (size_t i = 0; i < unique; ++i) ++off[key0(codes_[i]) + 1];
        for (size_t k = 0; k < keys; ++k) off[k + 1] += off[k];
      } else {
        HugeArray<uint32_t> ids(unique);
        FillTable(unique, off.data(), keys, ids.data(), [&](size_t i) {
          return Substring(codes_[i], start_[j], len_[j]);
        });
        ids_[j] = std::move(ids);
      }
      offsets_[j] = std::move(off);
    }
  };
  int threads = options.build_threads > 0
                    ? options.build_threads
                    : static_cast<int>(std::thread::hardware_concurrency());
  threads = std::clamp(threads, 1, m_);
  if (unique < 100000) threads = 1;
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
}

size_t MihIndex::memory_bytes() const {
  size_t total = codes_.bytes() + first_pos_.bytes() +
                 extra_.capacity() * sizeof(uint64_t) +
                 plans_.capacity() * sizeof(Plan);
  for (const auto& o : offsets_) total += o.bytes();
  for (const auto& i : ids_) total += i.bytes();
  return total;
}

// ---------------------------------------------------------------- planning

bool MihIndex::PrefersScan(int radius, size_t batch) const {
  if (!plan_ || codes_.size() == 0 || radius < 0) return false;
  const double n = static_cast<double>(codes_.size());
  const double scan =
      batch <= 1
          ? n * kScanOneNs
          : n * (kScanPairNs + kScanOneNs / std::min(batch, kScanBatchMax));
  return scan < PlanFor(std::min(radius, 256)).cost;
}

// ---------------------------------------------------------------- searching

void MihIndex::AppendHit(uint32_t id, int distance,
                         std::vector<PdqHit>& out) const {
  const uint32_t first = first_pos_[id];
  out.push_back({first & 0x7fffffffu, distance});
  if (first >> 31) {
    auto it =
        std::lower_bound(extra_.begin(), extra_.end(), uint64_t{id} << 32);
    for (; it != extra_.end() && (*it >> 32) == id; ++it) {
      out.push_back({static_cast<uint32_t>(*it), distance});
    }
  }
}

// One pass over the probe lists of up to kGroup queries, as a software
// pipeline over chunks of probes. Each iteration runs three stages, each
// on data the previous iteration prefetched: stage A reads the offsets of
// this chunk's probes (prefetched during the previous chunk's stage A) and
// prefetches the buckets it finds; stage B reads the buckets stage A found
// in the previous iteration and prefetches their codes; stage C verifies
// the candidates stage B listed in the previous iteration. So a chunk's
// worth of independent reads is always in flight and no stage starts
// cold, as each of the former three separate passes did (their first
// misses went unhidden, three times per query). Interleaving the queries
// of a group (a dihedral group's 8 variants) in one pass also spreads the
// pipeline's fill and drain over all of them.
struct MihQuery {
  static constexpr size_t kGroup = 8;
  // Per query; above this, queries go alone to bound the scratch lists.
  static constexpr double kGroupProbesMax = 1 << 16;
  // Probes per chunk: a chunk's reads (about 2.3 lines per probe at 10M
  // codes) must cover the memory latency, and what one chunk prefetches
  // must stay in L1 until the next uses it. 32 to 64 measured best.
  static constexpr size_t kChunk = 32;

  struct Range {
    uint32_t lo, hi;
    uint32_t tag;  // table | query << 8
  };
  struct Scratch {
    std::vector<uint32_t> masks;   // per (length, radius) of a table
    std::vector<uint64_t> probes;  // key | table << 32 | query << 40
    std::vector<Range> ranges;     // non-empty buckets
    std::vector<uint64_t> cands;   // id | table << 32 | query << 40
  };

  [[gnu::always_inline]] static inline void Run(
      const MihIndex& ix, const Code256* qs, size_t nq, int t,
      std::vector<PdqHit>* const* out) {
    thread_local Scratch s;
    const MihIndex::Plan& plan = ix.PlanFor(t);
    const int m = ix.m_;
    uint32_t qkey[kGroup][32];
    const uint32_t* off[32];
    const uint32_t* ids[32];
    for (int j = 0; j < m; ++j) {
      off[j] = ix.offsets_[j].data();
      ids[j] = ix.ids_[j].data();
    }
    const Code256* codes = ix.codes_.data();

    // The masks of a table depend only on its length and radius, of which
    // there are two or three pairs: list each pair's masks once, then each
    // query's probes are its key XOR those masks.
    s.masks.clear();
    std::array<uint32_t, 32> mask_begin, mask_end;
    for (int j = 0; j < m; ++j) {
      const int r = plan.radius[j];
      int same = 0;
      while (same < j && !(ix.len_[same] == ix.len_[j] &&
                           plan.radius[same] == plan.radius[j])) {
        ++same;
      }
      if (same < j) {
        mask_begin[j] = mask_begin[same];
        mask_end[j] = mask_end[same];
        continue;
      }
      mask_begin[j] = static_cast<uint32_t>(s.masks.size());
      if (r >= 0) s.masks.push_back(0);
      const uint64_t limit = uint64_t{1} << ix.len_[j];
      for (int d = 1; d <= r; ++d) {
        // All masks of d bits below `limit`, in increasing order (Gosper).
        for (uint64_t mask = (uint64_t{1} << d) - 1; mask < limit;) {
          s.masks.push_back(static_cast<uint32_t>(mask));
          const uint64_t low = mask & (~mask + 1), ripple = mask + low;
          mask = (((ripple ^ mask) >> 2) >> std::countr_zero(low)) | ripple;
        }
      }
      mask_end[j] = static_cast<uint32_t>(s.masks.size());
    }
    size_t per_query = 0;
    for (int j = 0; j < m; ++j) per_query += mask_end[j] - mask_begin[j];
    s.probes.resize(per_query * nq);
    uint64_t* probe_out = s.probes.data();
    for (size_t qi = 0; qi < nq; ++qi) {
      for (int j = 0; j < m; ++j) {
        qkey[qi][j] = Substring(qs[qi], ix.start_[j], ix.len_[j]);
        const uint64_t tag = uint64_t(j) << 32 | uint64_t(qi) << 40;
        const uint32_t key = qkey[qi][j];
        const uint32_t* masks = s.masks.data();
        for (uint32_t k = mask_begin[j]; k < mask_end[j]; ++k) {
          *probe_out++ = tag | (key ^ masks[k]);
        }
      }
    }

    auto offsets_of = [&](uint64_t p) {
      return off[(p >> 32) & 0xff] + static_cast<uint32_t>(p);
    };
    // Stage A: probe -> bucket.
    auto probe = [&](uint64_t p) {
      const uint32_t* o = offsets_of(p);
      const uint32_t lo = o[0], hi = o[1];
      if (hi == lo) return;
      const uint32_t tag = static_cast<uint32_t>(p >> 32);
      s.ranges.push_back({lo, hi, tag});
      const int j = tag & 0xff;
      if (j == 0) {
        __builtin_prefetch(codes + lo);  // table 0's buckets are codes
      } else {
        __builtin_prefetch(ids[j] + lo);
      }
    };
    // Stage B: bucket -> candidate ids.
    auto expand = [&](const Range& g) {
      const uint64_t tag = uint64_t{g.tag} << 32;
      const int j = g.tag & 0xff;
      if (j == 0) {
        for (uint32_t k = g.lo; k < g.hi; ++k) s.cands.push_back(tag | k);
      } else {
        const uint32_t* b = ids[j];
        for (uint32_t k = g.lo; k < g.hi; ++k) {
          __builtin_prefetch(codes + b[k]);
          s.cands.push_back(tag | b[k]);
        }
      }
    };
    // Stage C: verify.
    auto verify = [&](uint64_t c) {
      const uint32_t id = static_cast<uint32_t>(c);
      const size_t qi = c >> 40;
      const Code256& code = codes[id];
      const int d = Distance(code, qs[qi]);
      if (d > t) return;
      // Found before through an earlier table? Then it was reported there.
      const int table = static_cast<int>((c >> 32) & 0xff);
      bool seen = false;
      for (int j = 0; j < table && !seen; ++j) {
        const int r = plan.radius[j];
        seen =
            r >= 0 && std::popcount(Substring(code, ix.start_[j], ix.len_[j]) ^
                                    qkey[qi][j]) <= r;
      }
      if (!seen) ix.AppendHit(id, d, *out[qi]);
    };

    s.ranges.clear();
    s.cands.clear();
    const size_t np = s.probes.size();
    for (size_t i = 0; i < std::min(kChunk, np); ++i) {
      __builtin_prefetch(offsets_of(s.probes[i]));
    }
    size_t next_range = 0, next_cand = 0;  // first not yet expanded/verified
    size_t ranges_ready = 0, cands_ready = 0;  // found one chunk ago
    for (size_t begin = 0; begin < np; begin += kChunk) {
      const size_t end = std::min(begin + kChunk, np);
      for (size_t i = begin; i < end; ++i) {
        if (i + kChunk < np) {
          __builtin_prefetch(offsets_of(s.probes[i + kChunk]));
        }
        probe(s.probes[i]);
      }
      for (; next_range < ranges_ready; ++next_range) {
        expand(s.ranges[next_range]);
      }
      for (; next_cand < cands_ready; ++next_cand) verify(s.cands[next_cand]);
      ranges_ready = s.ranges.size();
      cands_ready = s.cands.size();
    }
    for (; next_range < s.ranges.size(); ++next_range) {
      expand(s.ranges[next_range]);
    }
    for (; next_cand < s.cands.size(); ++next_cand) verify(s.cands[next_cand]);
  }

  [[gnu::target("popcnt,bmi,bmi2")]] static void RunPopcnt(
      const MihIndex& ix, const Code256* qs, size_t nq, int t,
      std::vector<PdqHit>* const* out) {
    Run(ix, qs, nq, t, out);
  }
  static void RunPortable(const MihIndex& ix, const Code256* qs, size_t nq,
                          int t, std::vector<PdqHit>* const* out) {
    Run(ix, qs, nq, t, out);
  }
};

void MihIndex::SearchHashing(const Code256* qs, size_t nq, int radius,
                             std::vector<PdqHit>* const* out) const {
  if (hw_popcount_) {
    MihQuery::RunPopcnt(*this, qs, nq, radius, out);
  } else {
    MihQuery::RunPortable(*this, qs, nq, radius, out);
  }
}

void MihIndex::Search(const hash::PdqHash& query, int radius,
                      std::vector<PdqHit>& out) const {
  if (radius < 0 || codes_.size() == 0) return;
  radius = std::min(radius, 256);
  const Code256 q = ToCode(query);
  if (PrefersScan(radius, 1)) {
    std::vector<PdqHit> ids;
    ScanCodes(scan_kernel_, codes_.data(), codes_.size(), 0, &q, 1, radius,
              &ids);
    for (const PdqHit& h : ids) AppendHit(h.code, h.distance, out);
    return;
  }
  std::vector<PdqHit>* outs[1] = {&out};
  SearchHashing(&q, 1, radius, outs);
}

void MihIndex::SearchBatch(std::span<const hash::PdqHash> queries, int radius,
                           std::vector<std::vector<PdqHit>>& out) const {
  out.resize(queries.size());
  for (auto& v : out) v.clear();
  if (radius < 0 || codes_.size() == 0) return;
  radius = std::min(radius, 256);
  if (!PrefersScan(radius, queries.size())) {
    // Groups of up to kGroup queries share one pass (see MihQuery), unless
    // their probe lists would be huge (hashing forced at a large radius).
    constexpr size_t kGroup = MihQuery::kGroup;
    const size_t group =
        PlanFor(radius).probes <= MihQuery::kGroupProbesMax ? kGroup : 1;
    for (size_t first = 0; first < queries.size(); first += group) {
      const size_t nq = std::min(group, queries.size() - first);
      Code256 qs[kGroup];
      std::vector<PdqHit>* outs[kGroup];
      for (size_t k = 0; k < nq; ++k) {
        qs[k] = ToCode(queries[first + k]);
        outs[k] = &out[first + k];
      }
      SearchHashing(qs, nq, radius, outs);
    }
    return;
  }
  // One pass over the codes per chunk of queries; hits come back as ids.
  std::vector<Code256> qs;
  std::vector<std::vector<PdqHit>> ids;
  for (size_t first = 0; first < queries.size(); first += kScanBatchMax) {
    const size_t nq = std::min(kScanBatchMax, queries.size() - first);
    qs.resize(nq);
    ids.assign(nq, {});
    for (size_t k = 0; k < nq; ++k) qs[k] = ToCode(queries[first + k]);
    ScanCodes(scan_kernel_, codes_.data(), codes_.size(), 0, qs.data(), nq,
              radius, ids.data());
    for (size_t k = 0; k < nq; ++k) {
      for (const PdqHit& h : ids[k])
        AppendHit(h.code, h.distance, out[first + k]);
    }
  }
}

}  // namespace bulwark::index
