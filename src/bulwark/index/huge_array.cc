#include "bulwark/index/huge_array.h"

#include <sys/mman.h>

namespace bulwark::index {

namespace {
constexpr size_t kHugePage = size_t{2} << 20;
}

void* AllocateTable(size_t bytes) {
  const bool huge = bytes >= (size_t{1} << 20);
  const size_t align = huge ? kHugePage : 64;
  const size_t rounded = (bytes + align - 1) / align * align;
  void* p = std::aligned_alloc(align, rounded);
  if (p == nullptr) throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
  // Advice only: without transparent huge pages this changes nothing.
  if (huge) madvise(p, rounded, MADV_HUGEPAGE);
#endif
  std::memset(p, 0, rounded);
  return p;
}

void FreeTable(void* p) { std::free(p); }

}  // namespace bulwark::index
