"""Benchmarks: one script per capability, each printing sitroom next to a baseline."""
