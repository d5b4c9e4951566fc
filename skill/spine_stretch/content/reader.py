"""Reads the content YAML shipped in the package, and `Reader`: typed access that names
file and key in every error."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, TypeVar

T = TypeVar("T")
E = TypeVar("E", bound=StrEnum)


class ContentError(ValueError):
    """A content file is missing, malformed, or inconsistent; the message names file and key."""


def read_yaml(name: str) -> Any:
    # Imported here: a bundle's content snapshot needs neither (see content/__init__.py).
    from importlib import resources

    import yaml

    # libyaml's safe loader parses the content about seven times faster than the pure-Python
    # one; same safe subset of YAML.
    loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        text = resources.files("spine_stretch").joinpath("content", name).read_text("utf-8")
        return yaml.load(text, Loader=loader)
    except FileNotFoundError:
        raise ContentError(f"{name}: file is missing from the package") from None
    except yaml.YAMLError as exc:
        raise ContentError(f"{name}: not valid YAML: {exc}") from None


class Reader:
    """Typed access to one YAML file's data, naming file and key in every error."""

    def __init__(self, file: str, data: Any, path: str = "") -> None:
        self.file, self.data, self.path = file, data, path

    def fail(self, message: str) -> ContentError:
        where = f"{self.file}: {self.path}" if self.path else self.file
        return ContentError(f"{where}: {message}")

    def child(self, key: str | int) -> Reader:
        if isinstance(key, int):
            if not isinstance(self.data, list) or key >= len(self.data):
                raise self.fail(f"needs an item {key}")
            path = f"{self.path}[{key}]"
        else:
            if not isinstance(self.data, dict) or key not in self.data:
                raise self.fail(f"needs a key {key!r}")
            path = f"{self.path}.{key}" if self.path else key
        container: Any = self.data
        return Reader(self.file, container[key], path)

    def get(self, key: str, kind: type[T]) -> T:
        value = self.child(key).data
        if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
            raise self.child(key).fail(f"must be {kind.__name__}, got {value!r}")
        if isinstance(value, str) and not value.strip():
            raise self.child(key).fail("must not be empty")
        return value

    def items(self, key: str) -> list[Reader]:
        seq = self.get(key, list)
        if not seq:
            raise self.child(key).fail("must not be empty")
        return [self.child(key).child(i) for i in range(len(seq))]

    def strings(self, key: str) -> tuple[str, ...]:
        out = []
        for item in self.items(key):
            if not isinstance(item.data, str) or not item.data.strip():
                raise item.fail(f"must be a non-empty string, got {item.data!r}")
            out.append(item.data)
        return tuple(out)


def choice(reader: Reader, value: str, kind: type[E]) -> E:
    """`value` as a member of `kind`, or a ContentError listing the members."""
    try:
        return kind(value)
    except ValueError:
        raise reader.fail(f"must be one of {', '.join(kind)}, got {value!r}") from None
