// A compiled set of byte-level expressions (Hyperscan, block mode, ends of
// matches only), serialisable so that start-up can skip compiling, and
// scannable from many threads at once.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "bulwark/core/result.h"

namespace bulwark::text {

struct RawMatch {
  uint32_t id;    // index of the expression in the compiled list
  uint32_t from;  // where the match starts: 0 from Scan, which reports
                  // ends only; the caller fills it in
  uint32_t to;    // byte offset just past the match's end
};

class PatternDb {
 public:
  // kInvalidArgument naming the expression Hyperscan rejects.
  static Result<PatternDb> Compile(const std::vector<std::string>& expressions);
  // kCorrupt when `bytes` is not a database this build can run.
  static Result<PatternDb> Deserialize(std::string_view bytes);
  Result<std::string> Serialize() const;

  // Identifies what a serialised database depends on besides its
  // expressions (Hyperscan's version, the CPU features it was built for),
  // so a cache can key on it.
  static std::string PlatformKey();

  ~PatternDb();
  PatternDb(PatternDb&&) noexcept;
  PatternDb& operator=(PatternDb&&) noexcept;

  // Appends every match in `bytes` (each end offset of each expression).
  // Thread-safe.
  Status Scan(std::string_view bytes, std::vector<RawMatch>& out) const;

 private:
  struct Impl;
  explicit PatternDb(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace bulwark::text
