"""Builds dist/lambda.zip (`make lambda-zip`): the function and only what it imports.

Same inputs, same bytes: the dependencies are pinned with hashes (lambda/requirements.txt)
and installed as wheels for Lambda's python3.11 on x86_64 whatever machine builds; entries
are sorted, dated 1980-01-01, mode 0644, deflated at level 9; none of pip's install-time
bookkeeping. Every module ships with its bytecode, compiled here as hash-checked .pyc files
(PEP 552: they record a hash of their source, not a timestamp, so the same source gives the
same bytes, and an edited source is compiled afresh rather than its stale bytecode run):
/var/task is read-only, so without them every cold start compiles every module it imports,
which costs more than running them. Only an interpreter of Lambda's version (3.11) can
write bytecode Lambda's can read; built by any other, the bundle has none.
Our package contributes the modules that `lambda_function` can import, found by the
standard library's modulefinder (which also sees imports inside functions, such as the
stores that open_store picks), plus its content YAML: never the web server, the CLI or the
audio pipeline. The content is also validated here, once, into content/snapshot.pickle (see
content/snapshot.py), which the function loads at a cold start instead of parsing the YAML;
the bundle refuses to start if the YAML beside the snapshot is not what was validated.

    python lambda/build_zip.py [--out dist/lambda.zip]
"""

from __future__ import annotations

import argparse
import hashlib
import modulefinder
import os
import py_compile
import stat
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAMBDA_DIR = ROOT / "lambda"
SOURCE_DIR = ROOT / "skill"
PACKAGE = "spine_stretch"
ENTRY = LAMBDA_DIR / "lambda_function.py"
REQUIREMENTS = LAMBDA_DIR / "requirements.txt"
SNAPSHOT = "snapshot.pickle"

# Lambda's python3.11 runtime runs on Amazon Linux 2 (glibc 2.26) on x86_64.
LAMBDA_PLATFORM = ["--platform", "manylinux2014_x86_64", "--implementation", "cp",
                   "--python-version", "3.11", "--abi", "cp311", "--only-binary=:all:"]

# Lambda's python3.11 reads bytecode only from __pycache__/<name>.cpython-311.pyc.
LAMBDA_CACHE_TAG = "cpython-311"
FIXED_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can hold
FILE_MODE = stat.S_IFREG | 0o644
# Written by pip at install time and read by nothing at run time; RECORD would also list
# any console script, whose first line names the building machine's interpreter.
# Imported only inside functions that build models (hassil's template expansion): the
# running skill reads intents, slots and types, never templates, and hassil is not bundled.
BUILD_ONLY_MODULES = ["spine_stretch.interaction.grammar"]
INSTALL_BOOKKEEPING = {"RECORD", "INSTALLER", "REQUESTED", "direct_url.json"}


def install_dependencies(target: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         "--no-deps", "--no-compile", "--require-hashes", *LAMBDA_PLATFORM,
         "--target", str(target), "-r", str(REQUIREMENTS)],
        check=True)


def dependency_files(target: Path) -> Iterator[tuple[str, Path]]:
    for path in target.rglob("*"):
        relative = path.relative_to(target)
        if (not path.is_file() or relative.parts[0] == "bin" or "__pycache__" in relative.parts
                or path.suffix == ".pyc"
                or (relative.parts[0].endswith(".dist-info")
                    and relative.name in INSTALL_BOOKKEEPING)):
            continue
        yield relative.as_posix(), path


def package_files() -> Iterator[tuple[str, Path]]:
    # Searching only our own folders keeps the scan to our code: third-party and standard
    # library imports are simply not found, which is all we need to know about them.
    finder = modulefinder.ModuleFinder(path=[str(LAMBDA_DIR), str(SOURCE_DIR)],
                                       excludes=BUILD_ONLY_MODULES)
    finder.run_script(str(ENTRY))
    for name, module in finder.modules.items():
        source = getattr(module, "__file__", None)  # set on every module found in a file
        if name.split(".")[0] == PACKAGE and source:
            path = Path(source)
            yield path.relative_to(SOURCE_DIR).as_posix(), path
    content = SOURCE_DIR / PACKAGE / "content"
    for path in [*content.glob("*.yaml"), *content.glob("*.json")]:
        yield path.relative_to(SOURCE_DIR).as_posix(), path
    # What the skill reads of the rendered audio (the files themselves are served from S3):
    # the manifest, for recorded prompts, and the cool-down tracks' index.
    for name in ("manifest.json", "tracks.json"):
        path = ROOT / "audio" / name
        if path.exists():
            yield f"audio/{name}", path
    yield ENTRY.name, ENTRY


def content_snapshot(folder: Path) -> tuple[str, Path]:
    """The content validated now, in the snapshot the function loads (see content/snapshot.py).

    A fresh interpreter with a fixed hash seed writes it, so sets pickle in the same order
    every build: same inputs, same bytes. ContentError (exit 1) if the content is invalid.
    """
    out = folder / SNAPSHOT
    program = ("import sys\n"
               f"sys.path.insert(0, {str(SOURCE_DIR)!r})\n"
               "from spine_stretch import content\n"
               "from spine_stretch.content import snapshot\n"
               "data = snapshot.dumps(content.parse(), content.FOLDER)\n"
               f"open({str(out)!r}, 'wb').write(data)\n")
    done = subprocess.run([sys.executable, "-c", program], check=False,
                          env={**os.environ, "PYTHONHASHSEED": "0"})
    if done.returncode != 0:
        raise SystemExit("the content did not validate (the error is above); the bundle needs "
                         "it validated, with the project's dependencies (make install)")
    return f"{PACKAGE}/content/{SNAPSHOT}", out


def with_bytecode(files: dict[str, Path], folder: Path) -> dict[str, Path]:
    """`files` plus, for each module, the .pyc Lambda's interpreter reads instead of compiling.

    Compiled in sorted order in this one process, so a build compiles the same way each
    time. Tracebacks name the module by its path in the bundle.
    """
    if sys.implementation.cache_tag != LAMBDA_CACHE_TAG:
        print(f"not compiling bytecode: this is {sys.implementation.cache_tag}, Lambda runs "
              f"{LAMBDA_CACHE_TAG} (every cold start will compile instead)", file=sys.stderr)
        return files
    out = dict(files)
    for name in sorted(files):
        if not name.endswith(".py"):
            continue
        directory, _, module = name.rpartition("/")
        cached = f"{directory}/__pycache__/" if directory else "__pycache__/"
        target = folder / "bytecode" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        py_compile.compile(str(files[name]), cfile=str(target), dfile=name, doraise=True,
                           invalidation_mode=py_compile.PycInvalidationMode.CHECKED_HASH)
        out[f"{cached}{module.removesuffix('.py')}.{LAMBDA_CACHE_TAG}.pyc"] = target
    return out


def write_zip(files: dict[str, Path], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    with zipfile.ZipFile(partial, "w") as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=FIXED_DATE)
            info.create_system = 3  # Unix, so the mode below is honoured
            info.external_attr = FILE_MODE << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, files[name].read_bytes(), compresslevel=9)
    os.replace(partial, out)


def build(out: Path) -> str:
    """Writes the zip to `out` and returns its sha256."""
    with tempfile.TemporaryDirectory(prefix="lambda-deps-") as folder:
        target = Path(folder) / "dependencies"
        install_dependencies(target)
        files = dict(dependency_files(target))
        ours = dict(package_files())
        name, path = content_snapshot(Path(folder))
        ours[name] = path
        clash = sorted(files.keys() & ours.keys())
        if clash:
            raise SystemExit(f"a dependency ships files of ours: {clash}")
        write_zip(with_bytecode({**files, **ours}, Path(folder)), out)
    return hashlib.sha256(out.read_bytes()).hexdigest()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "dist" / "lambda.zip")
    args = parser.parse_args(argv)
    digest = build(args.out)
    size = args.out.stat().st_size
    print(f"{args.out}: {size} bytes ({size / 1024:.0f} KiB), sha256 {digest}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
