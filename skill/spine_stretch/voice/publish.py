"""`spine-stretch publish`: the rendered audio to S3, where Alexa fetches it over HTTPS,
and beside it the store's files (icons, privacy policy, terms of use) the manifest names.

Uploads only what the bucket does not already hold byte for byte (the ETag of an object put
in one piece is the MD5 of its bytes), so publishing again after a small re-render sends a
few files, and publishing twice sends nothing. MP3s go first and the manifest last, so the
manifest in the bucket never names a file that is not there yet. Nothing is deleted: names
are content hashes, and a skill still running with the previous manifest keeps working.

boto3 is imported only by `s3_client`, never by the skill.
"""

from __future__ import annotations

import base64
import hashlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .block_store import read_block_index
from .manifest import MANIFEST_NAME, parse_manifest
from .render import Progress

# Audio file names are hashes of what they say: their content never changes under a name.
AUDIO_CACHE_CONTROL = "public, max-age=31536000, immutable"
# The manifest changes with every render; caches must look again soon.
MANIFEST_CACHE_CONTROL = "public, max-age=60"
# The store's pages and icons keep their names when they change: caches look again hourly.
STORE_FILE_CACHE_CONTROL = "public, max-age=3600"
UPLOAD_THREADS = 8


class PublishError(RuntimeError):
    """The audio could not be published; the message says what to fix."""


@dataclass(frozen=True)
class PublishReport:
    uploaded: tuple[str, ...]
    unchanged: int
    base_url: str
    bytes_uploaded: int = 0


def clean_prefix(prefix: str) -> str:
    """`prefix` without leading or trailing slashes; PublishError for `.`/`..` or `//`."""
    cleaned = prefix.strip("/")
    if cleaned and any(part in ("", ".", "..") for part in cleaned.split("/")):
        raise PublishError(f"the prefix {prefix!r} must be folder names separated by '/'")
    return cleaned


def object_key(prefix: str, name: str) -> str:
    return f"{prefix}/{name}" if prefix else name


def base_url(bucket: str, region: str, prefix: str) -> str:
    """The HTTPS URL the objects under `prefix` are fetched from, for SPINE_STRETCH_AUDIO_BASE_URL.

    Virtual-hosted style, except for bucket names with dots, which S3's wildcard certificate
    does not cover over HTTPS: those use the path style.
    """
    endpoint = "s3.amazonaws.com" if region == "us-east-1" else f"s3.{region}.amazonaws.com"
    root = f"https://{endpoint}/{bucket}" if "." in bucket else f"https://{bucket}.{endpoint}"
    return f"{root}/{quote(prefix)}" if prefix else root


def s3_client() -> Any:
    """A boto3 S3 client from the usual AWS configuration (environment, profile, role)."""
    try:
        import boto3
    except ImportError:
        raise PublishError("publishing needs boto3: pip install 'spine-stretch-coach[aws]'"
                           ) from None
    # A session of its own reads the configuration now, not whatever boto3's shared default
    # session cached earlier in the process.
    return boto3.session.Session().client("s3")


def _bucket_region(client: Any, bucket: str) -> str:
    from botocore.exceptions import ClientError

    try:
        location = client.get_bucket_location(Bucket=bucket).get("LocationConstraint")
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") != "AccessDenied":
            raise
        # Without s3:GetBucketLocation, trust the region the client is configured for.
        return str(client.meta.region_name or "us-east-1")
    # us-east-1 answers with no constraint; "EU" is the old name of eu-west-1.
    return str({None: "us-east-1", "": "us-east-1", "EU": "eu-west-1"}.get(location, location))


def _remote_etags(client: Any, bucket: str, prefix: str) -> dict[str, str]:
    etags: dict[str, str] = {}
    pages = client.get_paginator("list_objects_v2").paginate(
        Bucket=bucket, Prefix=f"{prefix}/" if prefix else "")
    for page in pages:
        for item in page.get("Contents", ()):
            etags[item["Key"]] = item["ETag"].strip('"')
    return etags


@dataclass(frozen=True)
class _Upload:
    name: str
    source: bytes | Path  # a file is read when needed: the blocks alone are about a gigabyte
    content_type: str
    cache_control: str

    @property
    def data(self) -> bytes:
        return self.source if isinstance(self.source, bytes) else self.source.read_bytes()


@dataclass(frozen=True)
class StoreFile:
    """A file published beside the audio: `name` is its path under the prefix."""

    name: str
    data: bytes
    content_type: str


def _uploads(folder: Path) -> tuple[list[_Upload], _Upload]:
    """The audio files, and the manifest as read once: it names exactly those files."""
    path = folder / MANIFEST_NAME
    try:
        raw = path.read_bytes()
        manifest = parse_manifest(raw.decode())
    except FileNotFoundError:
        raise PublishError(f"{folder} has no rendered audio: run spine-stretch render "
                           f"--out {folder} first") from None
    except (OSError, ValueError) as exc:
        raise PublishError(f"{path} is unreadable ({exc}): render again") from None
    absent = sorted(name for name in manifest.files() if not (folder / name).is_file())
    if absent:
        raise PublishError(f"{len(absent)} files the manifest names are not in {folder} "
                           f"(first: {absent[0]}): run spine-stretch validate --out {folder}")
    names = sorted(manifest.files())
    # Blocks assembled from the clips (built by `publish_command` first), named like them.
    names += sorted(entry.file for entry in read_block_index(folder).values()
                    if (folder / entry.file).is_file())
    audio = [_Upload(name, folder / name, "audio/mpeg", AUDIO_CACHE_CONTROL) for name in names]
    return audio, _Upload(MANIFEST_NAME, raw, "application/json", MANIFEST_CACHE_CONTROL)


def _md5(data: bytes) -> bytes:
    return hashlib.md5(data, usedforsecurity=False).digest()


def publish(folder: Path, bucket: str, prefix: str, client: Any,
            progress: Progress | None = None,
            store_files: tuple[StoreFile, ...] = ()) -> PublishReport:
    """Makes `s3://bucket/prefix/` hold every file of `folder`'s manifest, the manifest,
    and `store_files`.

    PublishError says what went wrong; the manifest is uploaded only once every file it
    names is in the bucket.
    """
    from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

    prefix = clean_prefix(prefix)
    audio, manifest = _uploads(folder)
    audio += [_Upload(file.name, file.data, file.content_type, STORE_FILE_CACHE_CONTROL)
              for file in store_files]

    sizes: dict[str, int] = {}

    def send(upload: _Upload) -> str:
        data = upload.data
        sizes[upload.name] = len(data)
        client.put_object(Bucket=bucket, Key=object_key(prefix, upload.name), Body=data,
                          ContentType=upload.content_type, CacheControl=upload.cache_control,
                          ContentMD5=base64.b64encode(_md5(data)).decode())
        return upload.name

    try:
        region = _bucket_region(client, bucket)
        remote = _remote_etags(client, bucket, prefix)
        todo = [upload for upload in (*audio, manifest)
                if remote.get(object_key(prefix, upload.name)) != _md5(upload.data).hex()]
        if progress:
            progress.start(len(todo))
        uploaded: list[str] = []

        def sent(name: str) -> None:
            uploaded.append(name)
            if progress:
                progress.advance()

        try:
            # boto3 clients are thread-safe, and uploads wait on the network, not the CPU.
            with ThreadPoolExecutor(UPLOAD_THREADS, thread_name_prefix="publish") as pool:
                for name in pool.map(send, [upload for upload in todo if upload is not manifest]):
                    sent(name)
            if manifest in todo:
                sent(send(manifest))
        finally:
            if progress:
                progress.finish()
    except NoCredentialsError:
        raise PublishError("no AWS credentials: run `aws configure`, or set AWS_PROFILE, or "
                           "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY") from None
    except (BotoCoreError, ClientError) as exc:
        raise PublishError(f"S3 refused the upload to s3://{bucket}/{prefix}: {exc}") from None
    return PublishReport(tuple(uploaded), len(audio) + 1 - len(uploaded),
                         base_url(bucket, region, prefix), sum(sizes.values()))
