# tools/bench.mk: `make bench` and the bench-smoke test step live in
# bench/bench.mk (bench/ is not among the directories the Makefile scans).
include bench/bench.mk
