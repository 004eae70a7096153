// PDQ index benchmark (issue 3): our multi-index hashing and batched scan
// against FAISS IndexBinaryFlat and IndexBinaryMultiHash (16 x 16 bits, the
// configuration of Meta's hasher-matcher-actioner), on the same data in one
// process. Sizes beyond 1M are opt-in because they take minutes and GBs:
//
//   BULWARK_INDEX_BENCH_SIZES=1M,10M,50M build/bulwark_bench
//       --benchmark_filter='^Index/'
//
// Names: Index/<method>/<uniform|clustered>/<N>/T<radius>/threads:<k>.
// Counters: q/s (queries per second of wall time), recall against the scan
// on the first queries, build seconds, bytes per stored hash.
#include <benchmark/benchmark.h>
#include <faiss/IndexBinaryFlat.h>
#include <faiss/IndexBinaryHash.h>
#include <faiss/impl/AuxIndexStructures.h>
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "bulwark/index/linear_scan.h"
#include "bulwark/index/mih_index.h"
#include "index/random_codes.h"

namespace bulwark::index {
namespace {

using hash::PdqHash;
using Clock = std::chrono::steady_clock;

constexpr size_t kQueries = 10000;
constexpr double kNearFraction = 0.1;  // queries with a match within 31 bits

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

// ------------------------------------------------------------------ data

struct Dataset {
  std::string key;
  std::vector<PdqHash> codes, queries;
  size_t truth_queries = 0;  // recall is measured on this many first queries
  std::vector<std::vector<std::vector<PdqHit>>> truth;  // [radius][query]
};

Dataset& Data(bool clustered, size_t n) {
  static Dataset d;
  std::ostringstream key_text;
  key_text << (clustered ? "c" : "u") << n;
  const std::string key = key_text.str();
  if (d.key != key) {
    d = Dataset();
    d.key = key;
    d.codes = clustered ? testing::ClusteredCodes(n, 7, 8, 40)
                        : testing::UniformCodes(n, 7);
    d.queries = testing::MakeQueries(d.codes, kQueries, kNearFraction, 31, 8);
    // The scan is the oracle; it costs N x queries, so fewer at large N.
    d.truth_queries = std::min<size_t>(kQueries, 20'000'000'000 / (n * 2));
    d.truth.resize(257);
  }
  return d;
}

const std::vector<std::vector<PdqHit>>& Truth(Dataset& d, int radius) {
  auto& t = d.truth[radius];
  if (t.empty()) {
    LinearScanIndex scan(d.codes);
    scan.SearchBatch(std::span(d.queries).first(d.truth_queries), radius, t);
  }
  return t;
}

// ------------------------------------------------------------------ methods

// One method, built once per dataset and shared by its benchmarks.
class Method {
 public:
  virtual ~Method() = default;
  // Answers queries[first, last) into out (hits as input positions).
  virtual void Run(const std::vector<PdqHash>& queries, size_t first,
                   size_t last, int radius,
                   std::vector<std::vector<PdqHit>>& out) = 0;
  virtual size_t bytes() const = 0;
};

class OurIndex : public Method {
 public:
  explicit OurIndex(std::unique_ptr<PdqIndex> index)
      : index_(std::move(index)) {}
  void Run(const std::vector<PdqHash>& queries, size_t first, size_t last,
           int radius, std::vector<std::vector<PdqHit>>& out) override {
    std::vector<std::vector<PdqHit>> part;
    index_->SearchBatch(std::span(queries).subspan(first, last - first), radius,
                        part);
    for (size_t i = first; i < last; ++i) out[i] = std::move(part[i - first]);
  }
  size_t bytes() const override { return index_->memory_bytes(); }
  const PdqIndex& index() const { return *index_; }

 private:
  std::unique_ptr<PdqIndex> index_;
};

class FaissIndex : public Method {
 public:
  FaissIndex(std::unique_ptr<faiss::IndexBinary> index, size_t bytes)
      : index_(std::move(index)), bytes_(bytes) {}
  void Run(const std::vector<PdqHash>& queries, size_t first, size_t last,
           int radius, std::vector<std::vector<PdqHit>>& out) override {
    if (auto* mh = dynamic_cast<faiss::IndexBinaryMultiHash*>(index_.get())) {
      mh->nflip = radius / 16;  // pigeonhole over 16 substrings: exact
    }
    faiss::RangeSearchResult res(last - first);
    // FAISS reports distances strictly below the radius.
    index_->range_search(last - first,
                         reinterpret_cast<const uint8_t*>(&queries[first]),
                         radius + 1, &res);
    for (size_t i = 0; i < last - first; ++i) {
      for (size_t k = res.lims[i]; k < res.lims[i + 1]; ++k) {
        out[first + i].push_back({static_cast<uint32_t>(res.labels[k]),
                                  static_cast<int>(res.distances[k])});
      }
    }
  }
  size_t bytes() const override { return bytes_; }

 private:
  std::unique_ptr<faiss::IndexBinary> index_;
  size_t bytes_;
};

struct Built {
  std::string key;
  std::unique_ptr<Method> method;
  double build_s = 0;
};

Method& Build(const std::string& name, Dataset& d, double& build_s) {
  static Built b;
  std::ostringstream key_text;
  key_text << name << '/' << d.key;
  const std::string key = key_text.str();
  if (b.key != key) {
    b = Built();  // free the previous index first: 50M indexes are GBs
    const auto start = Clock::now();
    const auto* raw = reinterpret_cast<const uint8_t*>(d.codes.data());
    if (name == "mih") {
      b.method =
          std::make_unique<OurIndex>(std::make_unique<MihIndex>(d.codes));
    } else if (name == "scan") {
      b.method = std::make_unique<OurIndex>(
          std::make_unique<LinearScanIndex>(d.codes));
    } else if (name == "faiss_flat") {
      auto index = std::make_unique<faiss::IndexBinaryFlat>(256);
      index->add(d.codes.size(), raw);
      b.method =
          std::make_unique<FaissIndex>(std::move(index), d.codes.size() * 32);
    } else {  // faiss_mih16x16
      auto index = std::make_unique<faiss::IndexBinaryMultiHash>(256, 16, 16);
      index->add(d.codes.size(), raw);
      // Its maps hold an 8-byte id per code per table, plus the codes.
      b.method = std::make_unique<FaissIndex>(std::move(index),
                                              d.codes.size() * (32 + 16 * 8));
    }
    b.build_s = Seconds(start);
    b.key = key;
  }
  build_s = b.build_s;
  return *b.method;
}

// ------------------------------------------------------------------ runs

struct Config {
  std::string method;
  bool clustered;
  size_t n;
  int radius;
  int threads;
  size_t queries;  // per iteration
};

void Run(benchmark::State& state, const Config& c) {
  Dataset& d = Data(c.clustered, c.n);
  double build_s = 0;
  Method& method = Build(c.method, d, build_s);
  const size_t nq = std::min(c.queries, d.queries.size());
  std::vector<std::vector<PdqHit>> out(nq);
  omp_set_num_threads(c.threads);
  for (auto _ : state) {
    for (auto& v : out) v.clear();
    if (c.method.rfind("faiss", 0) == 0 || c.threads == 1) {
      method.Run(d.queries, 0, nq, c.radius, out);  // FAISS splits via OpenMP
    } else {
      std::vector<std::thread> pool;
      for (int t = 0; t < c.threads; ++t) {
        pool.emplace_back([&, t] {
          method.Run(d.queries, nq * t / c.threads, nq * (t + 1) / c.threads,
                     c.radius, out);
        });
      }
      for (auto& t : pool) t.join();
    }
  }
  // Recall over the queries that have ground truth.
  const auto& truth = Truth(d, c.radius);
  size_t want = 0, found = 0;
  for (size_t i = 0; i < std::min(nq, d.truth_queries); ++i) {
    std::set<uint32_t> got;
    for (const auto& h : out[i]) got.insert(h.code);
    want += truth[i].size();
    for (const auto& h : truth[i]) found += got.count(h.code);
  }
  state.counters["q/s"] = benchmark::Counter(
      static_cast<double>(nq), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["recall"] = want ? static_cast<double>(found) / want : 1.0;
  state.counters["true_hits"] = static_cast<double>(want);
  state.counters["build_s"] = build_s;
  state.counters["B/hash"] =
      static_cast<double>(method.bytes()) / static_cast<double>(c.n);
  state.counters["queries"] = static_cast<double>(nq);
}

std::string SizeName(size_t n) {
  std::ostringstream out;
  if (n % 1'000'000 == 0) {
    out << n / 1'000'000 << 'M';
  } else {
    out << n;
  }
  return out.str();
}

std::vector<size_t> Sizes() {
  const char* env = std::getenv("BULWARK_INDEX_BENCH_SIZES");
  std::vector<size_t> out;
  std::stringstream in(env ? env : "1M");
  for (std::string s; std::getline(in, s, ',');) {
    const size_t mult = s.back() == 'M' ? 1'000'000 : 1;
    if (mult != 1) s.pop_back();
    out.push_back(std::stoull(s) * mult);
  }
  return out;
}

int Register() {
  for (size_t n : Sizes()) {
    const size_t millions = std::max<size_t>(1, n / 1'000'000);
    for (bool clustered : {false, true}) {
      std::vector<Config> cs;
      for (int threads : {1, 2}) {
        for (int t : {10, 31, 63}) {
          cs.push_back({"mih", clustered, n, t, threads, kQueries});
        }
        // The scan's cost is N x queries whatever the radius.
        cs.push_back({"scan", clustered, n, 31, threads,
                      std::clamp<size_t>(20000 / millions, 500, kQueries)});
        cs.push_back({"scan", clustered, n, 63, threads,
                      std::clamp<size_t>(20000 / millions, 500, kQueries)});
      }
      // Debian's FAISS is slow (no hardware popcount): few queries.
      for (int threads : {1, 2}) {
        cs.push_back({"faiss_flat", clustered, n, 31, threads,
                      std::max<size_t>(20, 600 / millions)});
      }
      // At 50M its maps take about 8 GB and its build minutes; still run
      // (select it with the filter when time is short).
      for (int threads : {1, 2}) {
        cs.push_back({"faiss_mih16x16", clustered, n, 31, threads,
                      std::max<size_t>(20, 500 / millions)});
      }
      for (const Config& c : cs) {
        std::ostringstream name_text;
        name_text << "Index/" << c.method << '/'
                  << (c.clustered ? "clustered" : "uniform") << '/'
                  << SizeName(c.n) << "/T" << c.radius
                  << "/threads:" << c.threads;
        const std::string name = name_text.str();
        benchmark::RegisterBenchmark(name.c_str(),
                                     [c](benchmark::State& s) { Run(s, c); })
            ->Iterations(1)
            ->UseRealTime()
            ->Unit(benchmark::kMillisecond);
      }
    }
    // One Search call per query: SearchBatch (the "mih" rows) interleaves
    // groups of 8 queries, so this is the figure for lone queries.
    for (bool clustered : {false, true}) {
      const size_t n_single = n;
      benchmark::RegisterBenchmark(
          ("Index/mih_single/" +
           std::string(clustered ? "clustered/" : "uniform/") + SizeName(n) +
           "/T31")
              .c_str(),
          [n_single, clustered](benchmark::State& s) {
            Dataset& d = Data(clustered, n_single);
            double build_s = 0;
            const PdqIndex& index =
                static_cast<OurIndex&>(Build("mih", d, build_s)).index();
            std::vector<std::vector<PdqHit>> out(d.queries.size());
            for (auto _ : s) {
              for (size_t i = 0; i < d.queries.size(); ++i) {
                out[i].clear();
                index.Search(d.queries[i], 31, out[i]);
              }
            }
            const auto& truth = Truth(d, 31);
            size_t want = 0, found = 0;
            for (size_t i = 0; i < d.truth_queries; ++i) {
              std::set<uint32_t> got;
              for (const auto& h : out[i]) got.insert(h.code);
              want += truth[i].size();
              for (const auto& h : truth[i]) found += got.count(h.code);
            }
            s.counters["q/s"] = benchmark::Counter(
                static_cast<double>(d.queries.size()),
                benchmark::Counter::kIsIterationInvariantRate);
            s.counters["recall"] =
                want ? static_cast<double>(found) / static_cast<double>(want)
                     : 1.0;
          })
          ->Iterations(1)
          ->UseRealTime()
          ->Unit(benchmark::kMillisecond);
    }
    // A hash and its 7 dihedral variants: 8 searches at radius 31, as one
    // SearchBatch of 8 (what the matcher does). The variants of one image
    // are unrelated hashes, so 8 random queries.
    const size_t n_copy = n;
    benchmark::RegisterBenchmark(
        ("Index/mih_dihedral8/uniform/" + SizeName(n) + "/T31").c_str(),
        [n_copy](benchmark::State& s) {
          Dataset& d = Data(false, n_copy);
          double build_s = 0;
          Method& m = Build("mih", d, build_s);
          std::vector<std::vector<PdqHit>> out(d.queries.size());
          for (auto _ : s) {
            for (size_t i = 0; i + 8 <= d.queries.size(); i += 8) {
              m.Run(d.queries, i, i + 8, 31, out);
            }
          }
          s.counters["groups/s"] =
              benchmark::Counter(static_cast<double>(d.queries.size() / 8),
                                 benchmark::Counter::kIsIterationInvariantRate);
        })
        ->Iterations(1)
        ->UseRealTime()
        ->Unit(benchmark::kMillisecond);
  }
  return 0;
}

const int registered = Register();

}  // namespace
}  // namespace bulwark::index
