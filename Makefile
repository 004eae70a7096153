# The two commands in the README: `make run` and `make test`. Both install
# missing dependencies (scripts/install-deps.sh, apt) and build first.
BUILD        ?= build
ASAN_BUILD   ?= build-asan
FUZZ_BUILD   ?= build-fuzz
FUZZ_SECONDS ?= 600
JOBS         ?= $(shell nproc)

.PHONY: all deps build run test asan-test fuzz-build fuzz bench format clean

all: build

deps:
	@bash scripts/install-deps.sh && bash scripts/install-models.sh

build: deps
	@cmake -S . -B $(BUILD) -G Ninja >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

# The main job: the safeguard service on its embedded defaults (SQLite in
# ./bulwark-data, the built-in policy, 127.0.0.1:8080). At first start it
# creates an admin API key, prints it once, and shows how to call it.
run: build
	./$(BUILD)/bulwark serve

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

# The whole test suite again under AddressSanitizer + UBSan.
asan-test: deps
	@cmake -S . -B $(ASAN_BUILD) -G Ninja -DBULWARK_SANITIZE=ON -DBULWARK_BENCH=OFF >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --test-dir $(ASAN_BUILD) --output-on-failure -j $(JOBS)

fuzz-build: deps
	@cmake -S . -B $(FUZZ_BUILD) -G Ninja -DBULWARK_FUZZ=ON \
	  -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 >/dev/null
	@cmake --build $(FUZZ_BUILD) -j $(JOBS)

# Each fuzz target for FUZZ_SECONDS (default 10 minutes each).
fuzz: fuzz-build
	bash scripts/run-fuzzers.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

bench: build
	./$(BUILD)/bulwark_bench --benchmark_repetitions=5 \
	  --benchmark_report_aggregates_only=true
	bash bench/hash_cli.sh $(BUILD)/bulwark

format:
	clang-format-14 -i $$(git ls-files '*.cc' '*.h')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
