// Drives Qlik's own @qlik/api (unpatched) through the content deployment of issue 17 against the emulator:
// create and change an app on the source tenant, export it, download the temporary content, import it on a new
// tenant, publish and republish it, list the managed space's items, reload the published app.
// Input: $EMULATOR_WORLD (the world JSON) and $TARGET_TENANT (a tenant hostname). Output: one JSON line.
import { apps, items, reloads, spaces, tempContents } from "@qlik/api";

const world = JSON.parse(process.env.EMULATOR_WORLD);
const us = world.regions.us;
const target = process.env.TARGET_TENANT;

const fresh = (virtualHost) => ({
  hostConfig: {
    authType: "oauth2",
    host: `${world.url}/_host/${virtualHost}`,
    clientId: us.client_id,
    clientSecret: us.client_secret,
    noCache: true,
  },
  noCache: true,
});
const source = fresh(us.source_tenant);
const customer = fresh(target);
const seen = {};

const sourceDev = (await spaces.createSpace({ name: "Node source dev", type: "shared" }, source)).data.id;
const dev = (await spaces.createSpace({ name: "Dev", type: "shared" }, customer)).data.id;
const analytics = (await spaces.createSpace({ name: "Analytics", type: "managed" }, customer)).data.id;
const created = await apps.createApp({ attributes: { name: "Node app", description: "v1", spaceId: sourceDev } }, source);
const appId = created.data.attributes.id;
seen.create = { status: created.status, name: created.data.attributes.name, inSpace: created.data.attributes.spaceId === sourceDev };
const updated = await apps.updateAppInfo(appId, { attributes: { name: "Node app v2" } }, source);
seen.update = { status: updated.status, name: updated.data.attributes.name, moved: updated.data.attributes.modifiedDate >= created.data.attributes.modifiedDate };

const exported = await apps.exportApp(appId, { NoData: true }, source);
const location = exported.headers.get("location");
seen.export = { status: exported.status, location };
const fileId = location.split("/").pop();
const downloaded = await tempContents.downloadTempFile(fileId, {}, source);
const bytes = downloaded.data instanceof Blob ? new Uint8Array(await downloaded.data.arrayBuffer()) : downloaded.data;
seen.download = { status: downloaded.status, size: bytes.length ?? bytes.byteLength };

const uploaded = await tempContents.uploadTempFile({ filename: "node.qvf" }, new Blob([bytes]), customer);
seen.upload = { status: uploaded.status };
const uploadedId = uploaded.headers.get("location").split("/").pop();
const imported = await apps.importApp({ fileId: uploadedId, spaceId: dev, mode: "NEW" }, undefined, customer);
seen.import = { status: imported.status, name: imported.data.attributes.name, inDev: imported.data.attributes.spaceId === dev };
const importedId = imported.data.attributes.id;

const published = await apps.publishApp(importedId, { spaceId: analytics }, customer);
seen.publish = { status: published.status, origin: published.data.attributes.originAppId === importedId };
const publishedId = published.data.attributes.id;
const republished = await apps.republishApp(importedId, { targetId: publishedId }, customer);
seen.republish = { status: republished.status, sameId: republished.data.attributes.id === publishedId };

const listed = await items.getItems({ resourceType: "app", spaceId: analytics }, customer);
seen.items = { status: listed.status, resourceIds: listed.data.data.map((i) => i.resourceId), origins: listed.data.data.map((i) => i.resourceAttributes.originAppId) };

const reload = await reloads.queueReload({ appId: publishedId }, customer);
seen.reload = { status: reload.status, reloadStatus: reload.data.status };
const reloadAgain = await reloads.getReload(reload.data.id, customer);
seen.getReload = { status: reloadAgain.status, id: reloadAgain.data.id };

const removed = await apps.deleteApp(appId, source);
seen.delete = { status: removed.status };

console.log(JSON.stringify(seen));
