# PDQ hashing and exact hash matching (aman/hashing): tests and benchmark.
# `make bench-hashing` runs 1M and 10M banks (several minutes, ~1 GB); `bench-hashing-quick` only 1M.

.PHONY: bench-hashing bench-hashing-quick test-hashing

bench-hashing: install
	$(PY) bench/hashing_bench.py

bench-hashing-quick: install
	$(PY) bench/hashing_bench.py --sizes 1000000

test-hashing: install
	$(PY) -m pytest aman/hashing
