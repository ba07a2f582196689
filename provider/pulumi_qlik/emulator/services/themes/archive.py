"""Reading an uploaded theme or extension: a zip archive (as a ``multipart/form-data`` ``file`` part or the
whole body) holding one ``.qext`` file, optionally inside one top folder, and a ``data`` JSON part."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any

from .exceptions import BundleInvalid, UnsupportedMedia

MAX_ARCHIVE_BYTES = 50 * 1024 * 1024
"""The emulator's limit on an upload (Qlik publishes none for themes and extensions)."""


@dataclass(frozen=True)
class Upload:
    """What a create or update request carried: the archive (may be empty) and the ``data`` object."""

    archive: bytes
    data: dict[str, Any]


def parse_upload(content_type: str, body: bytes) -> Upload:
    """A multipart body (``file`` and/or ``data`` parts), or a bare zip (``application/zip`` or octet-stream)."""
    kind = content_type.split(";")[0].strip().lower()
    if kind in ("application/zip", "application/x-zip-compressed", "application/octet-stream"):
        return Upload(body, {})
    if kind != "multipart/form-data":
        raise UnsupportedMedia(
            f"send multipart/form-data (file, data) or application/zip, not {kind or 'no type'}"
        )
    message = BytesParser(policy=HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body
    )
    archive, data = b"", {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        raw = part.get_payload(decode=True)
        payload = raw if isinstance(raw, bytes) else b""
        if name == "file":
            archive = bytes(payload)
        elif name == "data":
            try:
                data = json.loads(payload)
            except ValueError:
                raise UnsupportedMedia("the data part is not a valid JSON object") from None
            if not isinstance(data, dict):
                raise UnsupportedMedia("the data part is not a valid JSON object")
    if not archive and not data:
        raise BundleInvalid("the request carries neither a file part nor a data part")
    return Upload(archive, data)


def read_files(archive: bytes) -> dict[str, bytes]:
    """The archive's files by path, without a single top folder (``acme-theme/theme.json`` -> ``theme.json``)."""
    if len(archive) > MAX_ARCHIVE_BYTES:
        raise BundleInvalid(f"the archive is larger than {MAX_ARCHIVE_BYTES} bytes")
    try:
        with zipfile.ZipFile(io.BytesIO(archive)) as zipped:
            files = {i.filename: zipped.read(i) for i in zipped.infolist() if not i.is_dir()}
    except (zipfile.BadZipFile, ValueError):
        raise BundleInvalid("the file is not a zip archive") from None
    tops = {path.split("/", 1)[0] for path in files}
    if len(tops) == 1 and all("/" in path for path in files):
        files = {path.split("/", 1)[1]: content for path, content in files.items()}
    if any(p.startswith("/") or ".." in p.split("/") for p in files):
        raise BundleInvalid("the archive holds a path outside its folder")
    return files


def qext_of(files: dict[str, bytes]) -> tuple[str, dict[str, Any]]:
    """(file name without ``.qext``, its JSON) of the one ``.qext`` file at the archive's top."""
    found = [p for p in files if p.endswith(".qext") and "/" not in p]
    if len(found) != 1:
        raise BundleInvalid(f"the archive must hold exactly one .qext file at its top (found {len(found)})")
    try:
        qext = json.loads(files[found[0]])
    except ValueError:
        raise BundleInvalid(f"{found[0]} is not valid JSON") from None
    if not isinstance(qext, dict):
        raise BundleInvalid(f"{found[0]} is not a JSON object")
    return found[0].removesuffix(".qext"), qext


def checksum(archive: bytes) -> str:
    return hashlib.sha256(archive).hexdigest()
