#include "bulwark/service/metrics.h"

#include <array>
#include <charconv>
#include <cmath>
#include <mutex>
#include <span>
#include <tuple>
#include <vector>

namespace bulwark::service {
namespace {

// Request latency buckets in seconds: from a cache hit on a hash lookup
// (sub-millisecond) to a large image decode (seconds).
constexpr std::array<double, 14> kLatencyBuckets = {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
    0.1,    0.25,  0.5,    1.0,   2.5,  5.0,   10.0};

// Score buckets: a classifier's probabilities, 0..1.
constexpr std::array<double, 10> kScoreBuckets = {0.1, 0.2, 0.3, 0.4, 0.5,
                                                  0.6, 0.7, 0.8, 0.9, 0.95};

struct Histogram {
  std::vector<uint64_t> buckets;  // one per bound, not cumulative
  uint64_t count = 0;
  double sum = 0;
};

struct HistogramFamily {
  std::string help;
  std::span<const double> bounds;
  // Rendered labels without braces ("route=\"x\"") -> histogram.
  std::map<std::string, Histogram> series;
};

struct Gauge {
  std::string help;
  // Rendered label set ("{bank=\"x\"}" or "") -> value.
  std::map<std::string, double> values;
};

// Label values may hold anything a caller sent; the text format needs
// backslash, double quote and newline escaped.
void AppendEscaped(std::string& out, std::string_view value) {
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
}

// NAME{labels} VALUE\n
void AppendSample(std::string& out, std::string_view name,
                  const std::string& labels, const std::string& value) {
  out += name;
  out += labels;
  out += ' ';
  out += value;
  out += '\n';
}

void AppendLabel(std::string& out, std::string_view name,
                 std::string_view value) {
  if (!out.empty() && out.back() != '{') out += ',';
  out += name;
  out += "=\"";
  AppendEscaped(out, value);
  out += '"';
}

void AppendNumber(std::string& out, double value) {
  if (std::isnan(value)) {
    out += "NaN";
  } else if (std::isinf(value)) {
    out += value > 0 ? "+Inf" : "-Inf";
  } else {
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), value);
    out.append(buf, end);
  }
}

void AppendHeader(std::string& out, std::string_view name,
                  std::string_view help, std::string_view type) {
  out += "# HELP ";
  out += name;
  out += ' ';
  // HELP text escapes only backslash and newline.
  for (char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

std::string RenderLabels(const std::map<std::string, std::string>& labels) {
  std::string out;
  for (const auto& [k, v] : labels) AppendLabel(out, k, v);
  return out;
}

void AppendHistograms(std::string& out, std::string_view name,
                      const HistogramFamily& family) {
  AppendHeader(out, name, family.help, "histogram");
  for (const auto& [inner, h] : family.series) {
    const std::string labels = inner.empty() ? "{" : "{" + inner;
    uint64_t cumulative = 0;
    for (size_t i = 0; i <= family.bounds.size(); ++i) {
      std::string le;
      if (i < family.bounds.size()) {
        cumulative += h.buckets[i];
        AppendNumber(le, family.bounds[i]);
      } else {
        cumulative = h.count;
        le = "+Inf";
      }
      std::string with_le = labels;
      AppendLabel(with_le, "le", le);
      with_le += '}';
      AppendSample(out, std::string(name) + "_bucket", with_le,
                   std::to_string(cumulative));
    }
    const std::string closed = inner.empty() ? "" : labels + "}";
    std::string sum;
    AppendNumber(sum, h.sum);
    AppendSample(out, std::string(name) + "_sum", closed, sum);
    AppendSample(out, std::string(name) + "_count", closed,
                 std::to_string(h.count));
  }
}

}  // namespace

struct Metrics::Impl {
  mutable std::mutex mu;
  std::map<std::tuple<std::string, std::string, int>, uint64_t> requests;
  std::map<std::string, HistogramFamily> histograms;

  void Observe(const std::string& name, std::string_view help,
               std::span<const double> bounds,
               const std::map<std::string, std::string>& labels, double value) {
    HistogramFamily& family = histograms[name];
    family.help = help;
    family.bounds = bounds;
    Histogram& h = family.series[RenderLabels(labels)];
    h.buckets.resize(bounds.size());
    size_t i = 0;
    while (i < bounds.size() && value > bounds[i]) ++i;
    if (i < bounds.size()) ++h.buckets[i];
    ++h.count;
    h.sum += value;
  }
  std::map<std::pair<std::string, std::string>, uint64_t> verdicts;
  std::map<std::string, Gauge> gauges;
};

Metrics::Metrics() : impl_(std::make_unique<Impl>()) {}
Metrics::~Metrics() = default;

void Metrics::ObserveRequest(const std::string& route,
                             const std::string& method, int status,
                             double seconds) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  ++impl_->requests[{route, method, status}];
  impl_->Observe("bulwark_http_request_duration_seconds",
                 "Time from a request's complete headers to its response, "
                 "by route pattern.",
                 kLatencyBuckets, {{"route", route}}, seconds);
}

void Metrics::ObserveDetector(const std::string& detector, double seconds) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->Observe("bulwark_detector_duration_seconds",
                 "Time one detector took on one item (the image classifier's "
                 "includes its preprocessing), by detector.",
                 kLatencyBuckets, {{"detector", detector}}, seconds);
}

void Metrics::ObserveScore(const std::string& signal, double score) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->Observe("bulwark_classifier_score",
                 "Image classifier scores given, by signal.", kScoreBuckets,
                 {{"signal", signal}}, score);
}

void Metrics::CountVerdict(const std::string& action,
                           const std::string& category) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  ++impl_->verdicts[{action, category}];
}

void Metrics::SetGauge(const std::string& name, const std::string& help,
                       const std::map<std::string, std::string>& labels,
                       double value) {
  const std::string rendered =
      labels.empty() ? "" : "{" + RenderLabels(labels) + "}";
  std::lock_guard<std::mutex> lock(impl_->mu);
  Gauge& g = impl_->gauges[name];
  g.help = help;
  g.values[rendered] = value;
}

std::string Metrics::Render() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  std::string out;

  AppendHeader(out, "bulwark_http_requests_total",
               "HTTP requests answered, by route pattern, method and status.",
               "counter");
  for (const auto& [key, count] : impl_->requests) {
    const auto& [route, method, status] = key;
    std::string labels = "{";
    AppendLabel(labels, "route", route);
    AppendLabel(labels, "method", method);
    AppendLabel(labels, "status", std::to_string(status));
    labels += '}';
    AppendSample(out, "bulwark_http_requests_total", labels,
                 std::to_string(count));
  }

  for (const auto& [name, family] : impl_->histograms) {
    AppendHistograms(out, name, family);
  }

  AppendHeader(out, "bulwark_verdicts_total",
               "Verdicts given, by action and category.", "counter");
  for (const auto& [key, count] : impl_->verdicts) {
    std::string labels = "{";
    AppendLabel(labels, "action", key.first);
    AppendLabel(labels, "category", key.second);
    labels += '}';
    AppendSample(out, "bulwark_verdicts_total", labels, std::to_string(count));
  }

  for (const auto& [name, gauge] : impl_->gauges) {
    AppendHeader(out, name, gauge.help, "gauge");
    for (const auto& [labels, value] : gauge.values) {
      std::string number;
      AppendNumber(number, value);
      AppendSample(out, name, labels, number);
    }
  }
  return out;
}

}  // namespace bulwark::service
