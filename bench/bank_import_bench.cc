// Import throughput: a 1,000,000-line CSV of random sha256 and pdq values
// (synthetic, no real content) into an empty bank, end to end: reading and
// parsing the file, then the one-transaction insert. Target: <= 10 s.
//
//   ./bulwark_bench --benchmark_filter=BankImport
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>

#include "bulwark/bank/import.h"
#include "bulwark/bank/sqlite_store.h"
#include "bulwark/index/matcher.h"

namespace bulwark::bank {
namespace {

std::string TempPath(const std::string& name) {
  return std::filesystem::temp_directory_path().string() + "/bulwark_bench_" +
         std::to_string(getpid()) + "_" + name;
}

// type,value,label rows; half sha256, half pdq, all random.
std::string WriteCsv(int64_t rows) {
  const std::string path = TempPath("import.csv");
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  std::mt19937_64 rng(42);
  static const char kDigits[] = "0123456789abcdef";
  std::string line;
  out << "type,value,label\n";
  for (int64_t i = 0; i < rows; ++i) {
    line = (i & 1) ? "pdq," : "sha256,";
    for (int k = 0; k < 64; ++k) line += kDigits[rng() & 15];
    line += ",bench\n";
    out << line;
  }
  return path;
}

void BM_BankImportCsv(benchmark::State& state) {
  const int64_t rows = state.range(0);
  const std::string csv = WriteCsv(rows);
  for (auto _ : state) {
    state.PauseTiming();
    const std::string dir = TempPath("data");
    std::filesystem::remove_all(dir);
    auto store = SqliteStore::Open(dir);
    if (!store.ok()) {
      state.SkipWithError(store.error().ToString().c_str());
      break;
    }
    BankInfo info;
    info.name = "bench";
    auto bank = (*store)->CreateBank(info);
    state.ResumeTiming();

    auto report = ImportFile(**store, bank->id, csv, ImportOptions{});
    if (!report.ok() || report->stats.added != rows) {
      state.SkipWithError("import failed");
      break;
    }

    state.PauseTiming();
    store->reset();
    std::filesystem::remove_all(dir);
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * rows);
  std::filesystem::remove(csv);
}
BENCHMARK(BM_BankImportCsv)
    ->Arg(1000000)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_BankParseCsvOnly(benchmark::State& state) {
  const int64_t rows = state.range(0);
  const std::string csv = WriteCsv(rows);
  for (auto _ : state) {
    std::ifstream in(csv, std::ios::binary);
    auto parsed = ParseImport(in, ImportOptions{});
    if (!parsed.ok() || static_cast<int64_t>(parsed->entries.size()) != rows) {
      state.SkipWithError("parse failed");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations() * rows);
  std::filesystem::remove(csv);
}
BENCHMARK(BM_BankParseCsvOnly)
    ->Arg(1000000)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// A running matcher (refreshing every 200 ms, as a service would) picks up
// a 1M-line import without a restart: the time from the start of the
// import until the matcher's snapshot serves every new entry.
void BM_ImportVisibleToMatcher(benchmark::State& state) {
  const int64_t rows = state.range(0);
  const std::string csv = WriteCsv(rows);
  for (auto _ : state) {
    state.PauseTiming();
    const std::string dir = TempPath("visible");
    std::filesystem::remove_all(dir);
    auto store = SqliteStore::Open(dir);
    BankInfo info;
    info.name = "bench";
    auto bank = (*store)->CreateBank(info);
    auto matcher = index::Matcher::Create(**store);
    (*matcher)->StartAutoRefresh(std::chrono::milliseconds(200));
    state.ResumeTiming();

    const auto start = std::chrono::steady_clock::now();
    auto report = ImportFile(**store, bank->id, csv, ImportOptions{});
    const double import_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    while ((*matcher)->snapshot()->entry_count() < static_cast<size_t>(rows)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    state.counters["import_s"] = import_s;

    state.PauseTiming();
    matcher->reset();
    store->reset();
    std::filesystem::remove_all(dir);
    state.ResumeTiming();
  }
  std::filesystem::remove(csv);
}
BENCHMARK(BM_ImportVisibleToMatcher)
    ->Arg(1000000)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace bulwark::bank
