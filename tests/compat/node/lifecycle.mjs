// Drives Qlik's own @qlik/api (unpatched) through the tenant lifecycle against the pulumi-qlik emulator.
// Input: the emulator's world JSON in $EMULATOR_WORLD. Output: one JSON line with what each step saw.
// @qlik/api cannot set a Host header, so every virtual host is reached by path-prefix addressing:
// <emulator url>/_host/<virtual host>.
import { licenses, tenants, users } from "@qlik/api";

const world = JSON.parse(process.env.EMULATOR_WORLD);
const us = world.regions.us;

function hostConfig(virtualHost) {
  return {
    authType: "oauth2",
    host: `${world.url}/_host/${virtualHost}`,
    clientId: us.client_id,
    clientSecret: us.client_secret,
  };
}

const fresh = (virtualHost) => ({ hostConfig: hostConfig(virtualHost), noCache: true });
const seen = {};

const overview = await licenses.getLicenseOverview(fresh(us.source_tenant));
seen.overview = { status: overview.status, licenseNumber: overview.data.licenseNumber, licenseStatus: overview.data.status };

const created = await tenants.createTenant({ licenseKey: overview.data.licenseKey }, fresh(us.register_host));
const tenant = created.data;
const hostname = tenant.hostnames[0];
seen.create = { status: created.status, id: tenant.id, name: tenant.name, hostnames: tenant.hostnames };

const me = await users.getMyUser(fresh(hostname));
seen.me = { status: me.status, tenantId: me.data.tenantId, subject: me.data.subject };

const myTenant = await tenants.getMyTenant(fresh(hostname));
seen.myTenant = { status: myTenant.status, id: myTenant.data.id };

const patched = await tenants.patchTenant(
  tenant.id,
  [
    { op: "replace", path: "/name", value: "Made by @qlik/api" },
    { op: "replace", path: "/hostnames/1", value: "node-alias" },
  ],
  fresh(hostname),
);
seen.patch = { status: patched.status };

const got = await tenants.getTenant(tenant.id, fresh(hostname));
seen.get = { status: got.status, name: got.data.name, hostnames: got.data.hostnames };

const deactivated = await tenants.deactivateTenant(
  tenant.id,
  { purgeAfterDays: 10 },
  { ...fresh(us.register_host), headers: { "qlik-confirm-hostname": hostname } },
);
seen.deactivate = { status: deactivated.status, body: deactivated.data };

try {
  // hostConfig.noCache: @qlik/api caches a failed token fetch per client id; keep this expected failure
  // (the disabled tenant refuses the token too) out of the token cache the next steps share.
  await users.getMyUser({ hostConfig: { ...hostConfig(hostname), noCache: true }, noCache: true });
  seen.whileDisabled = { status: "no error" };
} catch (error) {
  seen.whileDisabled = { status: error.status ?? String(error), errors: error.data?.errors ?? error.errors ?? null };
}

const reactivated = await tenants.reactivateTenant(tenant.id, {}, {
  ...fresh(us.register_host),
  headers: { "qlik-confirm-hostname": hostname },
});
seen.reactivate = { status: reactivated.status, tenantStatus: reactivated.data.status };

const again = await users.getMyUser(fresh(hostname));
seen.meAgain = { status: again.status, tenantId: again.data.tenantId };

// The Users API: the tenant's first interactive admin, as QlikUser manages it.
const tenantHost = fresh(hostname);
const admin = await users.createUser(
  { email: "it@customer-a.example", name: "Customer A IT", subject: "it@customer-a.example", status: "invited",
    assignedRoles: [{ name: "TenantAdmin" }] },
  tenantHost,
);
seen.createUser = { status: admin.status, id: admin.data.id, userStatus: admin.data.status,
  roles: admin.data.assignedRoles.map((r) => r.name) };
try {
  await users.createUser({ email: "IT@customer-a.example", subject: "someone-else" }, tenantHost);
  seen.duplicate = { status: "no error" };
} catch (error) {
  seen.duplicate = { status: error.status };
}
const invited = await users.inviteUsers({ invitees: [{ email: "it@customer-a.example", resend: true }] }, tenantHost);
seen.invite = { status: invited.status, data: invited.data.data };
const byEmail = await users.getUsers({ filter: 'email eq "it@customer-a.example"' }, tenantHost);
seen.byEmail = { status: byEmail.status, ids: byEmail.data.data.map((u) => u.id) };
const firstPage = await users.getUsers({ limit: 1, sort: "+name" }, tenantHost);
const secondPage = firstPage.next ? await firstPage.next() : null;
seen.paging = { first: firstPage.data.data.map((u) => u.name), second: secondPage?.data.data.map((u) => u.name) ?? null };
const patchedUser = await users.patchUser(
  admin.data.id,
  [{ op: "replace", path: "/name", value: "IT Admins" },
   { op: "replace", path: "/assignedRoles", value: [{ name: "TenantAdmin" }, { name: "AnalyticsAdmin" }] }],
  tenantHost,
);
const gotUser = await users.getUser(admin.data.id, {}, tenantHost);
seen.patchUser = { status: patchedUser.status, name: gotUser.data.name, roles: gotUser.data.assignedRoles.map((r) => r.name) };
const counted = await users.countUsers({}, tenantHost);
seen.count = { status: counted.status, total: counted.data.total };
const deleted = await users.deleteUser(admin.data.id, tenantHost);
try {
  await users.getUser(admin.data.id, {}, tenantHost);
  seen.deleteUser = { status: deleted.status, after: "still there" };
} catch (error) {
  seen.deleteUser = { status: deleted.status, after: error.status, code: error.data?.errors?.[0]?.code };
}

console.log(JSON.stringify(seen));
