// Batched linear-scan kernels: every query of a batch against a block of
// codes small enough to stay in L1 while the whole batch runs over it, so
// memory is read once per batch instead of once per query. Three builds of
// the same loop, chosen at run time; each is compiled with its own target
// attribute, so the binary still runs on any x86-64.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "bulwark/index/code256.h"
#include "bulwark/index/pdq_index.h"

namespace bulwark::index {

enum class ScanKernel {
  kPortable,  // plain C++, std::popcount
  kAvx2,      // nibble-table popcount (PSHUFB), 4 codes per step
  kAvx512,    // VPOPCNTQ, 8 codes x 4 queries per step
};

const char* ScanKernelName(ScanKernel kernel);
bool ScanKernelSupported(ScanKernel kernel);
ScanKernel BestScanKernel();  // the fastest one this CPU runs

// Compares codes[0, n) with queries[0, nq); for every pair within `radius`
// appends {code_base + i, distance} to out[query]. Blocks the codes
// internally. radius < 0 finds nothing.
void ScanCodes(ScanKernel kernel, const Code256* codes, size_t n,
               uint32_t code_base, const Code256* queries, size_t nq,
               int radius, std::vector<PdqHit>* out);

}  // namespace bulwark::index
