"""`make bench`: every benchmark, each printing ratios against its in-process baseline."""

from __future__ import annotations

from . import answers_eval, skill_overhead


def main() -> None:
    skill_overhead.main()
    answers_eval.main()


if __name__ == "__main__":
    main()
