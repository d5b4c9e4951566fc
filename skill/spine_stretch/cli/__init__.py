"""`spine-stretch`: serve the skill, chat with it, and manage its models and audio."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..settings import Settings
    from ..voice.track_index import TrackSource

log = logging.getLogger("spine_stretch")


def _tracks_on_demand(settings: Settings) -> TrackSource | None:
    """A cool-down track for any setting, built when first asked for (the server has the
    audio libraries; Lambda plays only tracks built ahead of time)."""
    from .. import content
    from ..voice.audio import RenderError, find_ffmpeg

    try:
        ffmpeg = find_ffmpeg()
        from ..voice.post import Postprocessor
        from ..voice.track import BuildingTracks
    except (ImportError, RenderError) as exc:
        log.warning("cool-down tracks only as built ahead of time: %s", exc)
        return None
    return BuildingTracks(content.load(), settings.audio_dir, ffmpeg, Postprocessor(ffmpeg))


def cmd_serve(args: argparse.Namespace) -> int:
    from ..voice.urls import is_loopback

    if args.no_verify and not is_loopback(args.host):
        print(f"spine-stretch: --no-verify only binds to loopback, not {args.host}.",
              file=sys.stderr)
        return 2
    from ..hosts import serving
    from ..hosts.runtime import skill_from_settings
    from ..settings import Settings
    from ..web.app import create_app
    from ..web.verify import RequestVerifier, default_fetcher, load_trusted_roots

    try:
        listening = serving.listen(args.host, args.port)
    except OSError as exc:
        print(f"spine-stretch: cannot listen on {args.host} port {args.port}: {exc}",
              file=sys.stderr)
        return 2
    url = serving.url_of(listening)
    settings = Settings.from_env()
    verifier = None
    if args.no_verify:
        log.warning("serving WITHOUT request verification: for local testing only")
        # The simulator page then plays the shipped voice and cool-down track from here.
        settings = settings.with_default_audio_base(f"{url}/audio")
    else:
        verifier = RequestVerifier(default_fetcher(), lambda: datetime.now(UTC),
                                   load_trusted_roots(), application_id=settings.skill_id)
    # This server has the audio files: it assembles blocks of recorded speech on demand.
    app = create_app(skill_from_settings(settings, tracks=_tracks_on_demand(settings),
                                         build_blocks=True),
                     verifier, settings.audio_dir)
    server = serving.create_server(app, listening)
    print(f"Spine Stretch Coach on {url}/ (POST /alexa, store {settings.store_url})",
          flush=True)
    if verifier is None:
        print(f"Simulator page: {url}/", flush=True)
    serving.run(server)
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    from .chat import parse_moment, run_chat

    script = Path(args.script).read_text(encoding="utf-8").splitlines() if args.script else None
    try:
        start = parse_moment(args.clock) if args.clock else None
    except ValueError:
        print(f"spine-stretch: --clock needs an ISO 8601 time such as 2026-11-26T07:00, "
              f"not {args.clock!r}", file=sys.stderr)
        return 2
    return run_chat(script, start=start)


def cmd_ask(args: argparse.Namespace) -> int:
    from .ask import ask_command

    return ask_command(args.question, args.json)


def cmd_render(args: argparse.Namespace) -> int:
    from .audio import render_command

    return render_command(args.engine, Path(args.out), args.force, args.quiet)


def cmd_validate(args: argparse.Namespace) -> int:
    from .audio import validate_command

    return validate_command(Path(args.out))


def cmd_publish(args: argparse.Namespace) -> int:
    from .audio import publish_command

    return publish_command(Path(args.out), args.bucket, args.prefix, args.quiet,
                           Path(args.root))


def cmd_model(args: argparse.Namespace) -> int:
    from ..content import ContentError
    from ..content.listing import load_listing
    from ..interaction.icons import IconError, drifted_icons, write_icons
    from ..interaction.manifest import drifted_manifest, write_manifest
    from ..interaction.source import drifted_models, load_interaction, write_models

    root = Path(args.root)
    try:
        source, listing = load_interaction(), load_listing()
        if args.write:
            for path in [*write_models(root, source), write_manifest(root, listing, source),
                         *write_icons(root)]:
                print(f"wrote {path}")
            return 0
        problems = [*drifted_models(root, source), *drifted_manifest(root, listing, source),
                    *drifted_icons(root)]
    except (ContentError, IconError) as exc:
        # A template that does not parse, a sample that breaks Alexa's rules, or an icon
        # that cannot be drawn.
        print(f"model failed: {exc}", file=sys.stderr)
        return 1
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="spine-stretch", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug detail")
    commands = parser.add_subparsers(dest="command", required=True)

    p = commands.add_parser("serve", help="run the skill as a web service")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8080, help="0 picks a free port")
    p.add_argument("--no-verify", action="store_true",
                   help="accept unsigned requests (local testing; loopback only)")
    p.set_defaults(run=cmd_serve)

    p = commands.add_parser("chat", help="talk to the skill in the terminal")
    p.add_argument("--script", help="a file with one utterance per line, instead of typing")
    p.add_argument("--clock", help="start the simulated clock here (ISO 8601, UTC unless it "
                   "says otherwise); lines like @+1d move it on")
    p.set_defaults(run=cmd_chat)

    p = commands.add_parser("ask", help="answer a question from the coaching corpus")
    p.add_argument("question", help='e.g. "how do I modify this?"')
    p.add_argument("--json", action="store_true",
                   help='print {"question", "answer", "sources", "score"}')
    p.set_defaults(run=cmd_ask)

    p = commands.add_parser("render", help="pre-render every prompt to Alexa-ready MP3")
    p.add_argument("--engine", choices=["gtts", "piper", "espeak"], default="piper")
    p.add_argument("--out", default="audio", help="the audio folder (default: audio/)")
    p.add_argument("--force", action="store_true", help="render everything again")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(run=cmd_render)

    p = commands.add_parser("validate", help="check content, manifest and audio files agree")
    p.add_argument("--out", default="audio", help="the audio folder (default: audio/)")
    p.set_defaults(run=cmd_validate)

    p = commands.add_parser("publish", help="upload the rendered audio, the store icons and "
                                "pages to S3 (changed files)")
    p.add_argument("--bucket", required=True, help="the S3 bucket")
    p.add_argument("--prefix", default="", help="the folder in the bucket (default: its root)")
    p.add_argument("--out", default="audio", help="the audio folder (default: audio/)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--root", default=".",
                   help="the repository root, whose committed icons are published (default: .)")
    p.set_defaults(run=cmd_publish)

    p = commands.add_parser("model", help="check or regenerate the interaction models, the "
                                "skill manifest's store sections and the icons")
    p.add_argument("--write", action="store_true", help="write the models from the source")
    p.add_argument("--root", default=".", help="the repository root (default: .)")
    p.set_defaults(run=cmd_model)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        code: int = args.run(args)
    except KeyboardInterrupt:
        return 130
    return code

