"""`QlikTheme` / `QlikExtension` bad inputs: the program's packing of `source` and the provider's `check` each
fail with an error naming the field and the fix; the hash is over content, not mtimes."""

from __future__ import annotations

import base64
import io
import os
import zipfile
from pathlib import Path
from typing import Any

import pulumi
import pytest

from pulumi_qlik.resources.bundle import _packed
from pulumi_qlik.resources.bundle_inputs import pack
from pulumi_qlik.resources.extension import QlikExtensionProvider
from pulumi_qlik.resources.theme import QlikThemeProvider

HOST = "abcdefghijklmno.us.qlikcloud.com"
QEXT = '{"name": "acme-brand", "type": "theme", "version": "1.0.0"}'


def _folder(tmp_path: Path, files: dict[str, str]) -> Path:
    folder = tmp_path / "theme"
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    return folder


def test_pack__bad_sources_each_say_what_is_wrong_and_the_fix(tmp_path: Path) -> None:
    no_qext = _folder(tmp_path / "a", {"theme.json": "{}"})
    bad_json = _folder(tmp_path / "b", {"acme.qext": "{not json", "theme.json": "{}"})
    not_zip = tmp_path / "theme.zip"
    not_zip.write_text("not a zip")
    cases: list[tuple[Any, str]] = [
        (no_qext, "holds no .qext file"),
        (bad_json, "acme.qext is not JSON"),
        (not_zip, "is neither a folder nor a zip file"),
        (tmp_path / "missing", "is neither a folder nor a zip file"),
        (42, "must be a path, a pulumi.FileArchive or a pulumi.AssetArchive, got int"),
        (
            pulumi.AssetArchive({"x.qext": pulumi.RemoteAsset("https://example.com/x")}),
            "only file and string",
        ),
        (pulumi.FileArchive(str(no_qext)), "holds no .qext file"),
    ]
    for source, message in cases:
        with pytest.raises(ValueError, match=message):
            pack(source)


def test_pack__the_same_files_give_the_same_hash_whatever_the_form_or_mtime(tmp_path: Path) -> None:
    folder = _folder(tmp_path, {"acme.qext": QEXT, "theme.json": '{"color": "#e63946"}'})
    packed = pack(folder)
    assert packed.name == "acme-brand"
    os.utime(folder / "theme.json", (1_000_000_000, 1_000_000_000))
    zipped = tmp_path / "acme.zip"
    with zipfile.ZipFile(zipped, "w") as archive:
        for name in ("theme.json", "acme.qext"):
            archive.write(folder / name, name)
    assets = pulumi.AssetArchive(
        {"acme.qext": pulumi.StringAsset(QEXT), "theme.json": pulumi.FileAsset(str(folder / "theme.json"))}
    )
    assert {pack(s).content_hash for s in (folder, zipped, pulumi.FileArchive(str(folder)), assets)} == {
        packed.content_hash
    }
    assert pack(folder).archive == packed.archive, "deterministic: the same bytes whatever the mtimes"
    (folder / "theme.json").write_text('{"color": "#1d3557"}')
    assert pack(folder).content_hash != packed.content_hash
    with zipfile.ZipFile(io.BytesIO(base64.b64decode(packed.archive))) as archive:
        assert sorted(archive.namelist()) == ["acme.qext", "theme.json"]


@pytest.mark.parametrize("provider_type", [QlikThemeProvider, QlikExtensionProvider])
def test_check__bad_inputs_each_name_the_field_and_the_fix(
    provider_type: type[QlikThemeProvider] | type[QlikExtensionProvider], tmp_path: Path
) -> None:
    packed = pack(_folder(tmp_path, {"acme.qext": QEXT}))
    good = {"tenant_hostname": HOST, "name": packed.name, "content_hash": packed.content_hash,
            "archive": packed.archive}  # fmt: skip
    provider = provider_type()
    assert provider.check({}, good).failures == []
    cases: list[tuple[str, dict[str, Any], str]] = [
        ("tenant_hostname", {"tenant_hostname": "acme.example.com"}, "tenant_hostname"),
        ("name", {"name": "  "}, "required and must not be blank"),
        ("content_hash", {"content_hash": "md5:abc"}, "sha256:"),
        ("archive", {"archive": ""}, "a folder, a zip or a pulumi archive"),
        ("adopt_existing", {"adopt_existing": "yes"}, "true or false"),
        ("name", {"name": "x" * 300}, "at most 256"),
    ]
    for field, override, fix in cases:
        failures = provider.check({}, {**good, **override}).failures
        assert [f.property for f in failures] == [field], (field, failures)
        assert failures[0].reason.startswith(f"{field}: "), failures[0].reason
        assert fix in failures[0].reason, failures[0].reason


def test_program__a_bad_source_fails_the_program_naming_source(tmp_path: Path) -> None:
    """What `QlikTheme(...)` / `QlikExtension(...)` apply to `source` in the program (`register_bundle`). Not run
    under Pulumi's mocks: a program failing there leaves a pending task that crashes CPython 3.11's AST checks
    in a later import of the same session."""
    empty = _folder(tmp_path, {"README.md": "no qext"})
    with pytest.raises(ValueError, match=r"^source: holds no \.qext file"):
        _packed(str(empty))
    with pytest.raises(ValueError, match=r"^source: must be a path"):
        _packed(None)
