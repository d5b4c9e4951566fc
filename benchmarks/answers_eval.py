"""Answer retrieval quality: top-1, top-3 and keyword accuracy over tests/data/questions.yaml.

Run with `python -m benchmarks.answers_eval`; `run` is what `make bench` calls.
"""

from __future__ import annotations

from pathlib import Path

from spine_stretch.cli.answers_eval import evaluate, load_questions
from spine_stretch.content import load_corpus

QUESTIONS = Path(__file__).resolve().parent.parent / "tests" / "data" / "questions.yaml"
TOP1_GOAL = 0.95


def run() -> None:
    corpus = load_corpus()
    result = evaluate(corpus, load_questions(QUESTIONS, corpus))
    met = "met" if result.top1 >= TOP1_GOAL else "MISSED"
    print(f"answers: top-1 {result.top1:.3f} (goal >= {TOP1_GOAL:.2f}, {met}), "
          f"top-3 {result.top3:.3f} over {result.n} questions; keyword accuracy "
          f"{result.keyword:.3f} over {result.keyword_n}; off-topic refused "
          f"{result.off_topic_ok:.0%}")
    for question in result.misses:
        print(f"  missed in top 3: {question}")
    for question in result.unsaid:
        print(f"  answer lacks its keywords: {question}")


if __name__ == "__main__":
    run()
