"""Deploy an app from the source tenant to a customer tenant: export, import, publish or republish, reload.

The flow of Qlik's "Deploy content to a tenant" step, made repeatable: the source app is exported
(``NoData`` unless with data) and downloaded, imported into the target's shared space as a new app (mode
``NEW``: Qlik's ``autoreplace`` is internal), and, with a managed space, published there — or republished
over the published copy already there, keeping that app's id (what customers' links and bookmarks point at).
The previous imported copy is then deleted: each deployment keeps one imported copy and one published app.

The rules of every object on a tenant, for apps (which have no unique key; how ours are told from someone
else's: :mod:`.app_deployment_ours`): the import and the publish are sent exactly once (a lost answer is
resolved by finding the app it made); someone else's published app is republished over only with
``adopt_existing``; once the import made an app, a failure of a later step (publish when the import cannot be
deleted again, access to the published app, the reload) returns what was made with ``incomplete`` set.

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

from .app_deployment_ours import (
    NewImport,
    PublishedTarget,
    after_first_look,
    published_from,
    published_target,
)
from .create_once import create_exactly_once

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
    adopt_existing: bool = False
    """Republish over a same-named app of the managed space that this deployment did not publish."""


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
    incomplete: bool = False
    """A step after the import failed (a reload, access to the published app): the next ``up`` deploys again."""


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
        place; its imported copy is deleted once the new one is published. Once the import made an app, a later
        failure returns what was made, marked ``incomplete`` (with a warning), unless nothing is left of it.
        """
        spec = self.spec
        source_app = self._source_app()
        name = spec.name or source_app.attributes.name
        # Looked up before the import: refusing someone else's published app then leaves nothing behind.
        target = self._published_target(name, previous)
        imported = self._import(self._export(), name)
        new_id = imported.attributes.id
        revision = spec.source_revision or source_app.attributes.modified_date or ""
        try:
            published_id = self._publish(new_id, name, target)
        except QlikError as exc:
            if self._discard(new_id):
                raise
            logger.warning(
                f"app {new_id} imported on {spec.tenant_hostname} could not be published nor deleted"
                f" ({str(exc).rstrip('.')}): it is recorded in the state as incomplete; the next `pulumi up`"
                " deploys again."
            )
            return Deployed(
                imported_app_id=new_id,
                published_app_id=target.app_id if target else None,
                deployed_revision=revision,
                owns_published_app=target.owns if target else False,
                app_name=name,
                incomplete=True,
            )
        deployed = Deployed(
            imported_app_id=new_id,
            published_app_id=published_id,
            deployed_revision=revision,
            owns_published_app=target.owns if target else published_id is not None,
            app_name=name,
        )
        replaced = {
            previous.imported_app_id if previous else "",
            self._stale_origin(target, previous, imported),
        }
        for old in sorted(replaced - {"", new_id}):
            self._discard(old)
        return self._finish(deployed, fresh=target is None and published_id is not None)

    def _finish(self, deployed: Deployed, *, fresh: bool) -> Deployed:
        """Wait for access to a freshly published app, and reload if asked. The apps are in place: a failure
        here is a warning, and the deployment is recorded ``incomplete`` so the next ``up`` deploys again."""
        try:
            if fresh and deployed.published_app_id:
                self._wait_until_accessible(deployed.published_app_id)
            if self.spec.reload_after_deploy:
                reload = self.reload_and_wait(deployed.published_app_id or deployed.imported_app_id)
                deployed = replace(deployed, last_reload_id=reload.id)
        except QlikError as exc:
            failed = exc.reload.id if isinstance(exc, ReloadFailedError) else deployed.last_reload_id
            logger.warning(
                f"app deployment on {self.spec.tenant_hostname}: the apps are in place (imported"
                f" {deployed.imported_app_id}, published {deployed.published_app_id or 'none'}), but a later step"
                f" failed: {str(exc).rstrip('.')}. They are recorded in the state as incomplete; the next"
                " `pulumi up` deploys (and reloads) again."
            )
            return replace(deployed, last_reload_id=failed, incomplete=True)
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
        """Import exactly once: after an answer that leaves unknown whether Qlik made the app, the one it made
        is found (`NewImport`), or the import is sent again when it made none."""
        spec = self.spec
        host, space = spec.tenant_hostname, spec.shared_space_id
        try:
            imported, _ = create_exactly_once(
                f"import of app {spec.source_app_id} as {name!r}",
                host,
                create=lambda: self.target.import_app(host, app_file, space_id=space, name=name),
                find=NewImport(self.target, host, space, name),
                id_of=lambda app: app.attributes.id,
                adopt_existing=False,  # the first look only records what was there: nothing is adopted
            )
        except NotFoundError:
            raise DeploymentError(
                f"shared_space_id: space {space} is gone from {host} (404)."
                " Set `shared_space_id` to a shared space of that tenant (e.g. a `QlikSpace`'s `space_id`)."
            ) from None
        logger.info(
            "imported app %s from %s as %s on %s",
            spec.source_app_id, spec.source_tenant, imported.attributes.id, host,
        )  # fmt: skip
        return imported

    def _published_target(self, name: str, previous: Deployed | None) -> PublishedTarget | None:
        spec = self.spec
        if spec.managed_space_id is None:
            return None
        return published_target(
            self.target,
            spec.tenant_hostname,
            spec.managed_space_id,
            name,
            published_in_state=previous.published_app_id if previous else None,
            owns_in_state=previous.owns_published_app if previous else False,
            imported_in_state=previous.imported_app_id if previous else None,
            adopt_existing=spec.adopt_existing,
        )

    def _publish(self, new_id: str, name: str, target: PublishedTarget | None) -> str | None:
        """The published app's id: a new one published exactly once, or `target` republished in place."""
        spec = self.spec
        if spec.managed_space_id is None:
            return None
        host, managed = spec.tenant_hostname, spec.managed_space_id
        try:
            if target is None:
                published, _ = create_exactly_once(
                    f"publish of app {new_id} to space {managed}",
                    host,
                    create=lambda: self.target.publish_app(host, new_id, managed, name=name).attributes.id,
                    # Published from the import just made: ours, whichever way it is found.
                    find=after_first_look(lambda: published_from(self.target, host, managed, new_id)),
                    id_of=str,
                    adopt_existing=False,
                )
                logger.info("published %s to space %s as %s on %s", new_id, managed, published, host)
                return published
            # A republished app keeps its id and the access it had: nothing to wait for.
            self.target.republish_app(host, new_id, target.app_id, name=name, check_origin_app_id=False)
            logger.info("republished %s over %s on %s", new_id, target.app_id, host)
            return target.app_id
        except NotFoundError:
            raise DeploymentError(
                f"managed_space_id: space {managed} (or the published app in it) is gone from {host} (404)."
                " Set `managed_space_id` to a managed space of that tenant, or run `pulumi refresh`."
            ) from None

    def _stale_origin(self, target: PublishedTarget | None, previous: Deployed | None, imported: App) -> str:
        """The import our published app was last published from when the state does not know it (an update
        that ended after republishing, before its state was written): this deployment's, and replaced now."""
        if target is None or not target.owns or not target.origin:
            return ""
        known = (previous.imported_app_id if previous else "", imported.attributes.id)
        return target.origin if target.origin not in known and self._ours(target.origin, imported) else ""

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

    def _discard(self, app_id: str) -> bool:
        """Delete an imported copy this deployment no longer uses: whether it is gone (a failure is logged)."""
        try:
            self.target.delete_app(self.spec.tenant_hostname, app_id)
        except NotFoundError:
            return True
        except QlikError as exc:
            logger.warning(
                "could not delete app %s on %s (%s); delete it by hand",
                app_id,
                self.spec.tenant_hostname,
                exc,
            )
            return False
        logger.info("deleted imported copy %s on %s", app_id, self.spec.tenant_hostname)
        return True
