"""contactd benchmarks: `make bench`, `make soak` (see bench/README.md)."""
