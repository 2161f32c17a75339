"""Benchmarks: the vectorised Linli model against an idiomatic per-agent Mesa version."""
