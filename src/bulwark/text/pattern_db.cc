#include "bulwark/text/pattern_db.h"

#include <hs/hs.h>

#include <mutex>

namespace bulwark::text {

// Scratch space is per scan; a small free list keeps one per thread that
// ever scanned without allocating on every call.
struct PatternDb::Impl {
  hs_database_t* db = nullptr;
  mutable std::mutex mu;
  mutable std::vector<hs_scratch_t*> free_scratch;

  ~Impl() {
    for (hs_scratch_t* s : free_scratch) hs_free_scratch(s);
    hs_free_database(db);
  }
  hs_scratch_t* Take() const {
    {
      std::lock_guard<std::mutex> lock(mu);
      if (!free_scratch.empty()) {
        hs_scratch_t* s = free_scratch.back();
        free_scratch.pop_back();
        return s;
      }
    }
    hs_scratch_t* s = nullptr;
    if (hs_alloc_scratch(db, &s) != HS_SUCCESS) return nullptr;
    return s;
  }
  void Give(hs_scratch_t* s) const {
    std::lock_guard<std::mutex> lock(mu);
    free_scratch.push_back(s);
  }
};

PatternDb::PatternDb(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PatternDb::~PatternDb() = default;
PatternDb::PatternDb(PatternDb&&) noexcept = default;
PatternDb& PatternDb::operator=(PatternDb&&) noexcept = default;

Result<PatternDb> PatternDb::Compile(
    const std::vector<std::string>& expressions) {
  if (expressions.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "no expressions to compile");
  }
  std::vector<const char*> exprs;
  // No start-of-match tracking: it triples the scan and the compile; the
  // caller finds starts (text/term_pattern.h, LeftmostStart).
  std::vector<unsigned> flags(expressions.size(), 0);
  std::vector<unsigned> ids;
  for (size_t i = 0; i < expressions.size(); ++i) {
    exprs.push_back(expressions[i].c_str());
    ids.push_back(static_cast<unsigned>(i));
  }
  auto impl = std::make_unique<Impl>();
  hs_compile_error_t* err = nullptr;
  if (hs_compile_multi(exprs.data(), flags.data(), ids.data(),
                       static_cast<unsigned>(exprs.size()), HS_MODE_BLOCK,
                       nullptr, &impl->db, &err) != HS_SUCCESS) {
    std::string message = "cannot compile the lexicon patterns";
    if (err != nullptr) {
      if (err->expression >= 0) {
        message += " (expression " + std::to_string(err->expression) + ": " +
                   expressions[static_cast<size_t>(err->expression)] + ")";
      }
      message += std::string(": ") + err->message;
      hs_free_compile_error(err);
    }
    return MakeError(ErrorCode::kInvalidArgument, message);
  }
  return PatternDb(std::move(impl));
}

Result<PatternDb> PatternDb::Deserialize(std::string_view bytes) {
  auto impl = std::make_unique<Impl>();
  if (hs_deserialize_database(bytes.data(), bytes.size(), &impl->db) !=
      HS_SUCCESS) {
    return MakeError(ErrorCode::kCorrupt, "not a usable pattern database");
  }
  // A database built for other CPU features deserialises but cannot scan;
  // allocating scratch is where that shows.
  hs_scratch_t* s = impl->Take();
  if (s == nullptr) {
    return MakeError(ErrorCode::kCorrupt,
                     "pattern database not usable on this machine");
  }
  impl->Give(s);
  return PatternDb(std::move(impl));
}

Result<std::string> PatternDb::Serialize() const {
  char* bytes = nullptr;
  size_t size = 0;
  if (hs_serialize_database(impl_->db, &bytes, &size) != HS_SUCCESS) {
    return MakeError(ErrorCode::kInternal, "cannot serialise pattern database");
  }
  std::string out(bytes, size);
  free(bytes);  // NOLINT: Hyperscan allocates with malloc
  return out;
}

std::string PatternDb::PlatformKey() {
  hs_platform_info_t info{};
  hs_populate_platform(&info);
  return std::string("hs ") + hs_version() + " tune " +
         std::to_string(info.tune) + " features " +
         std::to_string(info.cpu_features);
}

Status PatternDb::Scan(std::string_view bytes,
                       std::vector<RawMatch>& out) const {
  hs_scratch_t* scratch = impl_->Take();
  if (scratch == nullptr) {
    return MakeError(ErrorCode::kInternal, "cannot allocate scan scratch");
  }
  auto on_match = [](unsigned id, unsigned long long from,
                     unsigned long long to, unsigned, void* ctx) -> int {
    static_cast<std::vector<RawMatch>*>(ctx)->push_back(
        {id, static_cast<uint32_t>(from), static_cast<uint32_t>(to)});
    return 0;
  };
  hs_error_t rc =
      hs_scan(impl_->db, bytes.data(), static_cast<unsigned>(bytes.size()), 0,
              scratch, on_match, &out);
  impl_->Give(scratch);
  if (rc != HS_SUCCESS) {
    return MakeError(
        ErrorCode::kInternal,
        "pattern scan failed (Hyperscan error " + std::to_string(rc) + ")");
  }
  return Ok{};
}

}  // namespace bulwark::text
