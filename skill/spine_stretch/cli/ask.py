"""`spine-stretch ask "QUESTION" [--json]`: one answer from the corpus, to try it from a shell.

The CLI's argument parsing lives in cli.py; this is the command's body.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable

from ..content import ContentError, load_corpus
from ..core.answers import answer
from ..core.corpus import Corpus


def ask_command(question: str, as_json: bool,
                load: Callable[[], Corpus] = load_corpus) -> int:
    """Prints the spoken answer, or with `as_json` one JSON object with keys question,
    answer, sources and score; `sources` is empty when the answer is a "not sure".
    Returns the exit code: 0, or 1 when the content does not load (the reason on stderr)."""
    try:
        corpus = load()
    except ContentError as exc:
        print(f"spine-stretch: {exc}", file=sys.stderr)
        return 1
    result = answer(corpus, question)
    if as_json:
        print(json.dumps({"question": question, "answer": result.text,
                          "sources": list(result.sources), "score": result.score}))
    else:
        print(result.text)
    return 0
