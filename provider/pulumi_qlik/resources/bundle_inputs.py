"""A theme's or extension's files, read in the program from a folder, a zip or a Pulumi archive, as one zip.

The program packs the source (so nothing but the zip travels to the provider) into a deterministic zip (sorted
names, fixed timestamps) and a content hash over the files' names and bytes: the hash, not a file's mtime, tells
a change. The name Qlik keys the bundle by comes from its `.qext` file.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import pulumi

_FIXED_TIME: Final = (1980, 1, 1, 0, 0, 0)
MAX_ARCHIVE_BYTES: Final = 50 * 1024 * 1024


@dataclass(frozen=True)
class Bundle:
    archive: str
    """The zip, base64."""
    content_hash: str
    """`sha256:` over every file's name and bytes."""
    name: str
    """From the `.qext` (its `name`, else its file name)."""


def pack(source: Any) -> Bundle:
    """`source` (a folder or `.zip` path, a `pulumi.FileArchive`, or a `pulumi.AssetArchive` of file/string
    assets) as a `Bundle`; `ValueError` naming what is wrong."""
    files = dict(sorted(_files(source).items()))
    if not any(name.endswith(".qext") for name in files):
        raise ValueError("holds no .qext file: a theme or extension names itself in one (e.g. acme.qext)")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=_FIXED_TIME), data)
    if buffer.tell() > MAX_ARCHIVE_BYTES:
        raise ValueError(f"packs to {buffer.tell()} bytes; Qlik takes at most {MAX_ARCHIVE_BYTES}")
    qext_name, qext = next((n, d) for n, d in files.items() if n.endswith(".qext"))
    try:
        meta = json.loads(qext)
    except ValueError:
        raise ValueError(f"{qext_name} is not JSON") from None
    named = meta.get("name") if isinstance(meta, dict) else None
    return Bundle(
        archive=base64.b64encode(buffer.getvalue()).decode(),
        content_hash=_content_hash(files),
        name=named if isinstance(named, str) and named else Path(qext_name).stem,
    )


def _content_hash(files: dict[str, bytes]) -> str:
    digest = hashlib.sha256()
    for name, data in sorted(files.items()):
        digest.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    return f"sha256:{digest.hexdigest()}"


def content_hash_of_zip(data: bytes) -> str | None:
    """The content hash of a zip as Qlik serves it back; None when it is not a zip."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return _content_hash({i.filename: archive.read(i) for i in archive.infolist() if not i.is_dir()})
    except (zipfile.BadZipFile, ValueError):
        return None


def unpacked(bundle_archive: str) -> bytes:
    return base64.b64decode(bundle_archive)


def _files(source: Any) -> dict[str, bytes]:
    if isinstance(source, pulumi.FileArchive):
        return _path_files(Path(source.path))
    if isinstance(source, pulumi.AssetArchive):
        found: dict[str, bytes] = {}
        for name, asset in source.assets.items():
            if isinstance(asset, pulumi.StringAsset):
                found[name] = asset.text.encode()
            elif isinstance(asset, pulumi.FileAsset):
                found[name] = Path(asset.path).read_bytes()
            else:
                raise ValueError(f"{name}: only file and string assets are read, not {type(asset).__name__}")
        return found
    if isinstance(source, str | Path):
        return _path_files(Path(source))
    raise ValueError(
        f"must be a path, a pulumi.FileArchive or a pulumi.AssetArchive, got {type(source).__name__}"
    )


def _path_files(path: Path) -> dict[str, bytes]:
    if path.is_dir():
        return {p.relative_to(path).as_posix(): p.read_bytes() for p in path.rglob("*") if p.is_file()}
    if path.is_file() and zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            return {i.filename: archive.read(i) for i in archive.infolist() if not i.is_dir()}
    raise ValueError(f"{str(path)!r} is neither a folder nor a zip file")
