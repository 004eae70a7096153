#include "bulwark/scan/scanner.h"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>

#include "bulwark/core/ordered_pipeline.h"
#include "bulwark/core/text_escape.h"
#include "bulwark/scan/filtered_writer.h"

namespace bulwark::scan {
namespace {

double UnixNow() {
  return std::chrono::duration<double>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// What travels down the pipeline: a shard's start, one of its samples, or
// its end. Items of one shard are contiguous and in order.
struct Item {
  enum class Kind { kBegin, kSample, kEnd };
  Kind kind = Kind::kSample;
  size_t shard = 0;
  Sample sample;
  std::vector<MemberCheck> checks;  // filled in by a worker
  std::optional<Error> error;       // kEnd: why the shard stopped early
  uint64_t bytes_read = 0;          // kEnd
  double time = 0;                  // kBegin: when the shard was opened
};

Item MakeItem(Item::Kind kind, size_t shard) {
  Item item;
  item.kind = kind;
  item.shard = shard;
  return item;
}

// The reader: turns the feed's shards into a stream of items.
class Reader {
 public:
  Reader(const std::vector<ShardSpec>& shards, ShardFeed& feed,
         const SourceOptions& options, const std::atomic<bool>& stop)
      : shards_(shards), feed_(feed), options_(options), stop_(stop) {}

  std::optional<Item> Next() {
    if (pending_end_) {
      Item end = std::move(*pending_end_);
      pending_end_.reset();
      return end;
    }
    if (!source_) {
      if (stop_) return std::nullopt;
      std::optional<size_t> next = feed_.Next();
      if (!next) return std::nullopt;
      shard_ = *next;
      Item begin = MakeItem(Item::Kind::kBegin, shard_);
      begin.time = UnixNow();
      auto source = OpenSource(shards_[shard_], options_);
      if (!source.ok()) {
        pending_end_ = MakeItem(Item::Kind::kEnd, shard_);
        pending_end_->error = source.error();
      } else {
        source_ = std::move(*source);
      }
      return begin;
    }
    auto sample = source_->Next();
    if (sample.ok() && *sample) {
      Item item = MakeItem(Item::Kind::kSample, shard_);
      item.sample = std::move(**sample);
      return item;
    }
    Item end = MakeItem(Item::Kind::kEnd, shard_);
    if (!sample.ok()) end.error = sample.error();
    end.bytes_read = source_->bytes_read();
    source_.reset();
    return end;
  }

 private:
  const std::vector<ShardSpec>& shards_;
  ShardFeed& feed_;
  const SourceOptions& options_;
  const std::atomic<bool>& stop_;
  std::unique_ptr<Source> source_;
  size_t shard_ = 0;
  std::optional<Item> pending_end_;
};

std::string OptionalJson(const std::optional<std::string>& s) {
  return s ? JsonQuote(*s) : "null";
}

// The writer: one shard's result files and filtered copy, fed in order.
class ShardWriter {
 public:
  ShardWriter(const ShardSpec& spec, std::unique_ptr<ShardResultWriter> results,
              std::unique_ptr<FilteredShardWriter> filtered, double start)
      : spec_(spec),
        results_(std::move(results)),
        filtered_(std::move(filtered)) {
    stats_.id = spec.id;
    stats_.path = spec.path;
    stats_.start_time = start;
  }

  Status AddSample(const Sample& sample, const std::vector<MemberCheck>& checks,
                   ProgressCounters* progress) {
    ++stats_.samples;
    bool hit = false;
    uint64_t errors_before = stats_.errors;
    for (const Member& m : sample.members) {
      if (m.error) {
        Status s = AddError(&sample, &m, *m.error);
        if (!s.ok()) return s;
      }
    }
    for (const MemberCheck& c : checks) {
      const Member& m = sample.members[c.member];
      ++stats_.images;
      for (const index::Match& match : c.matches) {
        Status s = results_->AddMatch(MatchLine(sample, m, c, match));
        if (!s.ok()) return s;
        ++stats_.matches;
        hit = true;
      }
      if (c.hashes.error) {
        Status s = AddError(&sample, &m, *c.hashes.error);
        if (!s.ok()) return s;
      }
    }
    if (hit) {
      results_->AddRemoval(sample.key);
      ++stats_.hit_samples;
    } else if (filtered_ && filtered_error_.empty()) {
      Status s = filtered_->Write(sample);
      if (!s.ok()) {
        // The copy cannot be made whole; the scan's findings still stand.
        filtered_error_ = "filtered copy not written: " + s.error().message;
        filtered_.reset();
      }
    }
    if (progress) {
      progress->samples += 1;
      progress->images += checks.size();
      progress->hits += hit;
      progress->errors += stats_.errors - errors_before;
    }
    return Ok{};
  }

  // Closes the shard; returns the finished staging directory.
  Result<std::string> Finish(const std::optional<Error>& read_error,
                             uint64_t bytes_read) {
    stats_.bytes = bytes_read;
    if (read_error) {
      Status s = AddError(nullptr, nullptr, *read_error);
      if (!s.ok()) return s.error();
      stats_.error = read_error->ToString();
      filtered_.reset();  // a copy of part of a shard would mislead
    } else if (!filtered_error_.empty()) {
      stats_.error = filtered_error_;
    } else if (filtered_) {
      Status s = filtered_->Commit();
      if (!s.ok()) stats_.error = "filtered copy: " + s.error().message;
    }
    stats_.complete = stats_.error.empty();
    stats_.end_time = UnixNow();
    stats_.seconds = stats_.end_time - stats_.start_time;
    return results_->Finish(stats_);
  }

  const ShardStats& stats() const { return stats_; }

 private:
  std::string Where(const Sample* sample, const Member* m) const {
    std::string s = "\"shard\":" + JsonQuote(spec_.id) +
                    ",\"path\":" + JsonQuote(spec_.path) +
                    ",\"key\":" + (sample ? JsonQuote(sample->key) : "null") +
                    ",\"member\":" + (m ? JsonQuote(m->name) : "null");
    if (m) s += ",\"offset\":" + std::to_string(m->offset);
    return s;
  }

  Status AddError(const Sample* sample, const Member* m, const Error& e) {
    ++stats_.errors;
    std::string line = "{";
    line += Where(sample, m);
    line += ",\"code\":\"";
    line += ErrorCodeName(e.code);
    line += "\",\"error\":" + JsonQuote(e.message) + "}";
    return results_->AddError(line);
  }

  std::string MatchLine(const Sample& sample, const Member& m,
                        const MemberCheck& c, const index::Match& match) const {
    const bool pdq = match.type == hash::SignalType::kPdq;
    std::string hash_hex;
    if (pdq) {
      hash_hex = c.hashes.pdq->hash.ToHex();
    } else {
      hash_hex = match.value;  // an exact digest equals the entry's value
    }
    std::string line = "{";
    line += Where(&sample, &m);
    line += ",\"type\":\"";
    line += hash::SignalTypeName(match.type);
    line += "\",\"hash\":\"" + hash_hex + "\"";
    if (pdq) {
      line += ",\"quality\":" + std::to_string(c.hashes.pdq->quality);
      line += ",\"variant\":\"";
      line += hash::DihedralName(static_cast<hash::Dihedral>(match.variant));
      line += "\"";
    }
    line += ",\"distance\":" + std::to_string(match.distance) +
            ",\"bank\":" + JsonQuote(match.bank_name) +
            ",\"entry_id\":" + std::to_string(match.entry_id) +
            ",\"entry_value\":\"" + match.value +
            "\",\"label\":" + JsonQuote(match.label) +
            ",\"source_id\":" + JsonQuote(match.source_id) +
            ",\"md5\":" + OptionalJson(c.hashes.md5) + "}";
    return line;
  }

  const ShardSpec& spec_;
  std::unique_ptr<ShardResultWriter> results_;
  std::unique_ptr<FilteredShardWriter> filtered_;
  std::string filtered_error_;
  ShardStats stats_;
};

}  // namespace

Result<ScanTotals> ScanShards(const std::vector<ShardSpec>& shards,
                              ShardFeed& feed, const index::Snapshot& snapshot,
                              const ScanOptions& options,
                              ProgressCounters* progress) {
  std::atomic<bool> stop{false};
  std::optional<Error> failure;
  ScanTotals totals;
  Reader reader(shards, feed, options.source, stop);
  std::unique_ptr<ShardWriter> current;

  auto consume = [&](Item&& item) {
    if (failure) return;  // draining after a write failure
    const ShardSpec& spec = shards[item.shard];
    Status status = Ok{};
    switch (item.kind) {
      case Item::Kind::kBegin: {
        auto results = ShardResultWriter::Create(options.out_dir, spec.id);
        if (!results.ok()) {
          status = results.error();
          break;
        }
        std::unique_ptr<FilteredShardWriter> filtered;
        if (!options.filtered_dir.empty() && spec.kind == ShardKind::kTar) {
          auto w = FilteredShardWriter::Create(
              spec, FilteredPath(spec, options.filtered_dir));
          if (!w.ok()) {
            status = w.error();
            break;
          }
          filtered = std::move(*w);
        }
        current = std::make_unique<ShardWriter>(spec, std::move(*results),
                                                std::move(filtered), item.time);
        break;
      }
      case Item::Kind::kSample:
        status = current->AddSample(item.sample, item.checks, progress);
        break;
      case Item::Kind::kEnd: {
        auto dir = current->Finish(item.error, item.bytes_read);
        if (!dir.ok()) {
          status = dir.error();
          break;
        }
        const ShardStats stats = current->stats();
        current.reset();
        status = feed.Deliver(item.shard, *dir, stats);
        ++totals.shards;
        totals.failed_shards += !stats.complete;
        totals.hit_samples += stats.hit_samples;
        if (progress) {
          progress->bytes += stats.bytes;
          progress->shards_done += 1;
          progress->errors += item.error.has_value();
        }
        break;
      }
    }
    if (!status.ok()) {
      failure = status.error();
      stop = true;
    }
  };

  OrderedPipeline<Item>(
      PipelineLimits{.jobs = options.jobs,
                     .window = static_cast<size_t>(options.jobs) * 16,
                     .max_cost = options.max_inflight_bytes},
      [&] { return reader.Next(); },
      [&](Item& item) {
        if (item.kind == Item::Kind::kSample && !stop) {
          item.checks = CheckSample(item.sample, snapshot, options.check);
        }
      },
      consume, [](const Item& item) { return item.sample.held_bytes(); });
  if (failure) return *failure;
  return totals;
}

std::optional<size_t> LocalFeed::Next() {
  if (next_ == todo_.size()) return std::nullopt;
  return todo_[next_++];
}

Status LocalFeed::Deliver(size_t index, const std::string& staging_dir,
                          const ShardStats&) {
  return CommitShard(staging_dir, out_dir_, shards_[index].id);
}

std::string FilteredPath(const ShardSpec& shard,
                         const std::string& filtered_dir) {
  return filtered_dir + "/" +
         std::filesystem::path(shard.path).filename().string();
}

Result<std::vector<size_t>> ShardsToScan(const std::vector<ShardSpec>& shards,
                                         const std::string& out_dir, bool force,
                                         const std::string& filtered_dir) {
  std::vector<size_t> todo;
  for (size_t i = 0; i < shards.size(); ++i) {
    if (!force) {
      auto stats = ReadShardStats(out_dir, shards[i].id);
      if (!stats.ok()) return stats.error();
      const bool done =
          *stats && (*stats)->complete && (*stats)->path == shards[i].path;
      std::error_code ec;
      const bool copy_missing =
          !filtered_dir.empty() && shards[i].kind == ShardKind::kTar &&
          !std::filesystem::exists(FilteredPath(shards[i], filtered_dir), ec);
      if (done && !copy_missing) continue;
    }
    todo.push_back(i);
  }
  return todo;
}

}  // namespace bulwark::scan
