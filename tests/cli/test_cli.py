"""The command line: chat scripts end to end, and serve's refusals."""

from __future__ import annotations

import re
import socket
from pathlib import Path

import pytest

from spine_stretch import cli
from spine_stretch.core.workout import Content
from tests.paths import ROOT


def test_chat_script_prints_the_steps_in_order_with_breath_pauses(
        tmp_path: Path, content: Content, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPINE_STRETCH_STORE", f"sqlite:///{tmp_path / 'chat.db'}")
    script = tmp_path / "script.txt"
    script.write_text("start spine stretch\nnext\npause\nresume\nstop\n")
    assert cli.main(["chat", "--script", str(script)]) == 0
    out = capsys.readouterr().out
    positions = [out.index(step.say) for step in content.workout.steps[:5]]
    assert positions == sorted(positions)
    assert re.search(r"\[1 s\] two \[1 s\] three \[1 s\] four", out)
    assert "> pause" in out and "> stop" in out and "(session ended)" in out


def typed(monkeypatch: pytest.MonkeyPatch, said: list[str]) -> None:
    """`chat` reads these lines as if typed, then the end of input."""
    lines = iter(said)

    def fake_input(prompt: str) -> str:
        try:
            return next(lines)
        except StopIteration:
            raise EOFError from None

    monkeypatch.setattr("builtins.input", fake_input)


def test_chat_reads_typed_lines_until_eof(monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("SPINE_STRETCH_STORE", "memory")
    typed(monkeypatch, ["open spine stretch", "what is love"])
    assert cli.main(["chat"]) == 0
    out = capsys.readouterr().out
    assert "Sit on the floor" in out and "didn" in out


def test_chat_answers_bad_input_with_a_fallback(monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("SPINE_STRETCH_STORE", "memory")
    odd = ["", "x" * 500, "Wie geht es dir heute?", "12345", "😀🙃🧘", "?!?...;;"]
    typed(monkeypatch, ["open spine stretch", *odd])
    assert cli.main(["chat"]) == 0
    out = capsys.readouterr().out
    replies = out.split("Sit on the floor", 1)[1]
    assert replies.count("didn") >= len(odd) and "Traceback" not in out


def test_chat_understands_the_issue_phrasings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("SPINE_STRETCH_STORE", "memory")
    script = tmp_path / "script.txt"
    said = ["open spine stretch", "start spine stretch", "um next", "could we slow it down",
            "give me eight", "what's this exercise good for", "let's move on",
            "I'd like to finish now"]
    script.write_text("\n".join(said) + "\n")
    assert cli.main(["chat", "--script", str(script)]) == 0
    out = capsys.readouterr().out
    assert "didn't" not in out and "didn't catch" not in out and "(session ended)" in out


def test_serve_refuses_to_run_unverified_off_loopback(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["serve", "--no-verify", "--host", "0.0.0.0"]) == 2
    assert "loopback" in capsys.readouterr().err


def test_serve_says_why_it_cannot_listen(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        assert cli.main(["serve", "--no-verify", "--port", str(port)]) == 2
    assert f"cannot listen on 127.0.0.1 port {port}" in capsys.readouterr().err


def test_model_check_passes_on_the_committed_models(capsys: pytest.CaptureFixture[str]) -> None:
    root = ROOT
    assert cli.main(["model", "--root", str(root)]) == 0


def test_ask_from_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    assert cli.main(["ask", "can I use a resistance band?", "--json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert set(answer) == {"question", "answer", "sources", "score"}
    assert "mod_band" in answer["sources"]


DAYS_SCRIPT = """\
open spine stretch
next
stop
@+1d
open spine stretch
next
stop
@+1d
open spine stretch
next
stop
how am I doing
@+1d
open spine stretch
yes
@tomorrow
"""


def test_chat_with_a_settable_clock_plays_several_days(
        content: Content, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SPINE_STRETCH_STORE", "memory")
    script = tmp_path / "days.txt"
    script.write_text(DAYS_SCRIPT)
    assert cli.main(["chat", "--clock", "2026-11-23T07:00", "--script", str(script)]) == 0
    out = capsys.readouterr().out.lower()
    assert "(the time is now 2026-11-25 07:" in out
    assert "day three in a row" in out and "day four in a row" in out
    assert re.search("three days in a row|run of three days", out) and "fifteen reps" in out
    assert "try six reps today?" in out
    assert re.search(r"six reps(\. first, the setup| today\. let's set up)", out)
    assert "(clock unchanged: " in out


def test_chat_refuses_a_clock_that_is_not_a_time(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["chat", "--clock", "half past nine"]) == 2
    assert "ISO 8601" in capsys.readouterr().err
