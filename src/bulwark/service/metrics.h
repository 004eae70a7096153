// Prometheus metrics for the service: counters, gauges and latency
// histograms, rendered in the text exposition format at GET /metrics.
// Thread-safe; updates are cheap (a mutex per metric family at most).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace bulwark::service {

class Metrics {
 public:
  Metrics();
  ~Metrics();

  // bulwark_http_requests_total{route,method,status} and
  // bulwark_http_request_duration_seconds{route} (histogram).
  void ObserveRequest(const std::string& route, const std::string& method,
                      int status, double seconds);
  // bulwark_detector_duration_seconds{detector} (histogram).
  void ObserveDetector(const std::string& detector, double seconds);
  // bulwark_classifier_score{signal} (histogram of scores, 0..1).
  void ObserveScore(const std::string& signal, double score);
  // bulwark_verdicts_total{action,category}
  void CountVerdict(const std::string& action, const std::string& category);
  // Any gauge, e.g. bulwark_bank_entries{bank="x"},
  // bulwark_index_build_seconds.
  void SetGauge(const std::string& name, const std::string& help,
                const std::map<std::string, std::string>& labels, double value);

  std::string Render() const;  // text/plain; version=0.0.4

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bulwark::service
