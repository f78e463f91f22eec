"""The load benchmark (``python -m benchmarks.load``): see ``benchmarks/load/runner.py``."""
