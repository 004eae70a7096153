#include "bulwark/index/matcher.h"

#include <algorithm>
#include <array>
#include <unordered_map>
#include <unordered_set>

#include "bulwark/core/hex.h"
#include "bulwark/hash/pdq.h"
#include "bulwark/index/exact_set.h"
#include "bulwark/index/pdq_index.h"

namespace bulwark::index {
// Not anonymous: SnapshotData (declared in the header) holds these types.
namespace matcher_detail {

// What a query result needs of an entry.
struct EntryRef {
  int64_t entry_id = 0;
  int64_t bank_id = 0;
  hash::SignalType type = hash::SignalType::kPdq;
  std::string value, label, source_id;
  hash::PdqHash pdq;  // when type == kPdq
};

// Disabled entries never match, nor PDQ hashes whose list says their
// quality is below 50: such hashes (flat or blurred images) sit close to
// many unrelated images and would only produce false matches.
bool Matchable(const bank::Entry& e) {
  if (e.disabled) return false;
  return !(e.signal.type() == hash::SignalType::kPdq && e.quality &&
           *e.quality < hash::kPdqMinReliableQuality);
}

EntryRef RefOf(const bank::Entry& e) {
  EntryRef r{e.id,        e.bank_id, e.signal.type(), e.signal.ToHex(), e.label,
             e.source_id, {}};
  if (r.type == hash::SignalType::kPdq)
    r.pdq = *hash::PdqHash::FromHex(r.value);
  return r;
}

// Key of a digest in the exact maps: type and value.
std::string DigestKey(hash::SignalType type, const std::string& hex) {
  return std::string(hash::SignalTypeName(type)) + ":" + hex;
}

// The immutable bulk of a snapshot: every enabled entry at `seq`.
struct Base {
  int64_t seq = 0;
  std::vector<EntryRef> entries;
  // PDQ: unique codes, and for code c its entries
  // code_entries[code_start[c] .. code_start[c+1]).
  std::unique_ptr<PdqIndex> pdq_index;
  std::vector<uint32_t> code_start, code_entries;
  // Per digest type (md5, sha1, sha256): the values, and for position p in
  // the set, its entry digest_entries[type][p].
  std::array<ExactSet, 3> digests;
  std::array<std::vector<uint32_t>, 3> digest_entries;
};

// Index of a digest type in Base::digests; -1 for PDQ.
int DigestSlot(hash::SignalType type) {
  switch (type) {
    case hash::SignalType::kMd5:
      return 0;
    case hash::SignalType::kSha1:
      return 1;
    case hash::SignalType::kSha256:
      return 2;
    case hash::SignalType::kPdq:
      return -1;
  }
  return -1;
}

std::shared_ptr<const Base> BuildBase(int64_t seq,
                                      std::vector<EntryRef> entries) {
  auto base = std::make_shared<Base>();
  base->seq = seq;
  base->entries = std::move(entries);
  std::vector<uint32_t> pdq_entries;
  std::array<std::vector<uint8_t>, 3> digest_bytes;
  for (uint32_t i = 0; i < base->entries.size(); ++i) {
    const EntryRef& e = base->entries[i];
    const int slot = DigestSlot(e.type);
    if (slot < 0) {
      pdq_entries.push_back(i);
      continue;
    }
    const std::vector<uint8_t> bytes = *HexDecode(e.value);
    digest_bytes[slot].insert(digest_bytes[slot].end(), bytes.begin(),
                              bytes.end());
    base->digest_entries[slot].push_back(i);
  }
  for (int slot = 0; slot < 3; ++slot) {
    if (base->digest_entries[slot].empty()) continue;
    const size_t width =
        digest_bytes[slot].size() / base->digest_entries[slot].size();
    base->digests[slot] = *ExactSet::Build(width, digest_bytes[slot]);
  }
  // Equal codes become one stored code: the index searches each value once.
  std::sort(pdq_entries.begin(), pdq_entries.end(),
            [&](uint32_t a, uint32_t b) {
              return base->entries[a].value < base->entries[b].value;
            });
  std::vector<hash::PdqHash> codes;
  for (size_t i = 0; i < pdq_entries.size(); ++i) {
    const EntryRef& e = base->entries[pdq_entries[i]];
    if (i == 0 || e.value != base->entries[pdq_entries[i - 1]].value) {
      base->code_start.push_back(static_cast<uint32_t>(i));
      codes.push_back(e.pdq);
    }
    base->code_entries.push_back(pdq_entries[i]);
  }
  base->code_start.push_back(static_cast<uint32_t>(pdq_entries.size()));
  base->pdq_index = MakePdqIndex(codes);
  return base;
}

// A change to one entry since the base was built: its latest state.
struct Change {
  EntryRef ref;
  bool enabled = true;
  int64_t seq = 0;
};

}  // namespace matcher_detail
using namespace matcher_detail;

struct SnapshotData {
  std::shared_ptr<const Base> base;
  int64_t seq = 0;
  std::unordered_map<int64_t, Change> changes;  // by entry id
  std::unordered_map<int64_t, bank::BankInfo> banks;
  // Derived from `changes` for querying.
  std::unordered_set<int64_t> changed_ids;  // base entries to ignore
  std::vector<const EntryRef*> delta;       // enabled changed entries
  std::unordered_map<std::string, std::vector<const EntryRef*>> delta_digests;
  size_t entry_count = 0;

  void Derive() {
    changed_ids.clear();
    delta.clear();
    delta_digests.clear();
    for (const auto& [id, change] : changes) {
      changed_ids.insert(id);
      if (!change.enabled) continue;
      delta.push_back(&change.ref);
      if (change.ref.type != hash::SignalType::kPdq) {
        delta_digests[DigestKey(change.ref.type, change.ref.value)].push_back(
            &change.ref);
      }
    }
    entry_count = delta.size();
    for (const EntryRef& e : base->entries) {
      if (!changed_ids.count(e.entry_id)) ++entry_count;
    }
  }

  const bank::BankInfo* EnabledBank(int64_t bank_id) const {
    auto it = banks.find(bank_id);
    return it != banks.end() && it->second.enabled ? &it->second : nullptr;
  }

  void Emit(const EntryRef& e, int distance, int variant,
            std::optional<int> threshold, std::vector<Match>& out) const {
    const bank::BankInfo* bank = EnabledBank(e.bank_id);
    if (bank == nullptr) return;
    if (e.type == hash::SignalType::kPdq &&
        distance > threshold.value_or(bank->threshold)) {
      return;
    }
    out.push_back(Match{bank->id, bank->name, bank->category, e.entry_id,
                        e.label, e.source_id, e.type, e.value, distance,
                        variant});
  }
};

Snapshot::Snapshot(std::shared_ptr<const SnapshotData> data)
    : data_(std::move(data)) {}

int64_t Snapshot::seq() const { return data_->seq; }
size_t Snapshot::entry_count() const { return data_->entry_count; }

std::vector<Match> Snapshot::MatchDigest(const hash::Signal& signal) const {
  std::vector<Match> out;
  const Base& base = *data_->base;
  const int slot = DigestSlot(signal.type());
  if (slot < 0) return out;
  std::vector<uint32_t> positions;
  base.digests[slot].Find(*HexDecode(signal.ToHex()), positions);
  for (uint32_t p : positions) {
    const EntryRef& e = base.entries[base.digest_entries[slot][p]];
    if (!data_->changed_ids.count(e.entry_id)) {
      data_->Emit(e, 0, 0, std::nullopt, out);
    }
  }
  const std::string key = DigestKey(signal.type(), signal.ToHex());
  if (auto it = data_->delta_digests.find(key);
      it != data_->delta_digests.end()) {
    for (const EntryRef* e : it->second)
      data_->Emit(*e, 0, 0, std::nullopt, out);
  }
  return out;
}

std::vector<Match> Snapshot::MatchPdq(std::span<const hash::PdqHash> variants,
                                      std::optional<int> threshold) const {
  std::vector<Match> out;
  // Search once with the widest radius any enabled bank asks for; each hit
  // is then held to its own bank's threshold.
  int radius = 0;
  if (threshold) {
    radius = *threshold;
  } else {
    for (const auto& [id, bank] : data_->banks) {
      if (bank.enabled) radius = std::max(radius, bank.threshold);
    }
  }
  const Base& base = *data_->base;
  // All variants in one batch: the index answers a dihedral group faster
  // that way than variant by variant (see MihIndex::SearchBatch).
  std::vector<std::vector<PdqHit>> batch;
  base.pdq_index->SearchBatch(variants, radius, batch);
  for (size_t v = 0; v < variants.size(); ++v) {
    for (const PdqHit& hit : batch[v]) {
      for (uint32_t k = base.code_start[hit.code];
           k < base.code_start[hit.code + 1]; ++k) {
        const EntryRef& e = base.entries[base.code_entries[k]];
        if (!data_->changed_ids.count(e.entry_id)) {
          data_->Emit(e, hit.distance, static_cast<int>(v), threshold, out);
        }
      }
    }
    for (const EntryRef* e : data_->delta) {
      if (e->type != hash::SignalType::kPdq) continue;
      const int d = e->pdq.Distance(variants[v]);
      if (d <= radius) data_->Emit(*e, d, static_cast<int>(v), threshold, out);
    }
  }
  return out;
}

Matcher::Matcher(bank::Store& store, MatcherOptions options)
    : store_(store), options_(options) {}

Matcher::~Matcher() {
  {
    std::lock_guard lock(state_mu_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  if (refresher_.joinable()) refresher_.join();
  if (rebuilder_.joinable()) rebuilder_.join();
}

Result<std::unique_ptr<Matcher>> Matcher::Create(bank::Store& store,
                                                 MatcherOptions options) {
  std::unique_ptr<Matcher> m(new Matcher(store, options));
  auto data = std::make_shared<SnapshotData>();
  data->base = BuildBase(0, {});
  data->Derive();
  m->current_.store(std::shared_ptr<const Snapshot>(new Snapshot(data)));
  Status s = m->Refresh();
  if (!s.ok()) return s.error();
  return m;
}

namespace {

// Every entry of `data` that is enabled and in a bank that exists: the
// contents of a new base.
std::vector<EntryRef> FoldedEntries(const SnapshotData& data) {
  std::vector<EntryRef> entries;
  entries.reserve(data.base->entries.size() + data.changes.size());
  for (const EntryRef& e : data.base->entries) {
    if (!data.changes.count(e.entry_id) && data.banks.count(e.bank_id)) {
      entries.push_back(e);
    }
  }
  for (const auto& [id, change] : data.changes) {
    if (change.enabled && data.banks.count(change.ref.bank_id)) {
      entries.push_back(change.ref);
    }
  }
  std::sort(entries.begin(), entries.end(),
            [](const EntryRef& a, const EntryRef& b) {
              return a.entry_id < b.entry_id;
            });
  return entries;
}

}  // namespace

Status Matcher::Refresh() {
  std::lock_guard lock(refresh_mu_);
  const std::shared_ptr<const SnapshotData> current = snapshot()->data_;
  auto banks = store_.ListBanks();
  if (!banks.ok()) return banks.error();
  std::unordered_map<int64_t, bank::BankInfo> bank_map;
  for (const bank::BankInfo& b : *banks) bank_map[b.id] = b;
  std::vector<std::pair<int64_t, Change>> changed;
  auto seq = store_.ForEachChange(current->seq, [&](const bank::Entry& e) {
    changed.emplace_back(e.id, Change{RefOf(e), Matchable(e), e.seq});
  });
  if (!seq.ok()) return seq.error();
  // Most refreshes find nothing new: keep the current snapshot rather than
  // copying its delta and recounting its entries every interval.
  const bool rebuild_due =
      current->changes.size() > options_.max_delta && !rebuilding_;
  if (changed.empty() && bank_map == current->banks && !rebuild_due) {
    return Ok{};
  }

  auto data = std::make_shared<SnapshotData>(*current);
  data->banks = std::move(bank_map);
  for (auto& [id, change] : changed) data->changes[id] = std::move(change);
  data->seq = *seq;

  if (data->base->seq == 0 && data->base->entries.empty()) {
    // First load: build the base right away, there is nothing to serve yet.
    data->base = BuildBase(data->seq, FoldedEntries(*data));
    data->changes.clear();
  } else if (data->changes.size() > options_.max_delta &&
             !rebuilding_.exchange(true)) {
    StartRebuild(data);
  }
  data->Derive();
  Publish(std::move(data));
  return Ok{};
}

void Matcher::Publish(std::shared_ptr<SnapshotData> data) {
  current_.store(std::shared_ptr<const Snapshot>(new Snapshot(std::move(data))),
                 std::memory_order_release);
}

// Builds a new base from `from` off the refresh path, so changes keep
// becoming visible while it runs, then swaps it in, keeping only the
// changes made after `from` was taken.
void Matcher::StartRebuild(std::shared_ptr<const SnapshotData> from) {
  if (rebuilder_.joinable()) rebuilder_.join();
  rebuilder_ = std::thread([this, from = std::move(from)] {
    std::shared_ptr<const Base> base =
        BuildBase(from->seq, FoldedEntries(*from));
    std::lock_guard lock(refresh_mu_);
    auto data = std::make_shared<SnapshotData>(*snapshot()->data_);
    data->base = std::move(base);
    std::erase_if(data->changes,
                  [&](const auto& kv) { return kv.second.seq <= from->seq; });
    data->Derive();
    Publish(std::move(data));
    rebuilding_ = false;
  });
}

void Matcher::StartAutoRefresh(std::chrono::milliseconds interval) {
  refresher_ = std::thread([this, interval] {
    std::unique_lock lock(state_mu_);
    while (!stop_cv_.wait_for(lock, interval, [this] { return stopping_; })) {
      lock.unlock();
      Status s = Refresh();
      lock.lock();
      last_error_ = s.ok() ? std::nullopt : std::optional<Error>(s.error());
    }
  });
}

std::optional<Error> Matcher::last_refresh_error() const {
  std::lock_guard lock(state_mu_);
  return last_error_;
}

}  // namespace bulwark::index
