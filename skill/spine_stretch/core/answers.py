"""Answers a question asked mid-exercise from the curated corpus: "why?", "my neck hurts"...

Deterministic and pure: the same corpus and query always give the same answer. Ranking is
BM25 over each entry's answer and keywords, plus boosts for what the skill already knows
(slot values, the intent, the moment in the session). A question naming a health condition
is always answered by pointing to a professional, however well anything else matches. When
nothing matches well enough the answer says so and offers the two answerable topics closest
to the question.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from .corpus import HINT_KINDS, Corpus, Hint, Kind, Moment, SlotType
from .retrieval import Bm25
from .text import Normalizer, build_normalizer, stems

# Keywords and slot tags are words chosen to be asked about, so they count more than prose:
# twice over in the text, and again as a field of their own (each once), scored apart so a
# keyword hit is not drowned by a longer answer that happens to repeat the word.
KEYWORD_WEIGHT = 2
FIELD_WEIGHT = 2.0
# Text relevance is scaled so the best entry scores 1. A slot value the entry is tagged with
# outweighs any wording plus every boost below (Alexa's NLU already heard it); the intent
# decides between near ties, and the session moment only between closer ones, so
# "my neck hurts" while exhaling is still about the neck.
SLOT_BOOST = 2.0
HINT_BOOST = 0.5
PHASE_BOOST = 0.3
# An entry tagged with moments yields to an untagged one anywhere else.
PHASE_PENALTY = 0.1
# Share of the question's meaning (words weighted by rarity) the answer must cover; a word
# the corpus has never seen weighs most, so "what's the weather" covers nothing. At least one
# word must also be a topic of the corpus (some entry's keyword or tag), not just in its
# prose, so "what's the news today" is not answered by a tip that happens to say "today".
MIN_COVERAGE = 0.35
ALTERNATIVES = 2


@dataclass(frozen=True)
class Query:
    """A question and what the skill knows around it; unknown values are ignored, not errors.

    `topic` is free text from a slot; `prop`, `difficulty`, `body_part` are slot values as
    heard (a synonym is fine); `phase` is a `Moment` value; `kind_hint` a `Hint` or `Kind`
    value; `rotation` picks among equally good answers, so repeated asks can step through them.
    """

    question: str
    topic: str | None = None
    prop: str | None = None
    difficulty: str | None = None
    body_part: str | None = None
    phase: str | None = None
    kind_hint: str | None = None
    rotation: int = 0


@dataclass(frozen=True)
class Ranked:
    """One entry's place: `coverage` is the share of the question's meaning it matched."""

    id: str
    score: float
    slot_matches: int
    coverage: float


@dataclass(frozen=True)
class Answer:
    """`text` is never empty. `sources` names the entry spoken (empty when not sure);
    `alternatives` are the next best entries, best first. `score` is the ranking score of the
    best entry: 1 for the best wording match, plus slot, intent and moment boosts."""

    text: str
    sources: tuple[str, ...]
    score: float
    confident: bool
    alternatives: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Prepared:
    normalizer: Normalizer
    index: Bm25
    keyword_index: Bm25
    terms: tuple[frozenset[str], ...]
    topics: frozenset[str]
    slot_values: dict[tuple[SlotType, tuple[str, ...]], str]
    # Per entry, its condition tags as the normalizer finds them in a question.
    conditions: dict[str, frozenset[str]]


@functools.lru_cache(maxsize=4)
def _prepare(corpus: Corpus) -> _Prepared:
    normalizer = build_normalizer(corpus.vocab)
    documents, keyword_docs, topics = [], [], set()
    for entry in corpus.entries:
        topic = [term for keyword in (*entry.keywords, *entry.props, *entry.body_parts,
                                      entry.difficulty or "")
                 for term in normalizer.parse(keyword).terms]
        documents.append([*normalizer.parse(entry.answer).terms, *topic * KEYWORD_WEIGHT])
        keyword_docs.append(list(dict.fromkeys(topic)))
        topics.update(topic)
    slot_values = {(slot, stems(said)): term.value
                   for slot, values in corpus.vocab.slot_types for term in values
                   for said in (term.value, *term.synonyms)}
    conditions = {entry.id: frozenset(term for value in entry.conditions
                                      for term in normalizer.parse(value).terms)
                  for entry in corpus.entries}
    return _Prepared(normalizer, Bm25.build(documents), Bm25.build(keyword_docs),
                     tuple(map(frozenset, documents)),
                     frozenset(topics), slot_values, conditions)


def resolve_slot(corpus: Corpus, slot: SlotType, said: str) -> str | None:
    """The slot value a heard word or synonym stands for, or None if the vocab lacks it."""
    return _prepare(corpus).slot_values.get((slot, stems(said)))


_HINTS = frozenset(str(hint) for hint in Hint)
_KINDS = frozenset(str(kind) for kind in Kind)
_MOMENTS = frozenset(str(moment) for moment in Moment)


def _wanted_kinds(kind_hint: str | None, inferred: frozenset[Hint]) -> frozenset[Kind]:
    """The caller's hint wins over cue words: the intent was chosen from the whole utterance."""
    hint = (kind_hint or "").strip().casefold()
    if hint in _HINTS:
        return HINT_KINDS[Hint(hint)]
    if hint in _KINDS:
        return frozenset({Kind(hint)})
    return frozenset(kind for each in inferred for kind in HINT_KINDS[each])


@dataclass(frozen=True)
class _Ranking:
    ranked: tuple[Ranked, ...]
    has_terms: bool
    topical: bool
    has_kinds: bool
    conditions: frozenset[str]


def _rank(corpus: Corpus, query: Query) -> _Ranking:
    prepared = _prepare(corpus)
    slots, unheard = [], []
    for slot, said in ((SlotType.PROP, query.prop), (SlotType.DIFFICULTY, query.difficulty),
                       (SlotType.BODY_PART, query.body_part)):
        value = resolve_slot(corpus, slot, said) if said else None
        if value:
            slots.append((slot, value))
        elif said:
            unheard.append(said)  # a value the vocab lacks is still words the person said
    parsed = prepared.normalizer.parse(" ".join([query.question, query.topic or "", *unheard]))
    kinds = _wanted_kinds(query.kind_hint, parsed.hints)
    phase = (query.phase or "").strip().casefold()
    moment = Moment(phase) if phase in _MOMENTS else None
    relevance = [text + FIELD_WEIGHT * keyword for text, keyword in zip(
        prepared.index.scores(parsed.terms), prepared.keyword_index.scores(parsed.terms),
        strict=True)]
    best = max(relevance, default=0.0)
    weights = {term: prepared.index.idf(term) for term in parsed.terms}
    ranked = []
    for entry, text_score, terms in zip(corpus.entries, relevance, prepared.terms, strict=True):
        matches = sum(1 for slot, value in slots if value in entry.tags(slot))
        score = (text_score / best if best > 0 else 0.0) + SLOT_BOOST * matches
        if entry.kind in kinds:
            score += HINT_BOOST
        if entry.phases:
            score += PHASE_BOOST if moment in entry.phases else -PHASE_PENALTY
        covered = sum(w for term, w in weights.items() if term in terms)
        coverage = covered / sum(weights.values()) if weights else 0.0
        ranked.append(Ranked(entry.id, round(score, 6), matches, round(coverage, 6)))
    ordered = sorted(ranked, key=lambda r: -r.score)  # stable: file order breaks ties
    ties = [r for r in ordered if r.score == ordered[0].score] if ordered else []
    turn = query.rotation % len(ties) if ties else 0
    ordered = ties[turn:] + ties[:turn] + ordered[len(ties):]
    topical = not prepared.topics.isdisjoint(parsed.terms)
    return _Ranking(tuple(ordered), bool(parsed.terms), topical, bool(kinds), parsed.conditions)


def rank(corpus: Corpus, query: Query) -> tuple[Ranked, ...]:
    """Every entry, best first; among equal scores, `query.rotation` says who goes first."""
    return _rank(corpus, query).ranked


def _confident(top: Ranked, ranking: _Ranking) -> bool:
    if top.slot_matches:
        return True
    if ranking.has_terms:
        return ranking.topical and top.coverage >= MIN_COVERAGE
    return ranking.has_kinds  # only an intent or cue word: it said what kind, that is enough


def _spoken(corpus: Corpus, top: Ranked, ranking: _Ranking) -> Answer:
    text = next(e.answer for e in corpus.entries if e.id == top.id)
    others = tuple(r.id for r in ranking.ranked if r.score > 0 and r.id != top.id)
    return Answer(text, (top.id,), top.score, True, others[:ALTERNATIVES])


def _professional(corpus: Corpus, ranking: _Ranking) -> Ranked:
    """The best ranked entry tagged with a condition the question names, else the general
    see-a-professional entry: a health question never gets "not sure"."""
    tags = _prepare(corpus).conditions
    tagged = {e.id for e in corpus.entries if ranking.conditions.intersection(tags[e.id])}
    wanted = tagged or {corpus.see_a_professional}
    return next(r for r in ranking.ranked if r.id in wanted)


def _not_sure(corpus: Corpus, query: Query, ranking: _Ranking) -> Answer:
    """Offers the two topics whose entries rank highest for the question; among equals the
    rotation steps through the offers, so a repeated "not sure" offers something new."""
    turn = query.rotation
    scores = {r.id: r.score for r in ranking.ranked}
    rotated = corpus.offers[turn % len(corpus.offers):] + corpus.offers[:turn % len(corpus.offers)]
    first, second = sorted(rotated, key=lambda offer: -scores[offer.entry])[:2]
    text = corpus.not_sure[turn % len(corpus.not_sure)].format(first=first.say,
                                                                second=second.say)
    useful = [r for r in ranking.ranked if r.score > 0]
    score = useful[0].score if useful else 0.0
    return Answer(text, (), score, False, tuple(r.id for r in useful[:1 + ALTERNATIVES]))


def answer_query(corpus: Corpus, query: Query) -> Answer:
    """The best entry's answer; for a named health condition, the professional advice for
    it; or, when not confident, a "not sure" that offers the two closest topics."""
    ranking = _rank(corpus, query)
    if ranking.conditions:
        return _spoken(corpus, _professional(corpus, ranking), ranking)
    useful = [r for r in ranking.ranked if r.score > 0]
    if useful and _confident(useful[0], ranking):
        return _spoken(corpus, useful[0], ranking)
    return _not_sure(corpus, query, ranking)


def answer(corpus: Corpus, question: str, *, topic: str | None = None,
           prop: str | None = None, difficulty: str | None = None,
           body_part: str | None = None, phase: str | None = None,
           kind_hint: str | None = None, rotation: int = 0) -> Answer:
    """`answer_query` with the query's fields as keywords; see `Query` for their meaning."""
    return answer_query(corpus, Query(question, topic, prop, difficulty, body_part, phase,
                                      kind_hint, rotation))
