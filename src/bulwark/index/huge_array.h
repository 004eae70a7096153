// HugeArray<T>: a fixed-size array of trivially copyable T in memory the
// kernel may back with 2 MiB pages. The index tables are hundreds of MiB
// read at random; with 4 KiB pages nearly every probe also misses the TLB,
// which costs about as much as the cache miss itself.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <new>
#include <type_traits>
#include <utility>

namespace bulwark::index {

// Allocates `bytes` (zeroed), 64-byte aligned; 2 MiB aligned and advised
// for huge pages when at least 1 MiB. Never returns null (throws bad_alloc).
void* AllocateTable(size_t bytes);
void FreeTable(void* p);

template <typename T>
class HugeArray {
  static_assert(std::is_trivially_copyable_v<T>);

 public:
  HugeArray() = default;
  explicit HugeArray(size_t n)
      : data_(n ? static_cast<T*>(AllocateTable(n * sizeof(T))) : nullptr),
        size_(n) {}
  HugeArray(HugeArray&& o) noexcept
      : data_(std::exchange(o.data_, nullptr)),
        size_(std::exchange(o.size_, 0)) {}
  HugeArray& operator=(HugeArray&& o) noexcept {
    std::swap(data_, o.data_);
    std::swap(size_, o.size_);
    return *this;
  }
  HugeArray(const HugeArray&) = delete;
  HugeArray& operator=(const HugeArray&) = delete;
  ~HugeArray() { FreeTable(data_); }

  T* data() { return data_; }
  const T* data() const { return data_; }
  size_t size() const { return size_; }
  size_t bytes() const { return size_ * sizeof(T); }
  T& operator[](size_t i) { return data_[i]; }
  const T& operator[](size_t i) const { return data_[i]; }

 private:
  T* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace bulwark::index
