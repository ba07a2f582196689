"""Deploy an app from the source tenant to a customer tenant: export, import, publish or republish, reload.

The flow of Qlik's "Deploy content to a tenant" step, made repeatable: the source app is exported
(``NoData`` unless with data) and downloaded, imported into the target's shared space as a new app (mode
``NEW``: Qlik's ``autoreplace`` is internal), and, with a managed space, published there — or republished
over the published copy already there, keeping that app's id (what customers' links and bookmarks point at).
The previous imported copy is then deleted: each deployment keeps one imported copy and one published app.

Nothing here knows Pulumi: the provider hands in the two clients (source and target may be in different
regions) and a sleep function; errors are :class:`DeploymentError` with what went wrong and the fix.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Final

from pulumi_qlik.client import (
    NotFoundError,
    PermissionDeniedError,
    QlikAPIError,
    QlikClient,
    QlikError,
)
from pulumi_qlik.client.models import App, Reload

logger = logging.getLogger("pulumi_qlik.provider")

PUBLISH_ACCESS_TIMEOUT_SECONDS: Final = 60.0
"""How long a freshly published app may stay out of reach (Qlik answers 403/404 until access is granted)."""
RELOAD_TIMEOUT_SECONDS: Final = 3600.0
POLL_SECONDS: Final = 1.0
_TOO_LARGE: Final = 413


class DeploymentError(QlikError):
    """A deployment step failed; the message says which, on which tenant, and how to proceed."""


class ReloadFailedError(DeploymentError):
    """The reload after the deployment ended in a failure status."""

    def __init__(self, message: str, reload: Reload) -> None:
        super().__init__(message)
        self.reload = reload


@dataclass(frozen=True, kw_only=True)
class DeploymentSpec:
    """What to deploy where (the resource's checked inputs)."""

    tenant_hostname: str
    source_tenant: str
    source_app_id: str
    shared_space_id: str
    managed_space_id: str | None = None
    name: str | None = None
    source_revision: str | None = None
    with_data: bool = False
    reload_after_deploy: bool = False


@dataclass(frozen=True, kw_only=True)
class Deployed:
    """What a deployment made (the resource's outputs besides the inputs)."""

    imported_app_id: str
    published_app_id: str | None
    deployed_revision: str
    """``source_revision`` when given, else the source app's ``modifiedDate`` at export."""
    owns_published_app: bool
    """Whether this deployment published the managed copy (delete removes it only then)."""
    app_name: str
    last_reload_id: str | None = None


@dataclass
class Deployer:
    """One deployment's calls: ``source`` reaches the source tenant, ``target`` the customer tenant."""

    source: QlikClient
    target: QlikClient
    spec: DeploymentSpec
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic

    # --- the flow ------------------------------------------------------------------------------------------

    def deploy(self, previous: Deployed | None = None) -> Deployed:
        """Export, import, publish or republish, delete the copy it replaces, and reload if asked.

        ``previous``: what the last deployment made (None on create). Its published app is republished in
        place; its imported copy is deleted once the new one is published.
        """
        spec = self.spec
        source_app = self._source_app()
        name = spec.name or source_app.attributes.name
        imported = self._import(self._export(), name)
        try:
            published_id, owns, stale_origin = self._publish(imported, name, previous)
        except QlikError:
            self._discard(imported.attributes.id)
            raise
        deployed = Deployed(
            imported_app_id=imported.attributes.id,
            published_app_id=published_id,
            deployed_revision=spec.source_revision or source_app.attributes.modified_date or "",
            owns_published_app=owns,
            app_name=name,
        )
        replaced = {previous.imported_app_id if previous else "", stale_origin or ""}
        for old in sorted(replaced - {"", imported.attributes.id}):
            self._discard(old)
        if spec.reload_after_deploy:
            reload = self.reload_and_wait(published_id or imported.attributes.id)
            deployed = replace(deployed, last_reload_id=reload.id)
        return deployed

    def _source_app(self) -> App:
        spec = self.spec
        try:
            return self.source.get_app(spec.source_tenant, spec.source_app_id)
        except NotFoundError:
            raise DeploymentError(
                f"source_app_id: app {spec.source_app_id} is gone from source tenant {spec.source_tenant}"
                " (404). Set `source_app_id` to an app that exists there (`get_app_output` reads one)."
            ) from None

    def _export(self) -> bytes:
        spec = self.spec
        try:
            temp_id = self.source.export_app(spec.source_tenant, spec.source_app_id, with_data=spec.with_data)
        except PermissionDeniedError as exc:
            raise DeploymentError(
                f"source_app_id: Qlik refused to export app {spec.source_app_id} from {spec.source_tenant}"
                f" ({exc.status_code} {exc.code or ''}): apps in a managed space cannot be exported. Deploy"
                " the app it was published from (its `originAppId`, in a shared or personal space) instead."
            ) from None
        except QlikAPIError as exc:
            if exc.status_code != _TOO_LARGE:
                raise
            hint = " Deploy without data (`with_data=False`)" if spec.with_data else " Make the app smaller"
            raise DeploymentError(
                f"source_app_id: app {spec.source_app_id} on {spec.source_tenant} is too large to export"
                f" ({exc.status_code}).{hint}, or reload it on the customer tenant (`reload_after_deploy`)."
            ) from None
        return self.source.download_temp_content(spec.source_tenant, temp_id)

    def _import(self, app_file: bytes, name: str) -> App:
        spec = self.spec
        try:
            imported = self.target.import_app(
                spec.tenant_hostname, app_file, space_id=spec.shared_space_id, name=name
            )
        except NotFoundError:
            raise DeploymentError(
                f"shared_space_id: space {spec.shared_space_id} is gone from {spec.tenant_hostname} (404)."
                " Set `shared_space_id` to a shared space of that tenant (e.g. a `QlikSpace`'s `space_id`)."
            ) from None
        logger.info(
            "imported app %s from %s as %s on %s",
            spec.source_app_id, spec.source_tenant, imported.attributes.id, spec.tenant_hostname,
        )  # fmt: skip
        return imported

    def _publish(
        self, imported: App, name: str, previous: Deployed | None
    ) -> tuple[str | None, bool, str | None]:
        """(published app id, whether this deployment made it, the origin app it replaced if adopted)."""
        spec = self.spec
        if spec.managed_space_id is None:
            return None, False, None
        host, managed, new_id = spec.tenant_hostname, spec.managed_space_id, imported.attributes.id
        target, owns, stale_origin = self._existing_copy(imported, name, previous)
        try:
            if target is None:
                published = self.target.publish_app(host, new_id, managed, name=name)
                owns = True
                logger.info(
                    "published %s to space %s as %s on %s", new_id, managed, published.attributes.id, host
                )
                self._wait_until_accessible(published.attributes.id)
            else:
                # A republished app keeps its id and the access it had: nothing to wait for.
                published = self.target.republish_app(
                    host, new_id, target, name=name, check_origin_app_id=False
                )
                logger.info("republished %s over %s on %s", new_id, target, host)
        except NotFoundError:
            raise DeploymentError(
                f"managed_space_id: space {managed} (or the published app in it) is gone from {host} (404)."
                " Set `managed_space_id` to a managed space of that tenant, or run `pulumi refresh`."
            ) from None
        return published.attributes.id, owns, stale_origin

    def _existing_copy(
        self, imported: App, name: str, previous: Deployed | None
    ) -> tuple[str | None, bool, str | None]:
        """The published copy to republish over: the previous deployment's, or one already in the managed space
        whose origin (``originAppId``) is this deployment's earlier imported copy (same name, same owner in the
        shared space), e.g. left by a create that failed after publishing."""
        spec = self.spec
        host = spec.tenant_hostname
        if previous is not None and previous.published_app_id:
            try:
                current = self.target.get_app(host, previous.published_app_id)
            except NotFoundError:
                logger.info(
                    "published app %s is gone from %s: publishing anew", previous.published_app_id, host
                )
            else:
                # Published from another import than the state knows (an update that failed after republishing,
                # e.g. at its reload): that import is this deployment's too, and goes once replaced.
                origin = current.attributes.origin_app_id
                known = (previous.imported_app_id, imported.attributes.id)
                stale = origin if origin and origin not in known and self._ours(origin, imported) else None
                return previous.published_app_id, previous.owns_published_app, stale
        origins = {
            item.resource_id: item
            for item in self.target.list_items(host, resource_type="app", space_id=spec.shared_space_id)
            if item.resource_id and item.name == name and item.resource_id != imported.attributes.id
        }
        ours = imported.attributes.owner_id
        for copy in self.target.list_items(host, resource_type="app", space_id=spec.managed_space_id):
            found = origins.get(copy.origin_app_id or "")
            if copy.resource_id and found is not None:
                same_owner = ours is not None and found.resource_attributes.get("ownerId") == ours
                logger.info(
                    "found published copy %s of %s on %s: republishing over it", copy.resource_id, name, host
                )
                return copy.resource_id, same_owner, found.resource_id if same_owner else None
        return None, False, None

    def _ours(self, app_id: str, imported: App) -> bool:
        """Whether the app is an earlier import of this deployment: in its shared space, with the same owner."""
        try:
            app = self.target.get_app(self.spec.tenant_hostname, app_id).attributes
        except NotFoundError:
            return False
        same_owner = app.owner_id is not None and app.owner_id == imported.attributes.owner_id
        return same_owner and app.space_id == self.spec.shared_space_id

    def _wait_until_accessible(self, app_id: str) -> None:
        """Access to a freshly published app is not immediate on Qlik Cloud: retry reading it, within a bound."""
        deadline = self.clock() + PUBLISH_ACCESS_TIMEOUT_SECONDS
        delay = 0.25
        while True:
            try:
                self.target.get_app(self.spec.tenant_hostname, app_id)
                return
            except (PermissionDeniedError, NotFoundError) as exc:
                if self.clock() + delay > deadline:
                    raise DeploymentError(
                        f"published app {app_id} on {self.spec.tenant_hostname} was still not accessible after"
                        f" {PUBLISH_ACCESS_TIMEOUT_SECONDS:.0f} s ({exc.status_code}). Qlik may be slow to grant"
                        " access: run `pulumi up` again in a few minutes."
                    ) from None
                logger.info("published app %s not accessible yet (%s); retrying", app_id, exc.status_code)
            self.sleep(delay)
            delay = min(delay * 2, 5.0)

    def reload_and_wait(self, app_id: str) -> Reload:
        """Reload the app and wait for an end status; a failure raises :class:`ReloadFailedError`."""
        host = self.spec.tenant_hostname
        reload = self.target.create_reload(host, app_id)
        logger.info("reload %s of app %s on %s: %s", reload.id, app_id, host, reload.status)
        deadline = self.clock() + RELOAD_TIMEOUT_SECONDS
        status = reload.status
        while not reload.finished:
            if self.clock() > deadline:
                raise DeploymentError(
                    f"reload {reload.id} of app {app_id} on {host} did not finish within"
                    f" {RELOAD_TIMEOUT_SECONDS:.0f} s (last status {reload.status})"
                )
            self.sleep(POLL_SECONDS)
            reload = self.target.get_reload(host, reload.id)
            if reload.status != status:
                status = reload.status
                logger.info("reload %s of app %s on %s: %s", reload.id, app_id, host, status)
        if reload.status != "SUCCEEDED":
            raise ReloadFailedError(
                f"reload {reload.id} of app {app_id} on {host} ended {reload.status}: {reload.log_line()}."
                " The deployed app is in place; fix its load script (or data connection) and run"
                " `pulumi up` again.",
                reload,
            )
        return reload

    # --- clean-up ------------------------------------------------------------------------------------------

    def _discard(self, app_id: str) -> None:
        """Delete an imported copy this deployment no longer uses; a failure is logged, not raised."""
        try:
            self.target.delete_app(self.spec.tenant_hostname, app_id)
        except NotFoundError:
            return
        except QlikError as exc:
            logger.warning(
                "could not delete app %s on %s (%s); delete it by hand",
                app_id,
                self.spec.tenant_hostname,
                exc,
            )
        else:
            logger.info("deleted imported copy %s on %s", app_id, self.spec.tenant_hostname)
