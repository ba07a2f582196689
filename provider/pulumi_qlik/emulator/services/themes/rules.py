"""Themes and extensions per tenant (themes, extensions specs): the same rules over two kinds of upload.

An upload is a zip (a ``multipart/form-data`` ``file`` part, or the body itself) holding one ``.qext``, and/or
a ``data`` part with the model's fields; names are unique per tenant (409); an id or a ``qextFilename``
names one; a deleted one answers 410 (the specs' soft delete). Writes need TenantAdmin. Decisions in
docs/emulator.md.
"""

from __future__ import annotations

from typing import Any

from ...domain import Domain, locked
from ...principal import Principal, require_tenant_host
from ...world import World
from ..tenants.models import Tenant
from ..users.exceptions import NotTenantAdmin
from ..users.rules import Users
from . import exceptions as errors
from .archive import Upload, checksum, qext_of, read_files
from .models import Bundle

FIELDS: dict[str, type] = {
    "type": str,
    "author": str,
    "description": str,
    "version": str,
    "license": str,
    "homepage": str,
    "keywords": str,
    "repository": str,
    "supplier": str,
    "icon": str,
    "tags": list,
    "dependencies": dict,
}
EXTENSION_FIELDS: dict[str, type] = {"preview": str, "loadpath": str, "supernova": bool}


class Bundles(Domain):
    """Uploaded themes or extensions (one instance per kind, see :class:`Themes` and ``Extensions``)."""

    kind = "theme"
    state_key = "themes"

    def __init__(self, world: World, users: Users) -> None:
        super().__init__(world)
        self._users = users
        self._bundles: dict[str, Bundle] = {}
        self._deleted: set[str] = set()

    def to_state(self) -> dict[str, Any]:
        return {self.state_key: [b.to_state() for b in self._bundles.values()]} if self._bundles else {}

    def load_state(self, data: dict[str, Any]) -> None:
        rows = data.get(self.state_key, [])
        self._bundles = {b.id: b for b in (Bundle.from_state(r, read_files) for r in rows)}
        self._deleted = set()

    def forget_tenant(self, tenant: Tenant) -> None:
        self._bundles = {k: b for k, b in self._bundles.items() if b.tenant_id != tenant.id}

    def _admin(self, principal: Principal) -> Tenant:
        try:
            return self._users.require_tenant_admin(principal)
        except NotTenantAdmin as exc:
            raise errors.BundleForbidden(exc.detail) from None

    def _find(self, tenant: Tenant, ref: str) -> Bundle:
        for bundle in self._bundles.values():
            if bundle.tenant_id == tenant.id and ref in (bundle.id, bundle.qext_filename):
                return bundle
        if ref in self._deleted:
            raise errors.BundleGone(f"{self.kind} {ref} has been deleted")
        raise errors.BundleNotFound(f"could not find the {self.kind} {ref}")

    def _fields(self, upload: Upload, current: Bundle | None) -> dict[str, Any]:
        """name, qext_filename, meta, files, archive, checksum from an upload (an update keeps what it omits)."""
        files: dict[str, bytes] = current.files if current else {}
        archive = current.archive if current else b""
        qext_name = current.qext_filename if current else ""
        qext: dict[str, Any] = {}
        if upload.archive:
            files, archive = read_files(upload.archive), upload.archive
            qext_name, qext = qext_of(files)
        meta = dict(current.meta) if current and not upload.archive else {}
        allowed = {**FIELDS, **(EXTENSION_FIELDS if self.kind == "extension" else {})}
        for source in (qext, upload.data):
            for key, kind in allowed.items():
                if isinstance(source.get(key), kind):
                    meta[key] = source[key]
        if "version" in qext:
            meta["qextVersion"] = str(qext["version"])
        self._check_type(meta.get("type"))
        name = upload.data.get("name") or qext.get("name") or (current.name if current else "") or qext_name
        if not isinstance(name, str) or not name.strip():
            raise errors.BundleInvalid(f"a {self.kind} needs a name: in its .qext file or the data part")
        return {
            "name": name,
            "qext_filename": qext_name or name,
            "meta": meta,
            "files": files,
            "archive": archive,
            "checksum": checksum(archive) if archive else "",
        }

    def _check_type(self, declared: Any) -> None:
        if self.kind == "theme" and declared not in (None, "theme"):
            raise errors.BundleInvalid(f"a theme's .qext has type 'theme', not {declared!r}")
        if self.kind == "extension" and declared == "theme":
            raise errors.BundleInvalid("this .qext declares a theme: upload it to /api/v1/themes")

    def _unique(self, tenant: Tenant, name: str, own_id: str) -> None:
        for other in self._bundles.values():
            if other.tenant_id == tenant.id and other.id != own_id and other.name == name:
                raise errors.BundleConflict(
                    f"a {self.kind} named {name!r} exists ({other.id})", meta={"resourceName": name}
                )

    @locked
    def listing(self, principal: Principal) -> list[Bundle]:
        tenant = require_tenant_host(principal)
        return sorted(
            (b for b in self._bundles.values() if b.tenant_id == tenant.id), key=lambda b: b.created
        )

    @locked
    def get(self, principal: Principal, ref: str) -> Bundle:
        return self._find(require_tenant_host(principal), ref)

    @locked
    def create(self, principal: Principal, upload: Upload) -> Bundle:
        tenant = self._admin(principal)
        fields = self._fields(upload, None)
        self._unique(tenant, fields["name"], "")
        now = self.now()
        bundle = Bundle(
            id=self.world.ids.hex(24),
            tenant_id=tenant.id,
            user_id=self._users.user_of(principal).id,
            created=now,
            updated=now,
            **fields,
        )
        self._bundles[bundle.id] = bundle
        self.world.changed()
        return bundle

    @locked
    def update(self, principal: Principal, ref: str, upload: Upload) -> Bundle:
        """Republished in place: same id; a new archive replaces every file and the ``.qext``'s fields."""
        tenant = self._admin(principal)
        bundle = self._find(tenant, ref)
        fields = self._fields(upload, bundle)
        self._unique(tenant, fields["name"], bundle.id)
        for key, value in fields.items():
            setattr(bundle, key, value)
        bundle.updated = self.now()
        self.world.changed()
        return bundle

    @locked
    def delete(self, principal: Principal, ref: str) -> None:
        bundle = self._find(self._admin(principal), ref)
        del self._bundles[bundle.id]
        self._deleted.add(bundle.id)
        self.world.changed()


class Themes(Bundles):
    """Themes (``/api/v1/themes``)."""
