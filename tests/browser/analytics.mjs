// The lead event of `[analytics]` in a real browser, against stand-ins for
// the tools served on loopback (never the real ones): a built site is
// served from PUBLIC with the stubs under /stub/, a visitor lands on PAGE,
// fills the form and submits it, and everything the page told the tool is
// recorded. Usage: node analytics.mjs PUBLIC PAGE
// Each stub takes what the page hands the real tool (GA4's dataLayer,
// Plausible's plausible() queue, Matomo's _paq) and posts it to
// /stub/collect as {tool, call}. The form's POST to its backend (another
// host) is answered here, so nothing leaves the machine.
// Prints { calls: [ {tool, call} ], submitted: {url, body}, elsewhere: [url] }.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { join, normalize } from "node:path";
import { launch, report } from "./lib.mjs";

const [publicDir, pagePath] = process.argv.slice(2);

const send = (tool) => `function send(call) {
  navigator.sendBeacon("/stub/collect", JSON.stringify({ tool: "${tool}", call: call }));
}`;
const STUBS = {
  // gtag.js reads the dataLayer queue, then every push after.
  "/stub/gtag.js": `${send("ga4")}
  var dl = window.dataLayer = window.dataLayer || [];
  dl.forEach(function (a) { send(Array.prototype.slice.call(a)); });
  var push = dl.push;
  dl.push = function (a) { send(Array.prototype.slice.call(a)); return push.apply(dl, arguments); };`,
  // Plausible's script replays its queue, then becomes plausible().
  "/stub/plausible.js": `${send("plausible")}
  var q = (window.plausible && window.plausible.q) || [];
  window.plausible = function (name, options) {
    send([name, options && options.props]);
    if (options && options.callback) setTimeout(options.callback, 0);
  };
  q.forEach(function (a) { window.plausible.apply(null, a); });`,
  // matomo.js runs the _paq queue, then every push after.
  "/stub/matomo/matomo.js": `${send("matomo")}
  var paq = window._paq = window._paq || [];
  paq.forEach(function (c) { send(c); });
  paq.push = function (c) { send(c); return 0; };`,
};

const calls = [];
let leadArrived;
const lead = new Promise((resolve) => { leadArrived = resolve; });
const isLead = (c) => JSON.stringify(c.call).match(/generate_lead|"Lead"/);

const server = createServer(async (req, res) => {
  const url = new URL(req.url, "http://127.0.0.1");
  if (req.method === "POST" && url.pathname === "/stub/collect") {
    let body = "";
    for await (const chunk of req) body += chunk;
    const c = JSON.parse(body);
    calls.push(c);
    if (isLead(c)) leadArrived();
    res.writeHead(204).end();
    return;
  }
  if (STUBS[url.pathname]) {
    res.writeHead(200, { "content-type": "text/javascript" }).end(STUBS[url.pathname]);
    return;
  }
  let file = normalize(join(publicDir, decodeURIComponent(url.pathname)));
  if (!file.startsWith(normalize(publicDir))) return res.writeHead(403).end();
  try {
    if ((await stat(file)).isDirectory()) file = join(file, "index.html");
    const type = file.endsWith(".html") ? "text/html" : file.endsWith(".css") ? "text/css" : "image/svg+xml";
    res.writeHead(200, { "content-type": type }).end(await readFile(file));
  } catch {
    res.writeHead(404).end("not found");
  }
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const base = `http://127.0.0.1:${server.address().port}`;

const browser = await launch();
const elsewhere = [];
let submitted = null;
try {
  const context = await browser.newContext();
  // The form's backend is another host: answer it here.
  await context.route((u) => u.hostname !== "127.0.0.1", async (route) => {
    const r = route.request();
    if (r.method() === "POST" && r.isNavigationRequest()) {
      submitted = { url: r.url(), body: r.postData() };
      await route.fulfill({ status: 200, contentType: "text/html", body: "<title>Received</title>" });
    } else {
      elsewhere.push(r.url());
      await route.abort();
    }
  });
  const page = await context.newPage();
  await page.goto(`${base}${pagePath}?utm_source=linkedin&utm_medium=paid-social&utm_campaign=spring_launch_2026`);
  await page.fill('form[data-utmost-form] input[type="email"]', "lead@client.example");
  await Promise.all([
    page.waitForURL((u) => u.hostname !== "127.0.0.1"),
    lead,
    page.click('form[data-utmost-form] button[type="submit"]'),
  ]);
} finally {
  await browser.close();
  server.close();
}
report({ calls, submitted, elsewhere });
