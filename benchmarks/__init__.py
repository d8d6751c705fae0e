"""Benchmarks: each module measures one capability and prints its figures (see docs/benchmarks.md)."""
