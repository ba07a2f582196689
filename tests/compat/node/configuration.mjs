// Drives Qlik's own @qlik/api (unpatched) through the configuration of a new tenant against the pulumi-qlik
// emulator: groups and settings, license settings, a JWT identity provider, spaces and assignments, a web
// integration, a CSP origin; then logs a person in with a JWT and lists, with @qlik/api's cookie auth, the
// spaces that person sees. Input: $EMULATOR_WORLD (world JSON), $JWT_PUBLIC_PEM, $JWT_TOKEN (signed by the
// test for issuer "portal.example", kid "k1"). Output: one JSON line with what each step saw.
import { cspOrigins, groups, identityProviders, licenses, spaces, tenants, webIntegrations } from "@qlik/api";

const world = JSON.parse(process.env.EMULATOR_WORLD);
const us = world.regions.us;
const prefixed = (virtualHost) => `${world.url}/_host/${virtualHost}`;
const oauth = (virtualHost) => ({
  hostConfig: { authType: "oauth2", host: prefixed(virtualHost), clientId: us.client_id, clientSecret: us.client_secret },
  noCache: true,
});
const seen = {};

const overview = await licenses.getLicenseOverview(oauth(us.source_tenant));
const created = await tenants.createTenant({ licenseKey: overview.data.licenseKey }, oauth(us.register_host));
const hostname = created.data.hostnames[0];
const admin = oauth(hostname);

const customers = await groups.createGroup({ name: "Customers", assignedRoles: [{ name: "Developer" }] }, admin);
await groups.patchGroup(customers.data.id, [{ op: "replace", path: "/description", value: "all customer users" }], admin);
const gotGroup = await groups.getGroup(customers.data.id, admin);
try {
  await groups.createGroup({ name: "Customers" }, admin);
  seen.duplicateGroup = "no error";
} catch (error) {
  seen.duplicateGroup = error.status;
}
await groups.patchGroupsSettings([{ op: "replace", path: "/autoCreateGroups", value: true }], admin);
const groupSettings = await groups.getGroupsSettings(admin);
seen.groups = { status: customers.status, description: gotGroup.data.description, autoCreateGroups: groupSettings.data.autoCreateGroups };

const licenseSettings = await licenses.updateLicenseSettings({ autoAssignProfessional: true }, admin);
seen.licenseSettings = { status: licenseSettings.status, data: licenseSettings.data };

const idp = await identityProviders.createIdp(
  {
    provider: "external",
    protocol: "jwtAuth",
    interactive: false,
    options: { issuer: "portal.example", staticKeys: [{ kid: "k1", pem: process.env.JWT_PUBLIC_PEM }] },
  },
  admin,
);
const idpPatch = await identityProviders.patchIdp(idp.data.id, [{ op: "replace", path: "/description", value: "portal" }], admin);
const gotIdp = await identityProviders.getIdp(idp.data.id, admin);
seen.idp = { status: idp.status, patch: idpPatch.status, description: gotIdp.data.description, issuer: gotIdp.data.options.issuer };

const dev = await spaces.createSpace({ name: "Dev", type: "shared" }, admin);
const analytics = await spaces.createSpace({ name: "Analytics", type: "managed" }, admin);
const assignment = await spaces.createSpaceAssignment(
  analytics.data.id, { type: "group", assigneeId: customers.data.id, roles: ["consumer"] }, admin,
);
const updatedAssignment = await spaces.updateSpaceAssignment(
  analytics.data.id, assignment.data.id, { roles: ["consumer", "contributor"] }, admin,
);
const patchedSpace = await spaces.patchSpace(analytics.data.id, [{ op: "replace", path: "/description", value: "read here" }], admin);
const types = await spaces.getSpaceTypes(admin);
seen.spaces = {
  status: analytics.status, assignment: assignment.status, roles: updatedAssignment.data.roles,
  description: patchedSpace.data.description, types: types.data.data,
  assignable: analytics.data.meta.assignableRoles,
};

const portal = await webIntegrations.createWebIntegration({ name: "Portal", validOrigins: ["https://portal.example"] }, admin);
await webIntegrations.patchWebIntegration(portal.data.id, [{ op: "replace", path: "/name", value: "Portal (prod)" }], admin);
const gotPortal = await webIntegrations.getWebIntegration(portal.data.id, admin);
seen.webIntegration = { status: portal.status, name: gotPortal.data.name, origins: gotPortal.data.validOrigins };

const csp = await cspOrigins.createCSPEntry({ name: "Portal", origin: "https://portal.example", frameAncestors: true }, admin);
const header = await cspOrigins.getCSPHeader(admin);
seen.csp = { status: csp.status, header: header.data["Content-Security-Policy"] };

// A person of the customer logs in from the portal with a JWT, then @qlik/api (cookie auth) acts as them.
const login = await fetch(`${prefixed(hostname)}/login/jwt-session`, {
  method: "POST",
  headers: { Authorization: `Bearer ${process.env.JWT_TOKEN}`, "qlik-web-integration-id": portal.data.id, Origin: "https://portal.example" },
});
const cookie = login.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
const asUser = {
  hostConfig: { authType: "cookie", host: prefixed(hostname), webIntegrationId: portal.data.id },
  headers: { Cookie: cookie },
  noCache: true,
};
const mine = await spaces.getSpaces({}, asUser);
seen.login = {
  status: login.status,
  cookies: login.headers.getSetCookie().map((c) => c.split("=")[0]),
  spaces: mine.data.data.map((s) => s.name),
  roles: mine.data.data.map((s) => s.meta.roles),
  devHidden: !mine.data.data.some((s) => s.id === dev.data.id),
};

await spaces.deleteSpaceAssignment(analytics.data.id, assignment.data.id, admin);
const deletedSpace = await spaces.deleteSpace(analytics.data.id, admin);
const deletedGroup = await groups.deleteGroup(customers.data.id, admin);
const deletedIdp = await identityProviders.deleteIdp(idp.data.id, admin);
seen.deleted = { space: deletedSpace.status, group: deletedGroup.status, idp: deletedIdp.status };

console.log(JSON.stringify(seen));
