// A template edit in a real browser: the open tab's event stream names its
// page, so the preview renders that page first and the tab reloads by itself.
// Usage: node template_reload.mjs URL TEMPLATE_FILE
import { readFileSync, writeFileSync } from "node:fs";
import { launch, report } from "./lib.mjs";

const [url, file] = process.argv.slice(2);
const original = readFileSync(file, "utf8");
const browser = await launch();
const page = await browser.newPage();
page.setDefaultTimeout(60000);
const result = {};
// A stream like the tab's own, kept open: once it has said the current state,
// the server counts the page as open (the tab's own stream may still be
// connecting; either names the same page).
await page.goto(url);
await page.evaluate(() => new Promise((done) => {
  const stream = new EventSource("/__utmost/events?page=" + encodeURIComponent(location.pathname));
  stream.addEventListener("reload", () => done(), { once: true });
}));
await page.evaluate(() => { window.__before_edit = true; });

writeFileSync(file, original.replace("<body>", '<body class="edited-live">'));
await page.waitForFunction(() => !window.__before_edit && document.body.classList.contains("edited-live"));
result.reloaded = true;
writeFileSync(file, original);
report(result);
await browser.close();
