"""Benchmarks and synthetic test data for the jianding pipeline (not part of the installed package)."""
