// Runs work(i) for i in [0, n) on `jobs` threads and hands each result to
// sink(i, result) on the calling thread in index order, so output is
// deterministic whatever the thread timing. At most `window` results wait
// unconsumed, which bounds memory for arbitrarily long inputs.
#pragma once

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace bulwark {

template <typename R, typename Work, typename Sink>
void OrderedParallel(size_t n, int jobs, Work&& work, Sink&& sink,
                     size_t window = 256) {
  jobs = std::max(1, jobs);
  window = std::max(window, static_cast<size_t>(jobs));
  std::vector<std::optional<R>> slots(window);
  std::mutex mu;
  std::condition_variable ready, space;
  size_t next_claim = 0;    // next index a worker takes
  size_t next_consume = 0;  // next index the sink wants

  auto worker = [&] {
    for (;;) {
      size_t i;
      {
        std::unique_lock lock(mu);
        space.wait(lock, [&] {
          return next_claim >= n || next_claim < next_consume + window;
        });
        if (next_claim >= n) return;
        i = next_claim++;
      }
      R r = work(i);
      {
        std::lock_guard lock(mu);
        slots[i % window] = std::move(r);
      }
      ready.notify_all();
    }
  };

  std::vector<std::thread> threads;
  for (int t = 0; t < jobs; ++t) threads.emplace_back(worker);
  while (next_consume < n) {
    R r;
    {
      std::unique_lock lock(mu);
      ready.wait(lock,
                 [&] { return slots[next_consume % window].has_value(); });
      r = std::move(*slots[next_consume % window]);
      slots[next_consume % window].reset();
    }
    sink(next_consume, r);
    {
      std::lock_guard lock(mu);
      ++next_consume;
    }
    space.notify_all();
  }
  for (auto& t : threads) t.join();
}

}  // namespace bulwark
