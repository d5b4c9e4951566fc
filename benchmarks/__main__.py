"""`python -m benchmarks [NAME ...]`: runs each benchmark module's `run()` (all by default)."""

from __future__ import annotations

import importlib
import pkgutil
import sys

import benchmarks


def main(names: list[str]) -> int:
    found = sorted(info.name for info in pkgutil.iter_modules(benchmarks.__path__)
                   if not info.name.startswith("_"))
    unknown = set(names) - set(found)
    if unknown:
        print(f"no benchmark {sorted(unknown)}; there are {found}", file=sys.stderr)
        return 2
    for name in names or found:
        print(f"== {name}")
        importlib.import_module(f"benchmarks.{name}").run()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
