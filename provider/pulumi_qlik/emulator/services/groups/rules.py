"""Groups and group settings per tenant (groups.json), and the group side of JWT login.

Names are unique per tenant and case-sensitive ("Group names are case-sensitive, and must be unique"). Reading
is open to every caller of the tenant; creating, patching and deleting groups and patching the settings need
TenantAdmin, as the users service decides for users.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ... import scim
from ...domain import Domain, locked
from ...principal import Principal, require_tenant_host
from ...world import World
from ..tenants.models import Tenant
from ..users.models import User
from ..users.roles import ROLES, resolve_roles
from ..users.rules import Users
from . import exceptions
from .models import EVERYONE_ID, Group, GroupSettings

MAX_NAME = 256
MAX_GROUPS = 10_000
"""groups.json: "The maximum number of groups a tenant can have is 10,000"."""

_FILTERABLE: dict[str, Callable[[Group], str]] = {
    "id": lambda g: g.id,
    "name": lambda g: g.name,
    "status": lambda g: "active",
    "providertype": lambda g: g.provider_type,
}


class Groups(Domain):
    """Every tenant's groups and group settings; members are kept on the users (``User.group_ids``)."""

    def __init__(self, world: World, users: Users) -> None:
        super().__init__(world)
        self._users = users
        self._groups: dict[str, Group] = {}
        self._settings: dict[str, GroupSettings] = {}
        self._on_delete: list[Callable[[Group], None]] = []
        users.attach_groups(self)

    # --- state -----------------------------------------------------------------------------------------

    def to_state(self) -> dict[str, Any]:
        return {
            "groups": [g.to_state() for g in self._groups.values()],
            "groupSettings": {tid: s.to_state() for tid, s in self._settings.items()},
        }

    def load_state(self, data: dict[str, Any]) -> None:
        """State files written before this service existed have neither key: no groups, default settings."""
        self._groups = {g.id: g for g in map(Group.from_state, data.get("groups", []))}
        self._settings = {
            tid: GroupSettings.from_state(s) for tid, s in data.get("groupSettings", {}).items()
        }

    def forget_tenant(self, tenant: Tenant) -> None:
        """The tenant was purged: its groups and settings go with it."""
        for group_id in [g.id for g in self._groups.values() if g.tenant_id == tenant.id]:
            del self._groups[group_id]
        self._settings.pop(tenant.id, None)

    def on_delete(self, hook: Callable[[Group], None]) -> None:
        """Run ``hook`` when a group is deleted (spaces drop its assignments)."""
        self._on_delete.append(hook)

    # --- what other services ask -----------------------------------------------------------------------

    def roles_of_groups(self, tenant_id: str, group_ids: list[str]) -> list[str]:
        roles: list[str] = []
        for group in self._existing(tenant_id, group_ids):
            roles += [r for r in group.roles if r not in roles]
        roles += [r for r in self.settings_of(tenant_id).everyone_roles if r not in roles]
        return roles

    def group_refs(self, tenant_id: str, group_ids: list[str]) -> list[dict[str, Any]]:
        """users.d.ts ``AssignedGroups`` items."""
        return [
            {"id": g.id, "name": g.name, "assignedRoles": [ROLES[r].to_json() for r in g.roles if r in ROLES]}
            for g in self._existing(tenant_id, group_ids)
        ]

    def _existing(self, tenant_id: str, group_ids: list[str]) -> list[Group]:
        found = (self._groups.get(gid) for gid in group_ids)
        return [g for g in found if g is not None and g.tenant_id == tenant_id]

    def exists(self, tenant_id: str, group_id: str) -> bool:
        group = self._groups.get(group_id)
        return group is not None and group.tenant_id == tenant_id

    def settings_of(self, tenant_id: str) -> GroupSettings:
        return self._settings.get(tenant_id) or GroupSettings()

    def groups_for_login(self, tenant: Tenant, names: list[str]) -> list[str]:
        """The ids of the groups a JWT's ``groups`` claim names: existing ones (exact name), plus new ones
        when the tenant's ``autoCreateGroups`` is on; names of missing groups are ignored otherwise."""
        auto_create = self.settings_of(tenant.id).auto_create_groups
        ids: list[str] = []
        for name in names:
            group = self._by_name(tenant.id, name)
            if group is None and auto_create and 0 < len(name) <= MAX_NAME:
                group = self._add(tenant, name, [], None, "idp", None)
            if group is not None and group.id not in ids:
                ids.append(group.id)
        return ids

    # --- groups API ------------------------------------------------------------------------------------

    def _of(self, tenant_id: str) -> list[Group]:
        return [g for g in self._groups.values() if g.tenant_id == tenant_id]

    def _by_name(self, tenant_id: str, name: str) -> Group | None:
        return next((g for g in self._of(tenant_id) if g.name == name), None)

    def _on(self, tenant: Tenant, group_id: str) -> Group:
        group = self._groups.get(group_id)
        if group is None or group.tenant_id != tenant.id:
            raise exceptions.GroupNotFound(f"group {group_id} not found")
        return group

    def _add(
        self,
        tenant: Tenant,
        name: str,
        roles: list[str],
        description: str | None,
        provider_type: str,
        created_by: str | None,
    ) -> Group:
        now = self.now()
        group = Group(
            id=self.world.ids.hex(24),
            tenant_id=tenant.id,
            name=name,
            created=now,
            last_updated=now,
            provider_type="custom" if provider_type == "custom" else "idp",
            description=description,
            roles=roles,
            created_by=created_by,
            updated_by=created_by,
        )
        self._groups[group.id] = group
        return group

    @locked
    def get(self, principal: Principal, group_id: str) -> Group:
        return self._on(require_tenant_host(principal), group_id)

    @locked
    def listing(self, principal: Principal, filter_text: str | None) -> list[Group]:
        """The tenant's groups matching ``filter`` (unsorted, unpaged)."""
        groups = self._of(require_tenant_host(principal).id)
        if filter_text:
            matches = _parse_filter(filter_text)
            groups = [g for g in groups if matches(g)]
        return groups

    @locked
    def create(self, principal: Principal, body: Any) -> Group:
        """``POST /api/v1/groups`` (``GroupPostSchema``): 201, or 409 when the name is taken."""
        tenant = self._users.require_tenant_admin(principal)
        if not isinstance(body, dict):
            raise exceptions.GroupBadRequest("request body must be a JSON object")
        name = _check_name(body.get("name"), "/name")
        status = body.get("status", "active")
        if status != "active":
            raise exceptions.GroupBadRequest('status can only be "active"', pointer="/status")
        provider_type = body.get("providerType", "idp")
        if provider_type not in ("idp", "custom"):
            raise exceptions.GroupBadRequest(
                'providerType must be "idp" or "custom"', pointer="/providerType"
            )
        description = _check_description(body.get("description"), "/description")
        roles = _roles(body.get("assignedRoles", []), "/assignedRoles")
        existing = self._by_name(tenant.id, name)
        if existing is not None:
            raise exceptions.GroupNameConflict(
                f"a group named {name!r} already exists (id {existing.id})", pointer="/name"
            )
        if len(self._of(tenant.id)) >= MAX_GROUPS:
            raise exceptions.GroupBadRequest(f"a tenant can have at most {MAX_GROUPS} groups")
        group = self._add(tenant, name, roles, description, provider_type, self._users.user_of(principal).id)
        self.world.changed()
        return group

    @locked
    def patch(self, principal: Principal, group_id: str, body: Any) -> None:
        """``PATCH /api/v1/groups/{id}`` (``GroupPatchSchema``): replace of assignedRoles, name, description;
        every operation is checked before any is applied."""
        tenant = self._users.require_tenant_admin(principal)
        group = self._on(tenant, group_id)
        if not isinstance(body, list) or not body:
            raise exceptions.GroupBadRequest("body must be a non-empty array of JSON Patch operations")
        name, description, roles = group.name, group.description, list(group.roles)
        for index, operation in enumerate(body):
            where = f"/{index}"
            if not isinstance(operation, dict):
                raise exceptions.GroupBadRequest("each operation must be an object", pointer=where)
            op, value = operation.get("op"), operation.get("value")
            path = str(operation.get("path", "")).lstrip("/")  # the spec's enum has no slash; its example has
            if op != "replace":
                raise exceptions.GroupBadRequest(
                    f"op {op!r} is not supported: replace is the only operation", pointer=f"{where}/op"
                )
            if path == "assignedRoles":
                roles = _roles(value, f"{where}/value")
            elif path == "name":
                name = _check_name(value, f"{where}/value")
                clash = self._by_name(tenant.id, name)
                if clash is not None and clash.id != group.id:
                    # groups.json declares no 409 on PATCH (only on POST): a taken name is a bad patch
                    raise exceptions.GroupBadRequest(
                        f"a group named {name!r} already exists (id {clash.id})", pointer=f"{where}/value"
                    )
            elif path == "description":
                description = _check_description(value, f"{where}/value")
            else:
                raise exceptions.GroupBadRequest(
                    f"path {operation.get('path')!r} cannot be patched; use /assignedRoles, /name or"
                    " /description",
                    pointer=f"{where}/path",
                )
        group.name, group.description, group.roles = name, description, roles
        group.last_updated = self.now()
        group.updated_by = self._users.user_of(principal).id
        self.world.changed()

    @locked
    def delete(self, principal: Principal, group_id: str) -> None:
        tenant = self._users.require_tenant_admin(principal)
        group = self._on(tenant, group_id)
        del self._groups[group.id]
        self._users.forget_group(group.id)
        for hook in self._on_delete:
            hook(group)
        self.world.changed()

    # --- settings --------------------------------------------------------------------------------------

    @locked
    def settings(self, principal: Principal) -> tuple[Tenant, GroupSettings]:
        tenant = require_tenant_host(principal)
        return tenant, self.settings_of(tenant.id)

    @locked
    def patch_settings(self, principal: Principal, body: Any) -> None:
        """``PATCH /api/v1/groups/settings`` (``SettingsPatchSchema``): all or nothing."""
        tenant = self._users.require_tenant_admin(principal)
        if not isinstance(body, list) or not body:
            raise exceptions.GroupBadRequest("body must be a non-empty array of JSON Patch operations")
        current = self.settings_of(tenant.id)
        updated = GroupSettings(
            current.auto_create_groups, current.sync_idp_groups, list(current.everyone_roles)
        )
        for index, operation in enumerate(body):
            where = f"/{index}"
            if not isinstance(operation, dict):
                raise exceptions.GroupBadRequest("each operation must be an object", pointer=where)
            op, path, value = operation.get("op"), operation.get("path"), operation.get("value")
            if op != "replace":
                raise exceptions.GroupBadRequest(
                    f"op {op!r} is not supported: replace is the only operation", pointer=f"{where}/op"
                )
            if path in ("/autoCreateGroups", "/syncIdpGroups"):
                if not isinstance(value, bool):
                    raise exceptions.GroupBadRequest(f"{path} takes true or false", pointer=f"{where}/value")
                if path == "/autoCreateGroups":
                    updated.auto_create_groups = value
                else:
                    updated.sync_idp_groups = value
            elif path == f"/systemGroups/{EVERYONE_ID}/assignedRoles":
                updated.everyone_roles = _roles(value, f"{where}/value")
            else:
                raise exceptions.GroupBadRequest(
                    f"path {path!r} cannot be patched; use /autoCreateGroups, /syncIdpGroups or"
                    f" /systemGroups/{EVERYONE_ID}/assignedRoles",
                    pointer=f"{where}/path",
                )
        updated.last_updated = self.now()
        self._settings[tenant.id] = updated
        self.world.changed()

    # --- control plane ---------------------------------------------------------------------------------

    @locked
    def members(self, group_id: str) -> list[User]:
        group = self._groups.get(group_id)
        if group is None:
            return []
        return [u for u in self._users.on_tenant(group.tenant_id) if group.id in u.group_ids]

    @locked
    def on_tenant(self, tenant_id: str) -> list[Group]:
        return sorted(self._of(tenant_id), key=lambda g: g.created)


def _check_name(value: Any, pointer: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise exceptions.GroupBadRequest("name is required (a non-empty string)", pointer=pointer)
    if len(value) > MAX_NAME:
        raise exceptions.GroupBadRequest(f"name is longer than {MAX_NAME} characters", pointer=pointer)
    return value


def _check_description(value: Any, pointer: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise exceptions.GroupBadRequest("description must be a string", pointer=pointer)
    return value


def _roles(value: Any, pointer: str) -> list[str]:
    """``AssignedRolesRefIDs | AssignedRolesRefNames`` (at most 100), as role names."""
    if isinstance(value, list) and len(value) > 100:
        raise exceptions.GroupBadRequest("a group can have at most 100 roles", pointer=pointer)
    return resolve_roles(value, pointer)


def _parse_filter(text: str) -> Callable[[Group], bool]:
    """groups.json's filter, SCIM (RFC 7644): ``attr eq "v"`` clauses over id, name, status, providerType,
    case-insensitive as groups.json says, joined by and, or, not and parentheses (its ``Filter`` example);
    other attributes and operators are refused (400)."""

    def clause(attribute: str, operator: str, value: str) -> Callable[[Group], bool]:
        field_of = _FILTERABLE.get(attribute.lower())
        if field_of is None or operator != "eq":
            raise exceptions.GroupBadRequest(
                f"filter clause {attribute} {operator} is not supported by the emulator: use id, name, status"
                ' or providerType eq "value", joined by and, or, not and parentheses',
                parameter="filter",
            )
        wanted = value.lower()
        return lambda g: field_of(g).lower() == wanted

    try:
        return scim.parse(text, clause).matches
    except scim.FilterSyntaxError as exc:
        raise exceptions.GroupBadRequest(f"filter: {exc}", parameter="filter") from None
