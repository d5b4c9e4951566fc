"""Okapi BM25 over small token lists: which documents share a query's rarer words."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# The usual defaults: term frequency saturates quickly and long documents are damped.
K1 = 1.2
B = 0.75


@dataclass(frozen=True)
class Bm25:
    counts: tuple[Counter[str], ...]
    lengths: tuple[int, ...]
    average: float
    df: Counter[str]

    @staticmethod
    def build(documents: Sequence[Sequence[str]]) -> Bm25:
        counts = tuple(Counter(doc) for doc in documents)
        df: Counter[str] = Counter()
        for count in counts:
            df.update(count.keys())
        lengths = tuple(len(doc) for doc in documents)
        return Bm25(counts, lengths, sum(lengths) / max(1, len(lengths)) or 1.0, df)

    def idf(self, term: str) -> float:
        """Always positive; largest for a word no document has."""
        n, df = len(self.counts), self.df[term]
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def scores(self, query: Iterable[str]) -> list[float]:
        terms = [(term, self.idf(term)) for term in dict.fromkeys(query) if self.df[term]]
        out = []
        for count, length in zip(self.counts, self.lengths, strict=True):
            norm = K1 * (1 - B + B * length / self.average)
            out.append(sum(idf * count[t] * (K1 + 1) / (count[t] + norm)
                           for t, idf in terms if count[t]))
        return out
