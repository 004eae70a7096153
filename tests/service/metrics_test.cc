#include "bulwark/service/metrics.h"

#include <gtest/gtest.h>

#include <thread>

namespace bulwark::service {
namespace {

bool Has(const std::string& text, const std::string& line) {
  return text.find(line + "\n") != std::string::npos;
}

TEST(ServiceMetrics, RendersCountersAndHistograms) {
  Metrics m;
  m.ObserveRequest("/v1/check", "POST", 200, 0.003);
  m.ObserveRequest("/v1/check", "POST", 200, 0.2);
  m.ObserveRequest("/v1/check", "POST", 400, 20);
  m.CountVerdict("block", "sexual/minors");
  const std::string t = m.Render();
  EXPECT_TRUE(Has(t, "# TYPE bulwark_http_requests_total counter")) << t;
  EXPECT_TRUE(Has(t,
                  "# HELP bulwark_http_requests_total HTTP requests "
                  "answered, by route pattern, method and status."));
  EXPECT_TRUE(Has(t,
                  "bulwark_http_requests_total{route=\"/v1/check\","
                  "method=\"POST\",status=\"200\"} 2"));
  EXPECT_TRUE(Has(t,
                  "bulwark_http_requests_total{route=\"/v1/check\","
                  "method=\"POST\",status=\"400\"} 1"));
  const std::string h = "bulwark_http_request_duration_seconds";
  EXPECT_TRUE(Has(t, "# TYPE " + h + " histogram"));
  EXPECT_TRUE(Has(t, h + "_bucket{route=\"/v1/check\",le=\"0.0025\"} 0"));
  EXPECT_TRUE(Has(t, h + "_bucket{route=\"/v1/check\",le=\"0.005\"} 1"));
  EXPECT_TRUE(Has(t, h + "_bucket{route=\"/v1/check\",le=\"0.25\"} 2"));
  EXPECT_TRUE(Has(t, h + "_bucket{route=\"/v1/check\",le=\"10\"} 2"));
  EXPECT_TRUE(Has(t, h + "_bucket{route=\"/v1/check\",le=\"+Inf\"} 3"));
  EXPECT_TRUE(Has(t, h + "_count{route=\"/v1/check\"} 3"));
  EXPECT_NE(t.find(h + "_sum{route=\"/v1/check\"} 20.20"), std::string::npos);
  EXPECT_TRUE(Has(t,
                  "bulwark_verdicts_total{action=\"block\","
                  "category=\"sexual/minors\"} 1"));
}

TEST(ServiceMetrics, GaugesAreReplacedAndLabelValuesEscaped) {
  Metrics m;
  m.SetGauge("bulwark_bank_entries", "Entries per bank.", {{"bank", "a"}}, 3);
  m.SetGauge("bulwark_bank_entries", "Entries per bank.", {{"bank", "a"}}, 5);
  m.SetGauge("bulwark_bank_entries", "Entries per bank.",
             {{"bank", "q\"b\\c\nd"}}, 1.5);
  m.SetGauge("bulwark_index_build_seconds", "Last index build.", {}, 0.25);
  const std::string t = m.Render();
  EXPECT_TRUE(Has(t, "# TYPE bulwark_bank_entries gauge")) << t;
  EXPECT_TRUE(Has(t, "bulwark_bank_entries{bank=\"a\"} 5"));
  EXPECT_TRUE(Has(t, "bulwark_bank_entries{bank=\"q\\\"b\\\\c\\nd\"} 1.5"));
  EXPECT_TRUE(Has(t, "bulwark_index_build_seconds 0.25"));
}

TEST(ServiceMetrics, ConcurrentUpdatesAreAllCounted) {
  Metrics m;
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&m] {
      for (int j = 0; j < 1000; ++j) m.ObserveRequest("/r", "GET", 200, 0.001);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_TRUE(Has(m.Render(),
                  "bulwark_http_requests_total{route=\"/r\",method=\"GET\","
                  "status=\"200\"} 4000"));
}

}  // namespace
}  // namespace bulwark::service
