// A fixed set of threads taking jobs from a bounded queue. The bound is the
// point: when the service is saturated a request is refused at once (503)
// instead of waiting behind thousands of others and timing out anyway.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace bulwark::service {

class WorkerPool {
 public:
  // `threads` >= 1; at most `max_queued` jobs wait while all threads work.
  WorkerPool(int threads, size_t max_queued);
  ~WorkerPool();  // Shutdown()
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // false when the queue is full or the pool is shut down; the job is then
  // dropped without running.
  bool TryPost(std::function<void()> job);

  // Runs every queued job to completion, then joins the threads.
  // Idempotent.
  void Shutdown();

 private:
  void Loop();

  const size_t max_queued_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  std::atomic<size_t> queued_{0};  // queue_.size(), readable without mu_
  int sleeping_ = 0;               // workers waiting on cv_
  static constexpr int kSpins = 64;
  bool shutting_down_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace bulwark::service
