#include "bulwark/service/worker_pool.h"

namespace bulwark::service {

WorkerPool::WorkerPool(int threads, size_t max_queued)
    : max_queued_(max_queued) {
  if (threads < 1) threads = 1;
  threads_.reserve(static_cast<size_t>(threads));
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { Loop(); });
}

WorkerPool::~WorkerPool() { Shutdown(); }

bool WorkerPool::TryPost(std::function<void()> job) {
  bool wake = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (shutting_down_ || queue_.size() >= max_queued_) return false;
    queue_.push_back(std::move(job));
    queued_.store(queue_.size(), std::memory_order_release);
    wake = sleeping_ > 0;
  }
  if (wake) cv_.notify_one();
  return true;
}

void WorkerPool::Shutdown() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    shutting_down_ = true;
  }
  cv_.notify_all();
  for (std::thread& t : threads_) {
    if (t.joinable()) t.join();
  }
}

void WorkerPool::Loop() {
  while (true) {
    std::function<void()> job;
    // Requests arrive microseconds apart under load: a worker that waits a
    // moment for the next one saves the sleep and wake-up (two context
    // switches) that would cost more than the wait.
    for (int i = 0; i < kSpins && queued_.load(std::memory_order_acquire) == 0;
         ++i) {
      std::this_thread::yield();
    }
    {
      std::unique_lock<std::mutex> lock(mu_);
      ++sleeping_;
      cv_.wait(lock, [this] { return shutting_down_ || !queue_.empty(); });
      --sleeping_;
      // Queued jobs still run after Shutdown: each is a request whose
      // client is waiting for its answer.
      if (queue_.empty()) return;
      job = std::move(queue_.front());
      queue_.pop_front();
      queued_.store(queue_.size(), std::memory_order_release);
    }
    job();
  }
}

}  // namespace bulwark::service
