"""Run every benchmark module in turn: `python -m benchmarks` (what `make bench` does)."""

import importlib
import pkgutil

import benchmarks

for info in sorted(pkgutil.iter_modules(benchmarks.__path__), key=lambda i: i.name):
    if info.name not in ("common", "__main__"):
        print(f"\n## {info.name}")
        importlib.import_module(f"benchmarks.{info.name}").main()
