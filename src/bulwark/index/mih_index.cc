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
                std::array<int8_t, 32>& radius, double& cost) {
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
  for (int k = 0; k < m; ++k) {
    const int j = order[k];
    const int r = std::min(k <= b ? a : a - 1, len[j]);
    radius[j] = static_cast<int8_t>(r);
    cost += TableCost(n, len[j], r);
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
    double cost;
    PlanTables(static_cast<double>(n), m, len, 31, radius, cost);
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
               plans_[t].cost);
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

struct MihQuery {
  struct Range {
    uint32_t lo, hi;
    int table;
  };
  struct Scratch {
    std::vector<uint64_t> probes;  // key | table << 32
    std::vector<Range> ranges;     // non-empty buckets
    std::vector<uint64_t> cands;   // id | table << 32
  };

  static constexpr size_t kAhead = 40;

  // Three passes, each prefetching a fixed distance ahead so that many
  // cache misses are in flight at once: probe keys to buckets, buckets to
  // candidate ids, candidates to verified hits.
  [[gnu::always_inline]] static inline void Run(const MihIndex& ix,
                                                const Code256& q, int t,
                                                std::vector<PdqHit>& out) {
    thread_local Scratch s;
    const MihIndex::Plan& plan = ix.PlanFor(t);
    const int m = ix.m_;
    uint32_t qkey[32];
    const uint32_t* off[32];
    const uint32_t* ids[32];
    for (int j = 0; j < m; ++j) {
      qkey[j] = Substring(q, ix.start_[j], ix.len_[j]);
      off[j] = ix.offsets_[j].data();
      ids[j] = ix.ids_[j].data();
    }

    s.probes.clear();
    for (int j = 0; j < m; ++j) {
      const int r = plan.radius[j];
      const uint64_t tag = uint64_t(j) << 32, limit = uint64_t{1} << ix.len_[j];
      if (r < 0) continue;
      s.probes.push_back(tag | qkey[j]);
      for (int d = 1; d <= r; ++d) {
        // All masks of d bits below `limit`, in increasing order (Gosper).
        for (uint64_t mask = (uint64_t{1} << d) - 1; mask < limit;) {
          s.probes.push_back(tag | (qkey[j] ^ mask));
          const uint64_t low = mask & (~mask + 1), ripple = mask + low;
          mask = (((ripple ^ mask) >> 2) >> std::countr_zero(low)) | ripple;
        }
      }
    }

    s.ranges.clear();
    const size_t np = s.probes.size();
    for (size_t i = 0; i < np; ++i) {
      if (i + kAhead < np) {
        const uint64_t p = s.probes[i + kAhead];
        __builtin_prefetch(off[p >> 32] + static_cast<uint32_t>(p));
      }
      const uint64_t p = s.probes[i];
      const int j = static_cast<int>(p >> 32);
      const uint32_t* o = off[j] + static_cast<uint32_t>(p);
      if (o[1] > o[0]) s.ranges.push_back({o[0], o[1], j});
    }

    s.cands.clear();
    const size_t nr = s.ranges.size();
    const Code256* codes = ix.codes_.data();
    for (size_t r = 0; r < nr; ++r) {
      if (r + kAhead < nr) {
        const Range& a = s.ranges[r + kAhead];
        if (a.table == 0) {
          __builtin_prefetch(codes + a.lo);
        } else {
          __builtin_prefetch(ids[a.table] + a.lo);
        }
      }
      const Range& g = s.ranges[r];
      const uint64_t tag = uint64_t(g.table) << 32;
      if (g.table == 0) {
        for (uint32_t k = g.lo; k < g.hi; ++k) s.cands.push_back(tag | k);
      } else {
        const uint32_t* b = ids[g.table];
        for (uint32_t k = g.lo; k < g.hi; ++k) s.cands.push_back(tag | b[k]);
      }
    }

    const size_t nc = s.cands.size();
    for (size_t c = 0; c < nc; ++c) {
      if (c + kAhead < nc) {
        __builtin_prefetch(codes + static_cast<uint32_t>(s.cands[c + kAhead]));
      }
      const uint32_t id = static_cast<uint32_t>(s.cands[c]);
      const Code256& code = codes[id];
      const int d = Distance(code, q);
      if (d > t) continue;
      // Found before through an earlier table? Then it was reported there.
      const int table = static_cast<int>(s.cands[c] >> 32);
      bool seen = false;
      for (int j = 0; j < table && !seen; ++j) {
        const int r = plan.radius[j];
        seen =
            r >= 0 && std::popcount(Substring(code, ix.start_[j], ix.len_[j]) ^
                                    qkey[j]) <= r;
      }
      if (!seen) ix.AppendHit(id, d, out);
    }
  }

  [[gnu::target("popcnt,bmi,bmi2")]] static void RunPopcnt(
      const MihIndex& ix, const Code256& q, int t, std::vector<PdqHit>& out) {
    Run(ix, q, t, out);
  }
  static void RunPortable(const MihIndex& ix, const Code256& q, int t,
                          std::vector<PdqHit>& out) {
    Run(ix, q, t, out);
  }
};

void MihIndex::SearchHashing(const Code256& q, int radius,
                             std::vector<PdqHit>& out) const {
  if (hw_popcount_) {
    MihQuery::RunPopcnt(*this, q, radius, out);
  } else {
    MihQuery::RunPortable(*this, q, radius, out);
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
  SearchHashing(q, radius, out);
}

void MihIndex::SearchBatch(std::span<const hash::PdqHash> queries, int radius,
                           std::vector<std::vector<PdqHit>>& out) const {
  out.resize(queries.size());
  for (auto& v : out) v.clear();
  if (radius < 0 || codes_.size() == 0) return;
  radius = std::min(radius, 256);
  if (!PrefersScan(radius, queries.size())) {
    for (size_t i = 0; i < queries.size(); ++i) {
      SearchHashing(ToCode(queries[i]), radius, out[i]);
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
