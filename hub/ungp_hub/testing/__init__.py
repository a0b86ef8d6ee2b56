"""Helpers to drive a real hub from tests and benchmarks (shipped so both can use them)."""
