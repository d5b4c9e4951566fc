"""Turns the engine's parts into final sentences, picking prompt variants.

Randomness is the caller's `random.Random`, so a seeded one makes output reproducible.
"""

from __future__ import annotations

import hashlib
import random
import string
from collections.abc import Iterable, Mapping, Sequence

from .speech import Pause, Prompt, Resolved, Spoken, Text
from .workout import Prompts


class PromptError(LookupError):
    """A prompt key or field that content does not define."""


def prompt_fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def audio_key(key: str, variant: int, fields: Mapping[str, str]) -> str:
    """The stable name a prompt sentence's pre-rendered audio is filed under."""
    suffix = "".join(f".{name}={fields[name]}" for name in sorted(fields))
    return f"prompt.{key}.{variant}{suffix}"


def fill(prompts: Prompts, key: str, variant: int, fields: Mapping[str, int | str]) -> Spoken:
    """One variant of a prompt with its fields filled; numbers are spoken as words."""
    try:
        template = prompts.variants[key][variant]
    except (KeyError, IndexError):
        raise PromptError(f"no prompt {key!r} variant {variant} in prompts.yaml") from None
    words = {name: prompts.count_word(value) if isinstance(value, int) else value
             for name, value in fields.items()}
    used = prompt_fields(template)
    missing = used - words.keys()
    if missing:
        raise PromptError(f"prompt {key!r} needs {sorted(missing)}")
    text = template.format(**words)
    # "{remaining} more to go." starts a sentence with a number spoken as a word.
    text = text[:1].upper() + text[1:]
    return Spoken(audio_key(key, variant, {n: words[n] for n in sorted(used)}), text)


class PromptPicker:
    """Picks variants at random but never the same variant of a key twice in a row."""

    def __init__(self, prompts: Prompts, rng: random.Random) -> None:
        self._prompts = prompts
        self._rng = rng
        self._last: dict[str, int] = {}

    @property
    def prompts(self) -> Prompts:
        return self._prompts

    def _variant(self, key: str) -> int:
        count = len(self._prompts.variants.get(key, ()))
        if count == 0:
            raise PromptError(f"no prompt {key!r} in prompts.yaml")
        choices = [i for i in range(count) if i != self._last.get(key)] or [0]
        chosen = self._rng.choice(choices)
        self._last[key] = chosen
        return chosen

    def resolve(self, parts: Iterable[Prompt | Text | Pause]) -> list[Resolved]:
        resolved: list[Resolved] = []
        for part in parts:
            if isinstance(part, Prompt):
                resolved.append(fill(self._prompts, part.key, self._variant(part.key),
                                     part.fields))
            elif isinstance(part, Text):
                resolved.append(Spoken(part.key, part.text))
            else:
                resolved.append(part)
        return resolved


def block_picker(prompts: Prompts, parts: Sequence[Prompt | Text | Pause]) -> PromptPicker:
    """A picker seeded by the block itself: the same block always picks the same variants
    (so its recording is built once and cached), and, as with any picker, one prompt never
    repeats its variant twice in a row (so neighbouring reps still sound different)."""
    identity = repr([(part.key, sorted(part.fields.items())) if isinstance(part, Prompt)
                     else part for part in parts])
    seed = int.from_bytes(hashlib.sha256(identity.encode()).digest()[:8], "big")
    return PromptPicker(prompts, random.Random(seed))
