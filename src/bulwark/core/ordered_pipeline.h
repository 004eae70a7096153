// A three-stage pipeline: a producer thread makes items, `jobs` worker
// threads process them, and the calling thread consumes them in production
// order. Reading, processing and writing overlap, output is deterministic
// whatever the thread timing, and memory is bounded: at most `window` items
// exist at once, and the producer waits while the items in flight weigh
// more than `max_cost` (a single item is always admitted, however heavy).
#pragma once

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace bulwark {

struct PipelineLimits {
  int jobs = 1;                    // worker threads, >= 1
  size_t window = 256;             // items in flight, >= jobs
  uint64_t max_cost = UINT64_MAX;  // summed cost(item) in flight
};

// produce() -> std::optional<T>: the next item, nullopt at the end (runs on
//   its own thread, one call at a time).
// work(T&): processes an item in place (runs on the worker threads).
// consume(T&&): receives items in production order (the calling thread).
// cost(const T&) -> uint64_t: the item's weight, read once when produced.
template <typename T, typename Produce, typename Work, typename Consume,
          typename Cost>
void OrderedPipeline(const PipelineLimits& limits, Produce&& produce,
                     Work&& work, Consume&& consume, Cost&& cost) {
  const int jobs = std::max(1, limits.jobs);
  const size_t window = std::max(limits.window, static_cast<size_t>(jobs) + 1);
  struct Slot {
    std::optional<T> item;
    uint64_t cost = 0;
    bool done = false;
  };
  std::vector<Slot> slots(window);
  std::mutex mu;
  std::condition_variable produced, processed, consumed;
  size_t next_produce = 0;  // sequence number of the next item produced
  size_t next_work = 0;     // next item a worker takes
  size_t next_consume = 0;  // next item the consumer wants
  uint64_t cost_in_flight = 0;
  bool end = false;

  std::thread producer([&] {
    for (;;) {
      std::optional<T> item = produce();
      const uint64_t c = item ? cost(*item) : 0;
      std::unique_lock lock(mu);
      if (!item) {
        end = true;
        produced.notify_all();
        processed.notify_all();
        return;
      }
      consumed.wait(lock, [&] {
        const bool room = next_produce < next_consume + window;
        const bool light = next_produce == next_consume ||
                           cost_in_flight + c <= limits.max_cost;
        return room && light;
      });
      Slot& s = slots[next_produce % window];
      s.item = std::move(item);
      s.cost = c;
      s.done = false;
      cost_in_flight += c;
      ++next_produce;
      produced.notify_one();
    }
  });

  auto worker = [&] {
    for (;;) {
      size_t i;
      {
        std::unique_lock lock(mu);
        produced.wait(lock, [&] { return next_work < next_produce || end; });
        if (next_work >= next_produce) return;  // end, nothing left
        i = next_work++;
      }
      // Only this worker touches the slot until it is marked done, and the
      // producer never reuses it before the consumer has taken it.
      work(*slots[i % window].item);
      {
        std::lock_guard lock(mu);
        slots[i % window].done = true;
      }
      processed.notify_all();
    }
  };
  std::vector<std::thread> workers;
  for (int t = 0; t < jobs; ++t) workers.emplace_back(worker);

  for (;;) {
    T item;
    {
      std::unique_lock lock(mu);
      processed.wait(lock, [&] {
        return (next_consume < next_produce &&
                slots[next_consume % window].done) ||
               (end && next_consume == next_produce);
      });
      if (next_consume == next_produce) break;  // end and all consumed
      Slot& s = slots[next_consume % window];
      item = std::move(*s.item);
      s.item.reset();
      cost_in_flight -= s.cost;
    }
    consume(std::move(item));
    {
      std::lock_guard lock(mu);
      ++next_consume;
    }
    consumed.notify_all();
  }
  producer.join();
  for (auto& t : workers) t.join();
}

}  // namespace bulwark
