"""Answer retrieval quality: top-1 and top-3 over tests/data/questions.yaml.

Run with `python -m benchmarks.answers_eval`; `run` is what `make bench` calls.
"""

from __future__ import annotations

from pathlib import Path

from spine_stretch.cli.answers_eval import evaluate, load_questions
from spine_stretch.content import load_corpus

QUESTIONS = Path(__file__).resolve().parent.parent / "tests" / "data" / "questions.yaml"


def run() -> None:
    corpus = load_corpus()
    result = evaluate(corpus, load_questions(QUESTIONS, corpus))
    print(f"answers: top-1 {result.top1:.3f}, top-3 {result.top3:.3f} over {result.n} "
          f"questions; off-topic refused {result.off_topic_ok:.0%}")
    for question in result.misses:
        print(f"  missed in top 3: {question}")


if __name__ == "__main__":
    run()
