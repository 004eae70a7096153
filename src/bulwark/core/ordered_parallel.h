// Runs work(i) for i in [0, n) on `jobs` threads and hands each result to
// sink(i, result) on the calling thread in index order, so output is
// deterministic whatever the thread timing. At most `window` results wait
// unconsumed, which bounds memory for arbitrarily long inputs.
#pragma once

#include <cstddef>
#include <optional>

#include "bulwark/core/ordered_pipeline.h"

namespace bulwark {

template <typename R, typename Work, typename Sink>
void OrderedParallel(size_t n, int jobs, Work&& work, Sink&& sink,
                     size_t window = 256) {
  struct Item {
    size_t index = 0;
    R result{};
  };
  size_t next = 0;
  OrderedPipeline<Item>(
      PipelineLimits{.jobs = jobs, .window = window},
      [&]() -> std::optional<Item> {
        if (next == n) return std::nullopt;
        return Item{next++, R{}};
      },
      [&](Item& item) { item.result = work(item.index); },
      [&](Item&& item) { sink(item.index, item.result); },
      [](const Item&) { return uint64_t{0}; });
}

}  // namespace bulwark
