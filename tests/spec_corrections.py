"""Where Qlik's specs are wrong: the changes the spec judge (``tests/spec_judge.py``) makes to its loaded copy.

Each :class:`Correction` changes one node of one spec file's copy (never the files) and says why; each is a
row of the fidelity table in docs/emulator.md ("spec wrong").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.spec_judge_services import SERVICE_CORRECTIONS


@dataclass(frozen=True)
class Correction:
    """One change to the loaded copy of a spec where the spec is wrong; the reason goes in the fidelity table."""

    api: str
    pointer: tuple[str, ...]
    change: Callable[[dict[str, Any]], None]
    reason: str


def _drop_key(key: str) -> Callable[[dict[str, Any]], None]:
    return lambda node: node.pop(key)


def _set(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    return lambda node: node.__setitem__(key, value)


def _declare(status: str, description: str, errors: str = "Errors") -> Callable[[dict[str, Any]], None]:
    """Add an error answer (the API's error body, ``Errors`` unless named) to an operation's ``responses``."""
    answer = {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{errors}"}}},
    }
    return lambda responses: responses.setdefault(status, answer)


def _declare_app_errors(*statuses: str) -> Callable[[dict[str, Any]], None]:
    """Add error answers with the apps API's own error body (``ErrorV2``) to an operation's ``responses``."""
    changes = [_declare(status, "Error", errors="ErrorV2") for status in statuses]

    def change(responses: dict[str, Any]) -> None:
        for declare in changes:
            declare(responses)

    return change


_ITEMS_ENUMS = {
    "spaceTypeEnum": ["shared", "managed", "personal", "data"],
    "itemResourceTypeEnum": [
        "app", "qlikview", "qvapp", "genericlink", "sharingservicetask", "note", "dataasset", "dataset",
        "automation", "automl-experiment", "automl-deployment", "assistant", "dataproduct",
        "dataqualityrule", "glossary", "knowledgebase", "script", "semantictype", "page",
    ],
}  # fmt: skip
"""The items spec's enums (components/schemas), for the comma-list corrections below."""


def _comma_list_of(enum: str, *, subtypes: bool) -> Callable[[dict[str, Any]], None]:
    """A query parameter declared as one enum value, read as a comma-separated list of them."""
    one = "(" + "|".join(_ITEMS_ENUMS[enum]) + ")" + (r"(\[[^\]]*\])?" if subtypes else "")
    return lambda parameter: parameter.__setitem__(
        "schema", {"type": "string", "pattern": f"^{one}(,{one})*$"}
    )


def _path_parameter(node: dict[str, Any]) -> None:
    node.update({"in": "path", "required": True})


_APPS_ERRORS = "The apps spec declares only the success of most app operations (POST /apps: 200 alone), yet a request can be malformed (400), refused (403: a managed space, an app not yet accessible after publishing), or name a missing space or app (404). The emulator answers them with the apps API's own error body, ErrorV2 (the one the spec declares, on GET /api/analytics/odag-apps)."

CORRECTIONS: tuple[Correction, ...] = (
    Correction(
        "invite",
        ("components", "schemas", "InviteErrorItem", "allOf", "1", "properties", "code"),
        _drop_key("type"),
        "InviteErrorItem is allOf ErrorItem (code: integer) and an object whose code is a string: no value "
        "is both, so no error item could ever be valid. The integer wins (ErrorItem, and the codes the "
        "description lists: the HTTP status, 1001, 1002, 1003).",
    ),
    Correction(
        "invite",
        ("components", "schemas", "ResultItem", "properties", "subject"),
        _drop_key("format"),
        'ResultItem.subject is declared a UUID ("IdP generated UUID"), true of a user the invite creates;'
        " an invitee who already exists (status exists) keeps the subject it was created with, any string"
        " (UserPostSchema's example is foo\\12345).",
    ),
    Correction(
        "users",
        ("paths", "/api/v1/users/{userId}", "patch", "responses", "204"),
        _drop_key("content"),
        "A 204 has no content (RFC 9110 15.3.5); the spec declares an empty application/json media type on it.",
    ),
    Correction(
        "users",
        ("paths", "/api/v1/users/{userId}", "delete", "responses", "204"),
        _drop_key("content"),
        "As PATCH's 204.",
    ),
    Correction(
        "tenants",
        ("components", "schemas", "Tenant", "properties", "created"),
        _set("format", "date-time"),
        "Tenant.created is declared `format: date` but described as a timestamp "
        "(1970-01-01T00:00:00.001Z for static tenants), which is what Qlik's tutorial shows.",
    ),
    Correction(
        "tenants",
        ("components", "schemas", "Tenant", "properties", "lastUpdated"),
        _set("format", "date-time"),
        "Tenant.lastUpdated: as Tenant.created.",
    ),
    Correction(
        "idp",
        ("components", "schemas", "IDP", "discriminator"),
        _set(
            "mapping",
            {
                "OIDC": "#/components/schemas/IDPOIDC",
                "SAML": "#/components/schemas/IDPSAML",
                "jwtAuth": "#/components/schemas/IDPJWTAuth",
            },
        ),
        "IDP's discriminator on `protocol` has no mapping, and its values (OIDC, SAML, jwtAuth) are not the"
        " names of the schemas (IDPOIDC, IDPSAML, IDPJWTAuth): no IdP could be validated. The mapping its"
        " oneOf means is added.",
    ),
    Correction(
        "idp",
        ("paths", "/api/v1/identity-providers/{id}", "get", "responses"),
        _declare("403", "Forbidden"),
        'GET of one IdP is described "Requesting user must be assigned the TenantAdmin role" but declares no'
        " 403; POST and PATCH declare 403 for that same rule, and the emulator answers a non-admin alike.",
    ),
    Correction(
        "idp",
        ("paths", "/api/v1/identity-providers/{id}", "delete", "responses"),
        _declare("403", "Forbidden"),
        "As GET: DELETE is described TenantAdmin-only and declares no 403.",
    ),
    Correction(
        "groups",
        ("paths", "/api/v1/groups/{groupId}", "delete", "responses"),
        _declare("403", "Forbidden from deleting a group."),
        "DELETE declares no 403 while GET and PATCH of the same group do (Forbidden from patching a group):"
        " a caller without TenantAdmin is refused the delete the same way.",
    ),
    Correction(
        "spaces",
        ("paths", "/api/v1/spaces", "post", "responses"),
        _declare("400", "Bad request"),
        "POST /spaces declares no 400 for an invalid body (a name outside its pattern, a type outside its enum),"
        " while GET /spaces declares 400 Bad request: the emulator refuses an invalid space with 400.",
    ),
    Correction(
        "spaces",
        ("paths", "/api/v1/spaces/{spaceId}", "patch", "responses"),
        _declare("400", "Bad request"),
        "As POST: an invalid patch (an unknown path, a name outside the pattern) is a 400.",
    ),
    Correction(
        "spaces",
        ("paths", "/api/v1/spaces/{spaceId}", "patch", "responses"),
        _declare("409", "Space already exists. `name` must be unique."),
        'Renaming a space to a taken name breaks the rule POST\'s 409 states ("`name` must be unique").'
        " PATCH declares no answer for it; the emulator gives POST's.",
    ),
    Correction(
        "spaces",
        ("paths", "/api/v1/spaces/{spaceId}", "put", "responses"),
        _declare("400", "Bad request"),
        "As PATCH.",
    ),
    Correction(
        "spaces",
        ("paths", "/api/v1/spaces/{spaceId}", "put", "responses"),
        _declare("409", "Space already exists. `name` must be unique."),
        "As PATCH.",
    ),
    Correction(
        "assignments",
        ("paths", "/api/v1/spaces/{spaceId}/assignments", "post", "responses"),
        _declare("400", "Bad request"),
        "An assignment whose roles are not among the space type's assignable roles (RoleType: Supported roles"
        " by space type) or whose assignee does not exist is invalid; the operation declares no answer for"
        " it: the emulator gives 400.",
    ),
    Correction(
        "assignments",
        ("paths", "/api/v1/spaces/{spaceId}/assignments/{assignmentId}", "put", "responses"),
        _declare("400", "Bad request"),
        "As POST: roles outside the space type's, or an empty list (Assignment.roles: Must not be empty).",
    ),
    Correction(
        "apps",
        ("components", "schemas", "UsageEnum"),
        lambda node: (
            node.pop("oneOf"),
            node.__setitem__(
                "enum",
                ["ANALYTICS", "DATA_PREPARATION", "DATAFLOW_PREP", "SINGLE_TABLE_PREP", "DIRECT_QUERY_MODE"],
            ),
        ),
        "UsageEnum is a string whose oneOf branches carry only a title (ANALYTICS, DATA_PREPARATION, ...) and"
        " no constraint: every string matches all five branches, so no app validates. The enum of the titles"
        " is what the oneOf means (the POST /apps example sends usage ANALYTICS).",
    ),
    Correction(
        "apps",
        ("components", "schemas", "NxAttributes", "properties", "publishTime"),
        lambda node: (
            node.pop("format"),
            node.__setitem__("anyOf", [{"format": "date-time"}, {"maxLength": 0}]),
        ),
        'NxAttributes.publishTime is "empty if unpublished" ("check for a non-empty value in the publishTime'
        ' field") but declared format: date-time, which the empty string is not: a date-time or "".',
    ),
    Correction(
        "apps",
        ("paths", "/api/v1/apps/{appId}/reloads/metadata/{reloadId}", "get", "parameters", "3"),
        _path_parameter,
        "The path has {reloadId} but declares reloadId `in: query`: the file is not valid OpenAPI (a path"
        " template parameter must be declared in: path, required). The path parameter is what the path means.",
    ),
    Correction(
        "apps",
        ("paths", "/api/v1/apps", "post", "responses"),
        _declare_app_errors("400", "403", "404"),
        _APPS_ERRORS,
    ),
    Correction(
        "apps",
        ("paths", "/api/v1/apps/import", "post", "responses"),
        _declare_app_errors("400", "403"),
        "As POST /apps: a file that is not an app, mode AUTOREPLACE (the spec: internal only) or a bad query"
        " is 400; importing into a managed space is 403.",
    ),
    Correction(
        "apps",
        ("paths", "/api/v1/apps/{appId}", "get", "responses"),
        _declare_app_errors("403"),
        "As POST /apps: an app the caller cannot see yet (just published) is 403.",
    ),
    Correction(
        "apps",
        ("paths", "/api/v1/apps/{appId}", "put", "responses"),
        _declare_app_errors("400", "403"),
        "As POST /apps.",
    ),
    Correction(
        "apps",
        ("paths", "/api/v1/apps/{appId}", "delete", "responses"),
        _declare_app_errors("403"),
        "As POST /apps.",
    ),
    Correction(
        "apps",
        ("paths", "/api/v1/apps/{appId}/export", "post", "responses"),
        _declare_app_errors("413"),
        "The export declares 400/403/404 with no body and no answer for an app over the export size limit;"
        " the emulator answers 413 (its choice, docs/emulator.md) with the apps API's error body.",
    ),
    Correction(
        "apps",
        ("paths", "/api/v1/apps/{appId}/publish", "post", "responses"),
        _declare_app_errors("400", "403", "409"),
        "As POST /apps; publishing again to a space that holds a copy is 409 (republish with PUT instead).",
    ),
    Correction(
        "apps",
        ("paths", "/api/v1/apps/{appId}/publish", "put", "responses"),
        _declare_app_errors("400", "403"),
        "As POST /apps: a targetId that is no published copy of the app is 400.",
    ),
    Correction(
        "temporary-contents",
        ("paths", "/api/v1/temp-contents/{id}", "get", "responses", "200", "content", "*/*"),
        _drop_key("schema"),
        "The download answers the stored file's bytes (any media type, */*) but declares them `type: object`:"
        " a file is no JSON object. In OpenAPI 3.1+ binary content is a media type without a schema.",
    ),
    Correction(
        "users",
        ("components", "schemas", "JSONPatch", "properties", "value"),
        lambda node: node.__setitem__("anyOf", node.pop("oneOf")),
        "JSONPatch.value is oneOf string, boolean, array, RefIDs, RefNames, AssignedGroupsRefNames: a list of"
        " roles ([{name}]) is both an array and RefNames, so no role patch (the spec's own example) could be"
        " valid. anyOf is what the list means.",
    ),
    Correction(
        "idp",
        ("components", "schemas", "IDPPostSchema", "discriminator"),
        _set(
            "mapping",
            {
                "OIDC": "#/components/schemas/CreateOIDCPayload",
                "SAML": "#/components/schemas/CreateSAMLPayload",
                "jwtAuth": "#/components/schemas/CreateJWTAuthPayload",
            },
        ),
        "As IDP: IDPPostSchema's discriminator on protocol has no mapping and its values are no schema names,"
        " so no create request (qlik.dev's own example) could be valid. The mapping its oneOf means is added.",
    ),
    Correction(
        "groups",
        ("components", "schemas", "GroupPatch", "properties", "path", "enum"),
        lambda node: node.extend(["/assignedRoles", "/name", "/description"]),
        "GroupPatch.path's enum has assignedRoles, name, description without the JSON Pointer slash, while"
        " the spec's own example patches /assignedRoles: the emulator takes both spellings.",
    ),
    Correction(
        "groups-settings",
        ("components", "schemas", "SettingsPatch", "properties", "path"),
        lambda node: (
            node.pop("enum"),
            node.__setitem__(
                "pattern", "^/(autoCreateGroups|syncIdpGroups|systemGroups/[^/]+/assignedRoles)$"
            ),
        ),
        "SettingsPatch.path's enum lists the template /systemGroups/{id}/assignedRoles literally: no real"
        " group id could match it. A pattern with the id in place of {id} is what it means.",
    ),
    Correction(
        "web-integrations",
        ("components", "schemas", "WebIntegrationPatch", "properties", "value"),
        lambda node: (
            node.pop("type"),
            node.__setitem__("anyOf", [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]),
        ),
        "WebIntegrationPatch.value is declared a string while its path /validOrigins holds a list of origins"
        " (WebIntegration.validOrigins: array of strings): replacing the origins takes an array.",
    ),
    Correction(
        "csp-origins",
        ("paths", "/api/v1/csp-origins/actions/generate-header", "get", "parameters", "0", "schema"),
        _drop_key("enum"),
        "The Accept header is declared an enum of application/json and text/plain, but Accept is content"
        " negotiation (RFC 9110 12.5.1): */* (httpx's and browsers' default) and lists with q-values are"
        " valid. The emulator negotiates and answers 406 when neither type is acceptable.",
    ),
    Correction(
        "idp",
        ("components", "schemas", "IDPPatchSchema"),
        lambda node: node.__setitem__("anyOf", node.pop("oneOf")),
        "IDPPatchSchema is oneOf arrays of PatchOIDCPayload, PatchSAMLPayload, PatchJWTAuthPayload: a JWT"
        " IdP's patch of /description (the only one PatchJWTAuthPayload allows) fits all three, so no patch"
        " could be valid. anyOf is what it means.",
    ),
    Correction(
        "apps",
        ("components", "schemas", "UserPrivileges"),
        lambda node: (
            node.pop("oneOf"),
            node.__setitem__("enum", ["can_create_app", "can_import_app", "can_create_session_app"]),
        ),
        "As UsageEnum: UserPrivileges is a string whose oneOf branches carry only a title (can_create_app,"
        " can_import_app, can_create_session_app), so every string matches all three and none validates;"
        " the enum of the titles is what it means.",
    ),
    Correction(
        "items",
        ("paths", "/api/v1/items", "get", "parameters", "18"),
        _comma_list_of("spaceTypeEnum", subtypes=False),
        'spaceType is declared one spaceTypeEnum value but described "filter items on space type(s). For'
        " example '?spaceType=shared,personal'\": a comma-separated list of the enum's values.",
    ),
    Correction(
        "items",
        ("paths", "/api/v1/items", "get", "parameters", "15"),
        _comma_list_of("itemResourceTypeEnum", subtypes=True),
        'resourceType is declared one itemResourceTypeEnum value but described "filter items by'
        " resourceType(s). For example '?resourceType=app,qvapp'\", each with optional subtypes in brackets"
        " ('app[qvd,chart-monitoring]'): a list of the enum's values.",
    ),
)
CORRECTIONS += tuple(Correction(*correction) for correction in SERVICE_CORRECTIONS)
