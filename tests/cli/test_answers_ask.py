"""The `ask` command's output, as a person at a shell sees it."""

from __future__ import annotations

import json

import pytest

from spine_stretch.cli.ask import ask_command
from spine_stretch.content import ContentError, load_corpus
from spine_stretch.core.corpus import Corpus


def test_ask_prints_the_spoken_answer(capsys: pytest.CaptureFixture[str]) -> None:
    assert ask_command("can I use a theraband?", as_json=False) == 0
    band = next(e.answer for e in load_corpus().entries if e.id == "mod_band")
    assert capsys.readouterr().out == band + "\n"


def test_ask_json_names_its_sources(capsys: pytest.CaptureFixture[str]) -> None:
    assert ask_command("my neck hurts", as_json=True) == 0
    out = json.loads(capsys.readouterr().out)
    assert out.keys() == {"question", "answer", "sources", "score"}
    assert out["question"] == "my neck hurts"
    assert out["sources"] == ["mod_neck"]
    assert out["score"] > 0


def test_ask_json_not_sure_has_no_sources(capsys: pytest.CaptureFixture[str]) -> None:
    assert ask_command("play some music", as_json=True) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["sources"] == []
    assert "not sure" in out["answer"]


def test_ask_reports_broken_content(capsys: pytest.CaptureFixture[str]) -> None:
    def broken() -> Corpus:
        raise ContentError("corpus.yaml: entries[3].kind: must be one of ...")

    assert ask_command("why", as_json=False, load=broken) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "corpus.yaml: entries[3].kind" in captured.err
