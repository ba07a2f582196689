"""Spaces and assignments per tenant (spaces.json), and what a caller may see.

Decisions (docs/emulator.md): space names are unique per tenant, compared exactly (409); a TenantAdmin sees
and manages every space, anyone else sees the spaces they own or are assigned to (directly or through one of
their groups) and gets 404 for the rest, as spaces.json's "Space not found or access denied"; creating a space
needs TenantAdmin or the type's creator role (``SharedSpaceCreator``, ...); changing a space or its
assignments needs TenantAdmin or ownership; roles must be among the space type's ``assignableRoles``; a space
that holds content is not deleted (412 naming the content). Content comes from the services that put it
there (apps, items...), through :meth:`Spaces.add_content_source`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ...domain import Domain, locked
from ...principal import Principal, require_tenant_host
from ...world import World
from ..groups.models import Group
from ..groups.rules import Groups
from ..tenants.models import Tenant
from ..users.models import User
from ..users.roles import TENANT_ADMIN
from ..users.rules import Users
from . import exceptions
from .models import (
    ASSIGNABLE_ROLES,
    CREATOR_ROLE,
    SPACE_TYPES,
    Assignment,
    Space,
    SpaceContent,
    SpaceView,
)

MAX_NAME = 256
_NAME_RE = re.compile(r'^[^"*?<>/|\\:]+$')
"""spaces.json ``SpaceCreate.name`` pattern."""

ContentSource = Callable[[str, str], list[SpaceContent]]
"""(tenant id, space id) -> what that service holds in the space."""

_OWNER_ACTIONS = ["create", "read", "update", "delete", "publish"]
"""spaces.json's ``ActionName`` also has change_owner, link_environment and restrict; which actions a caller is
shown is not specified, and qlik-sdk 0.17.0 cannot parse those three: the emulator shows this subset."""
_CREATING_ROLES = {"codeveloper", "contributor", "producer", "publisher", "operator"}


class Spaces(Domain):
    """Every tenant's spaces and their assignments."""

    def __init__(self, world: World, users: Users, groups: Groups) -> None:
        super().__init__(world)
        self._users = users
        self._groups = groups
        self._spaces: dict[str, Space] = {}
        self._assignments: dict[str, Assignment] = {}
        self._content_sources: list[ContentSource] = []
        users.on_delete(self._forget_user)
        groups.on_delete(self._forget_group)

    # --- state and hooks -------------------------------------------------------------------------------

    def to_state(self) -> dict[str, Any]:
        return {
            "spaces": [s.to_state() for s in self._spaces.values()],
            "spaceAssignments": [a.to_state() for a in self._assignments.values()],
        }

    def load_state(self, data: dict[str, Any]) -> None:
        self._spaces = {s.id: s for s in map(Space.from_state, data.get("spaces", []))}
        self._assignments = {a.id: a for a in map(Assignment.from_state, data.get("spaceAssignments", []))}

    def add_content_source(self, source: ContentSource) -> None:
        """Another service (apps, items, ...) tells what it keeps in a space; a space with content is not
        deleted (412)."""
        self._content_sources.append(source)

    def remove_content_source(self, source: ContentSource) -> None:
        self._content_sources.remove(source)

    def forget_tenant(self, tenant: Tenant) -> None:
        for space_id in [s.id for s in self._spaces.values() if s.tenant_id == tenant.id]:
            self._drop_space(space_id)

    def _forget_user(self, user: User) -> None:
        self._drop_assignments(lambda a: a.type == "user" and a.assignee_id == user.id)

    def _forget_group(self, group: Group) -> None:
        self._drop_assignments(lambda a: a.type == "group" and a.assignee_id == group.id)

    def _drop_assignments(self, which: Callable[[Assignment], bool]) -> None:
        for assignment_id in [a.id for a in self._assignments.values() if which(a)]:
            del self._assignments[assignment_id]

    def _drop_space(self, space_id: str) -> None:
        self._drop_assignments(lambda a: a.space_id == space_id)
        del self._spaces[space_id]

    # --- who sees what ---------------------------------------------------------------------------------

    def _is_admin(self, user: User) -> bool:
        return TENANT_ADMIN in self._users.effective_roles(user)

    def _roles_in(self, user: User, space: Space) -> list[str]:
        if space.owner_id == user.id:
            return list(ASSIGNABLE_ROLES[space.type])
        roles: list[str] = []
        for a in self._assignments.values():
            mine = (a.type == "user" and a.assignee_id == user.id) or (
                a.type == "group" and a.assignee_id in user.group_ids
            )
            if a.space_id == space.id and mine:
                roles += [r for r in a.roles if r not in roles]
        return roles

    def _view(self, user: User, space: Space) -> SpaceView | None:
        """The space as ``user`` sees it, or None when the user may not see it."""
        roles = self._roles_in(user, space)
        if self._is_admin(user) or space.owner_id == user.id:
            return SpaceView(space, roles, list(_OWNER_ACTIONS))
        if not roles:
            return None
        actions = ["read", *(["create"] if _CREATING_ROLES & set(roles) else [])]
        return SpaceView(space, roles, actions)

    def _visible(self, principal: Principal, space_id: str) -> tuple[User, SpaceView]:
        tenant = require_tenant_host(principal)
        user = self._users.user_of(principal)
        space = self._spaces.get(space_id)
        view = self._view(user, space) if space is not None and space.tenant_id == tenant.id else None
        if view is None:
            raise exceptions.SpaceNotFound(f"space {space_id} not found or access denied")
        return user, view

    def _manageable(self, principal: Principal, space_id: str) -> tuple[User, Space]:
        user, view = self._visible(principal, space_id)
        if not (self._is_admin(user) or view.space.owner_id == user.id):
            raise exceptions.SpaceForbidden("only a TenantAdmin or the space's owner may change it")
        return user, view.space

    def exists(self, tenant_id: str, space_id: str) -> bool:
        space = self._spaces.get(space_id)
        return space is not None and space.tenant_id == tenant_id

    @locked
    def can_see(self, principal: Principal, space_id: str) -> bool:
        """Whether the caller sees the space (for the services that keep content in spaces)."""
        try:
            self._visible(principal, space_id)
        except exceptions.SpaceNotFound:
            return False
        return True

    # --- spaces ----------------------------------------------------------------------------------------

    def _of(self, tenant_id: str) -> list[Space]:
        return [s for s in self._spaces.values() if s.tenant_id == tenant_id]

    def _check_unique(self, tenant_id: str, name: str, pointer: str, space_id: str | None = None) -> None:
        clash = next((s for s in self._of(tenant_id) if s.name == name and s.id != space_id), None)
        if clash is not None:
            raise exceptions.SpaceConflict(
                f"a space named {name!r} already exists (id {clash.id}); space names must be unique",
                pointer=pointer,
            )

    @locked
    def listing(self, principal: Principal) -> list[SpaceView]:
        """The spaces the caller sees (unsorted, unfiltered)."""
        tenant = require_tenant_host(principal)
        user = self._users.user_of(principal)
        views = (self._view(user, s) for s in self._of(tenant.id))
        return [v for v in views if v is not None]

    @locked
    def get(self, principal: Principal, space_id: str) -> SpaceView:
        return self._visible(principal, space_id)[1]

    @locked
    def create(self, principal: Principal, body: Any) -> SpaceView:
        tenant = require_tenant_host(principal)
        user = self._users.user_of(principal)
        if not isinstance(body, dict):
            raise exceptions.SpaceBadRequest("request body must be a JSON object")
        space_type = body.get("type")
        if space_type not in SPACE_TYPES:
            raise exceptions.SpaceBadRequest(f"type must be one of {', '.join(SPACE_TYPES)}", pointer="/type")
        allowed = self._is_admin(user) or CREATOR_ROLE[space_type] in self._users.effective_roles(user)
        if not allowed:
            raise exceptions.SpaceForbidden(
                f"creating a {space_type} space requires TenantAdmin or {CREATOR_ROLE[space_type]}"
            )
        name = _check_name(body.get("name"), "/name")
        description = _check_description(body.get("description"), "/description")
        self._check_unique(tenant.id, name, "/name")
        now = self.now()
        space = Space(
            id=self.world.ids.hex(24),
            tenant_id=tenant.id,
            name=name,
            type=space_type,
            owner_id=user.id,
            created_by=user.id,
            created=now,
            updated=now,
            description=description or "",
        )
        self._spaces[space.id] = space
        self.world.changed()
        view = self._view(user, space)
        assert view is not None  # the owner always sees it
        return view

    @locked
    def patch(self, principal: Principal, space_id: str, body: Any) -> SpaceView:
        """``SpacePatch``: replace of /name, /description, /ownerId; all or nothing."""
        user, space = self._manageable(principal, space_id)
        if not isinstance(body, list) or not body:
            raise exceptions.SpaceBadRequest("body must be a non-empty array of JSON Patch operations")
        changes: dict[str, Any] = {}
        for index, operation in enumerate(body):
            where = f"/{index}"
            if not isinstance(operation, dict):
                raise exceptions.SpaceBadRequest("each operation must be an object", pointer=where)
            op, path, value = operation.get("op"), operation.get("path"), operation.get("value")
            if op != "replace" or path not in ("/name", "/description", "/ownerId"):
                raise exceptions.SpaceBadRequest(
                    f"{op!r} of {path!r} is not supported: replace /name, /description or /ownerId",
                    pointer=where,
                )
            changes[path.lstrip("/")] = value
        return self._apply(user, space, changes, "/{index}/value")

    @locked
    def update(self, principal: Principal, space_id: str, body: Any) -> SpaceView:
        """``PUT`` (``SpaceUpdate``): ``name`` required, ``description`` absent = cleared, ``ownerId`` absent =
        kept."""
        user, space = self._manageable(principal, space_id)
        if not isinstance(body, dict):
            raise exceptions.SpaceBadRequest("request body must be a JSON object")
        changes: dict[str, Any] = {"name": body.get("name"), "description": body.get("description", "")}
        if "ownerId" in body:
            changes["ownerId"] = body["ownerId"]
        return self._apply(user, space, changes, "/{field}")

    def _apply(self, user: User, space: Space, changes: dict[str, Any], pointer: str) -> SpaceView:
        name, description, owner_id = space.name, space.description, space.owner_id
        for key, value in changes.items():
            where = pointer.format(index=list(changes).index(key), field=key)
            if key == "name":
                name = _check_name(value, where)
                self._check_unique(space.tenant_id, name, where, space.id)
            elif key == "description":
                description = _check_description(value, where) or ""
            else:
                owner = self._users_on(space.tenant_id).get(value) if isinstance(value, str) else None
                if owner is None:
                    raise exceptions.SpaceBadRequest(
                        "ownerId must be the id of a user of this tenant", pointer=where
                    )
                owner_id = owner.id
        space.name, space.description, space.owner_id = name, description, owner_id
        space.updated = self.now()
        self.world.changed()
        view = self._view(user, space)
        return view if view is not None else SpaceView(space, [], [])

    def _users_on(self, tenant_id: str) -> dict[str, User]:
        return {u.id: u for u in self._users.on_tenant(tenant_id)}

    @locked
    def delete(self, principal: Principal, space_id: str) -> None:
        _, space = self._manageable(principal, space_id)
        content = [item for source in self._content_sources for item in source(space.tenant_id, space.id)]
        if content:
            shown = ", ".join(f"{c.resource_type} {c.name!r} ({c.id})" for c in content[:10])
            more = f" and {len(content) - 10} more" if len(content) > 10 else ""
            raise exceptions.SpaceNotEmpty(
                f"space {space.name!r} is not empty: it holds {len(content)} item(s): {shown}{more}."
                " Move or delete them first, then delete the space.",
                meta={"content": [c.to_json() for c in content]},
            )
        self._drop_space(space.id)
        self.world.changed()

    # --- assignments -----------------------------------------------------------------------------------

    def _assignments_of(self, space_id: str) -> list[Assignment]:
        return sorted(
            (a for a in self._assignments.values() if a.space_id == space_id), key=lambda a: a.created
        )

    def _assignment(self, space: Space, assignment_id: str) -> Assignment:
        assignment = self._assignments.get(assignment_id)
        if assignment is None or assignment.space_id != space.id:
            raise exceptions.AssignmentNotFound(f"assignment {assignment_id} not found in space {space.id}")
        return assignment

    @locked
    def assignments(
        self, principal: Principal, space_id: str, assignee_type: str | None, assignee_id: str | None
    ) -> list[Assignment]:
        _, view = self._visible(principal, space_id)
        return [
            a
            for a in self._assignments_of(view.space.id)
            if (assignee_type is None or a.type == assignee_type)
            and (assignee_id is None or a.assignee_id == assignee_id)
        ]

    @locked
    def assignment(self, principal: Principal, space_id: str, assignment_id: str) -> Assignment:
        _, view = self._visible(principal, space_id)
        return self._assignment(view.space, assignment_id)

    @locked
    def assign(self, principal: Principal, space_id: str, body: Any) -> Assignment:
        """``AssignmentCreate``; one assignment per space per user or group (409)."""
        user, space = self._manageable(principal, space_id)
        if not isinstance(body, dict):
            raise exceptions.SpaceBadRequest("request body must be a JSON object")
        assignee_type = body.get("type")
        if assignee_type not in ("user", "group"):
            raise exceptions.SpaceBadRequest('type must be "user" or "group"', pointer="/type")
        assignee_id = body.get("assigneeId")
        known = (
            isinstance(assignee_id, str) and assignee_id in self._users_on(space.tenant_id)
            if assignee_type == "user"
            else isinstance(assignee_id, str) and self._groups.exists(space.tenant_id, assignee_id)
        )
        if not known:
            raise exceptions.SpaceBadRequest(
                f"assigneeId must be the id of a {assignee_type} of this tenant", pointer="/assigneeId"
            )
        roles = _check_roles(space, body.get("roles"), "/roles")
        clash = next((a for a in self._assignments_of(space.id) if a.assignee_id == assignee_id), None)
        if clash is not None:
            raise exceptions.SpaceConflict(
                f"{assignee_type} {assignee_id} is already assigned to this space (assignment {clash.id})",
                pointer="/assigneeId",
            )
        now = self.now()
        assignment = Assignment(
            id=self.world.ids.hex(24),
            space_id=space.id,
            tenant_id=space.tenant_id,
            type=assignee_type,
            assignee_id=str(assignee_id),
            roles=roles,
            created_by=user.id,
            created=now,
            updated=now,
            updated_by=user.id,
        )
        self._assignments[assignment.id] = assignment
        self.world.changed()
        return assignment

    @locked
    def update_assignment(
        self, principal: Principal, space_id: str, assignment_id: str, body: Any
    ) -> Assignment:
        """``AssignmentUpdate``: the complete list of roles."""
        user, space = self._manageable(principal, space_id)
        assignment = self._assignment(space, assignment_id)
        if not isinstance(body, dict):
            raise exceptions.SpaceBadRequest("request body must be a JSON object")
        assignment.roles = _check_roles(space, body.get("roles"), "/roles")
        assignment.updated = self.now()
        assignment.updated_by = user.id
        self.world.changed()
        return assignment

    @locked
    def unassign(self, principal: Principal, space_id: str, assignment_id: str) -> None:
        _, space = self._manageable(principal, space_id)
        del self._assignments[self._assignment(space, assignment_id).id]
        self.world.changed()

    # --- control plane ---------------------------------------------------------------------------------

    @locked
    def on_tenant(self, tenant_id: str) -> list[Space]:
        return sorted(self._of(tenant_id), key=lambda s: s.created)


def _check_name(value: Any, pointer: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise exceptions.SpaceBadRequest("name is required (a non-empty string)", pointer=pointer)
    if len(value) > MAX_NAME:
        raise exceptions.SpaceBadRequest(f"name is longer than {MAX_NAME} characters", pointer=pointer)
    if not _NAME_RE.match(value):
        raise exceptions.SpaceBadRequest('name must not contain any of " * ? < > / | \\ :', pointer=pointer)
    return value


def _check_description(value: Any, pointer: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise exceptions.SpaceBadRequest("description must be a string", pointer=pointer)
    return value


def _check_roles(space: Space, value: Any, pointer: str) -> list[str]:
    allowed = ASSIGNABLE_ROLES[space.type]
    if not isinstance(value, list) or not value or not all(isinstance(r, str) for r in value):
        raise exceptions.SpaceBadRequest(
            f"roles must be a non-empty list; a {space.type} space assigns: {', '.join(allowed)}",
            pointer=pointer,
        )
    for index, role in enumerate(value):
        if role not in allowed:
            raise exceptions.SpaceBadRequest(
                f"role {role!r} cannot be assigned in a {space.type} space; it assigns: {', '.join(allowed)}",
                pointer=f"{pointer}/{index}",
            )
    return list(dict.fromkeys(value))
