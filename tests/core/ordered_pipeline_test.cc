#include "bulwark/core/ordered_pipeline.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <vector>

namespace bulwark {
namespace {

struct Item {
  int n = 0;
  uint64_t weight = 0;
  int squared = 0;
};

TEST(OrderedPipeline, ConsumesInProductionOrderWithinTheCostBudget) {
  for (int jobs : {1, 2, 5}) {
    int next = 0;
    std::atomic<uint64_t> in_flight{0};
    uint64_t max_seen = 0;
    std::mutex mu;
    std::vector<int> order;
    OrderedPipeline<Item>(
        PipelineLimits{.jobs = jobs, .window = 64, .max_cost = 100},
        [&]() -> std::optional<Item> {
          if (next == 500) return std::nullopt;
          Item it{next, static_cast<uint64_t>(next % 7 == 0 ? 150 : 10), 0};
          ++next;
          const uint64_t now = in_flight += it.weight;
          std::lock_guard lock(mu);
          max_seen = std::max(max_seen, now - it.weight);
          return it;
        },
        [](Item& it) { it.squared = it.n * it.n; },
        [&](Item&& it) {
          EXPECT_EQ(it.squared, it.n * it.n);
          order.push_back(it.n);
          in_flight -= it.weight;
        },
        [](const Item& it) { return it.weight; });
    ASSERT_EQ(order.size(), 500u) << jobs;
    for (int i = 0; i < 500; ++i) EXPECT_EQ(order[i], i);
    // What was already in flight when an item was produced never exceeds
    // the budget (the producer may make one item before waiting for room).
    EXPECT_LE(max_seen, 100u + 150u) << jobs;
  }
}

TEST(OrderedPipeline, AnItemHeavierThanTheBudgetStillPasses) {
  int produced = 0, consumed = 0;
  OrderedPipeline<Item>(
      PipelineLimits{.jobs = 2, .window = 8, .max_cost = 10},
      [&]() -> std::optional<Item> {
        if (produced == 3) return std::nullopt;
        return Item{produced++, 1000, 0};
      },
      [](Item&) {}, [&](Item&&) { ++consumed; },
      [](const Item& it) { return it.weight; });
  EXPECT_EQ(consumed, 3);
}

}  // namespace
}  // namespace bulwark
