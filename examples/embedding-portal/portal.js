// A customer portal embedding Qlik Cloud, as qlik.dev's "Implement JWT Authorization" shows it:
// 1. the portal's backend signs a JWT for the signed-in person (here: GET /portal-config returns one);
// 2. the page POSTs it to the tenant's /login/jwt-session with the web integration id: Qlik answers with
//    session cookies, which the browser keeps for the tenant (credentials: "include");
// 3. it reads the session's CSRF token (GET /api/v1/csrf-token): writes send it as qlik-csrf-token;
// 4. it calls the REST API as that person (the spaces they see) and does one write (a personal app);
// 5. it frames the app's page (/single/?appid=...), which the tenant lets it frame only when the portal's
//    origin is one of the tenant's CSP origins with frame-ancestors.
// Every step's outcome is written to the page (data-state), so a test can read it from the DOM.

function show(id, state, text) {
  const element = document.getElementById(id);
  element.dataset.state = state;
  element.textContent = text;
}

async function qlik(config, path, options = {}) {
  const separator = path.includes("?") ? "&" : "?";
  const url = `https://${config.tenant}${path}${separator}qlik-web-integration-id=${config.webIntegrationId}`;
  const headers = { "qlik-web-integration-id": config.webIntegrationId, ...(options.headers || {}) };
  const response = await fetch(url, { ...options, headers, mode: "cors", credentials: "include" });
  if (!response.ok) throw new Error(`${options.method || "GET"} ${path}: HTTP ${response.status}`);
  return response;
}

async function logIn(config) {
  try {
    await qlik(config, "/login/jwt-session", {
      method: "POST",
      headers: { Authorization: `Bearer ${config.token}` },
    });
  } catch (error) {
    show("login", "failed", `Login failed: ${error}`);
    console.error(`portal: login failed: ${error}`);
    return false;
  }
  show("login", "ok", `Logged in to ${config.tenant}`);
  return true;
}

async function useSession(config) {
  const csrfToken = (await qlik(config, "/api/v1/csrf-token")).headers.get("qlik-csrf-token");
  const spaces = (await (await qlik(config, "/api/v1/spaces")).json()).data;
  const list = document.getElementById("spaces");
  list.replaceChildren(...spaces.map((space) => {
    const item = document.createElement("li");
    item.textContent = `${space.name} (${space.type})`;
    item.dataset.name = space.name;
    return item;
  }));
  list.dataset.state = "ok";
  const created = await qlik(config, "/api/v1/apps", {
    method: "POST",
    headers: { "content-type": "application/json", "qlik-csrf-token": csrfToken },
    body: JSON.stringify({ attributes: { name: "My notes" } }),
  });
  show("csrf", "ok", `Write with the CSRF token: HTTP ${created.status}`);
}

function frameApp(config) {
  const tenantOrigin = `https://${config.tenant}`;
  window.addEventListener("message", (event) => {
    if (event.origin !== tenantOrigin || event.data.type !== "qlik-single") return;
    const text = event.data.state === "loaded"
      ? `Showing ${event.data.appName} to ${event.data.userName}`
      : `The app page says: ${event.data.state}`;
    show("frame-status", event.data.state, text);
  });
  const frame = document.createElement("iframe");
  frame.title = "Qlik Sense app";
  frame.addEventListener("load", () => { frame.dataset.loadEvent = "fired"; });
  frame.src = `${tenantOrigin}/single/?appid=${config.appId}&obj=${config.objectId}&opt=ctxmenu,currsel`
    + `&qlik-web-integration-id=${config.webIntegrationId}`;
  document.getElementById("frame").appendChild(frame);
}

(async () => {
  document.getElementById("origin").textContent = `Served from ${window.location.origin}`;
  const config = await (await fetch("/portal-config")).json();
  if (await logIn(config)) {
    try {
      await useSession(config);
    } catch (error) {
      show("csrf", "failed", `${error}`);
      console.error(`portal: ${error}`);
    }
  }
  frameApp(config);
  document.body.dataset.done = "true";
})();
