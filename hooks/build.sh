#!/bin/sh
# ASK CLI runs this instead of its own Python build (`ask deploy`): $1 is the zip to write,
# $2 is "true" for debug output. It builds the same reproducible bundle as `make lambda-zip`.
set -eu
cd "$(dirname "$0")/.."
python=.venv/bin/python
[ -x "$python" ] || python=python3
exec "$python" lambda/build_zip.py --out "$1"
