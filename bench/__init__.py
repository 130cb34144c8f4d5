"""Benchmarks (`motcua bench <name>`): figures printed next to a baseline measured in the same
run. See bench/README.md."""
