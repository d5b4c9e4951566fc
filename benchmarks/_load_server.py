"""The skill served as `spine-stretch serve` serves it, but verifying against a test CA.

For benchmarks/load.py only: `python -m benchmarks._load_server ROOT.pem CHAIN.pem`. The
same app, skill and waitress server as `serve`; the one difference is the RequestVerifier,
which trusts ROOT, gets CHAIN for every certificate URL and lives on the test CA's day.
Keeping that here, outside the package, means nothing in the product can be told to trust
another root.
"""

from __future__ import annotations

import logging
import sys
from datetime import datetime
from pathlib import Path

from cryptography import x509

from spine_stretch.hosts import serving
from spine_stretch.hosts.runtime import skill_from_settings
from spine_stretch.settings import Settings
from spine_stretch.web.app import create_app
from spine_stretch.web.verify import RequestVerifier
from tests.web.tamper_ca import NOW


def _test_day() -> datetime:
    return NOW


def main(argv: list[str]) -> int:
    root_pem, chain_pem = (Path(name).read_bytes() for name in argv)
    logging.basicConfig(level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = Settings.from_env()
    verifier = RequestVerifier(lambda url: chain_pem, _test_day,
                               x509.load_pem_x509_certificates(root_pem),
                               application_id=settings.skill_id)
    app = create_app(skill_from_settings(settings), verifier,
                     settings.audio_dir)
    listening = serving.listen("127.0.0.1", 0)
    server = serving.create_server(app, listening)
    print(f"Load server on {serving.url_of(listening)}/ (verifying against the test CA)",
          flush=True)
    serving.run(server)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
