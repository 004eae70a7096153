// MihIndex: exact radius search by multi-index hashing (Norouzi, Punjani,
// Fleet, "Fast Exact Search in Hamming Space with Multi-Index Hashing",
// TPAMI 2014).
//
// The 256 bits are cut into m contiguous substrings, each with a table from
// substring value to the codes holding it. With radius T = m*a + b
// (0 <= b < m), a code within T of the query is within a of it on at least
// one of any b+1 chosen substrings, or within a-1 on one of the others
// (otherwise the distance would be at least (b+1)(a+1) + (m-b-1)a = T+1).
// So each table is probed with every key within a or a-1 of the query's
// substring, and the candidates are verified with the full 256-bit distance.
//
// Layout, all flat arrays (CSR): per table, offsets[key] .. offsets[key+1]
// delimit the bucket in an array of 32-bit code ids. The codes themselves
// are stored sorted by the first substring, so table 0 needs no id array:
// its buckets are runs of codes. Large arrays ask for 2 MiB pages.
//
// Duplicates: equal input codes are stored once; a hit on one is reported
// once per input position holding it, so callers may pass any list and
// get PdqHit::code = input position, exactly as from LinearScanIndex.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "bulwark/index/code256.h"
#include "bulwark/index/huge_array.h"
#include "bulwark/index/pdq_index.h"
#include "bulwark/index/scan_kernels.h"

namespace bulwark::index {

struct MihOptions {
  int substrings = 0;     // m, 10..32; 0 chooses from the number of codes
  int build_threads = 0;  // 0: one per hardware thread
  // Answer a query (or batch) by scanning the stored codes when the cost
  // model says hashing would cost more (very large radii). Off: always hash.
  bool plan = true;
  ScanKernel scan_kernel = BestScanKernel();
};

class MihIndex : public PdqIndex {
 public:
  static constexpr int kMinSubstrings = 10;  // tables of at most 2^26 keys
  static constexpr int kMaxSubstrings = 32;

  // At most 2^31 - 1 codes.
  explicit MihIndex(std::span<const hash::PdqHash> codes,
                    const MihOptions& options = {});

  void Search(const hash::PdqHash& query, int radius,
              std::vector<PdqHit>& out) const override;
  // Queries go through the tables 8 at a time in one interleaved pass (a
  // dihedral group's 8 variants: pass them as one batch), which is faster
  // than 8 Search calls; out[i] holds exactly what Search(queries[i]) gives.
  void SearchBatch(std::span<const hash::PdqHash> queries, int radius,
                   std::vector<std::vector<PdqHit>>& out) const override;

  size_t size() const override { return input_size_; }  // input positions
  size_t memory_bytes() const override;

  size_t unique_size() const { return codes_.size(); }  // codes stored
  int substrings() const { return m_; }

  // The planner's choice for a batch of `batch` queries at `radius`.
  bool PrefersScan(int radius, size_t batch) const;

  // The m the constructor picks for n codes: the lowest modelled cost at
  // radius 31 within 126 bytes per code.
  static int ChooseSubstrings(size_t n);

 private:
  struct Plan {
    std::array<int8_t, kMaxSubstrings> radius;  // per table; -1: not probed
    double cost = 0;                            // modelled, per query
    double probes = 0;                          // keys probed per query
  };

  friend struct MihQuery;  // the probe loop, in mih_index.cc

  // Hashes nq (1..MihQuery::kGroup) queries in one interleaved pass;
  // out[k] receives the hits of qs[k].
  void SearchHashing(const Code256* qs, size_t nq, int radius,
                     std::vector<PdqHit>* const* out) const;
  void AppendHit(uint32_t id, int distance, std::vector<PdqHit>& out) const;
  const Plan& PlanFor(int radius) const { return plans_[radius]; }

  size_t input_size_ = 0;
  int m_ = 0;
  std::array<int, kMaxSubstrings> start_{}, len_{};
  HugeArray<Code256> codes_;       // unique codes, sorted by substring 0
  HugeArray<uint32_t> first_pos_;  // id -> first input position; bit 31:
                                   // more positions in extra_
  std::vector<uint64_t> extra_;    // (id << 32 | position), sorted
  std::vector<HugeArray<uint32_t>> offsets_;  // per table, 2^len + 1
  std::vector<HugeArray<uint32_t>> ids_;      // per table; ids_[0] empty
  std::vector<Plan> plans_;                   // per radius 0..256
  bool plan_ = true;
  ScanKernel scan_kernel_;
  bool hw_popcount_ = false;
};

}  // namespace bulwark::index
