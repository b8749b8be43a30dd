// axe-core in headless Chromium: every given page at every given viewport,
// and every request the pages made (to check that none leaves the machine).
// Usage: node axe.mjs VIEWPORTS URL...
//   VIEWPORTS: comma-separated `name=WIDTHxHEIGHT`, a name starting with
//   `phone` emulating a touch phone (e.g. desktop=1280x800,phone=390x844).
// Prints one JSON object: { results: [ { url, viewport, violations } ],
// requests: [ url, ... ] }, each violation as { id, impact, help, nodes:
// [ { target, html, summary } ] }. The Rust test (tests/it/quality.rs) asserts.
import { createRequire } from "node:module";
import { launch, report } from "./lib.mjs";

const require = createRequire(import.meta.url);
const axePath = require.resolve("axe-core/axe.min.js");

const [viewportArg, ...urls] = process.argv.slice(2);
if (!viewportArg || urls.length === 0) {
  process.stderr.write("usage: node axe.mjs name=WxH[,name=WxH...] URL...\n");
  process.exit(2);
}
const viewports = viewportArg.split(",").map((spec) => {
  const [name, size] = spec.includes("=") ? spec.split("=") : [spec, spec];
  const [width, height] = size.split("x").map(Number);
  return { name, width, height, phone: name.startsWith("phone") };
});

const browser = await launch();
const requests = [];
const results = [];
try {
  for (const vp of viewports) {
    const context = await browser.newContext({
      viewport: { width: vp.width, height: vp.height },
      isMobile: vp.phone,
      hasTouch: vp.phone,
      deviceScaleFactor: vp.phone ? 2 : 1,
    });
    context.on("request", (r) => requests.push(r.url()));
    const page = await context.newPage();
    for (const url of urls) {
      const response = await page.goto(url, { waitUntil: "load" });
      // (A data: URL has no response; /404.html is served as a page.)
      if (response && response.status() >= 400 && !url.endsWith("/404.html")) {
        throw new Error(`${url}: HTTP ${response.status()}`);
      }
      // Lazy images and frames load too, so that their requests are
      // recorded: each is made eager and waited for (its load or error).
      await page.evaluate(async () => {
        const lazy = [...document.querySelectorAll('[loading="lazy"]')];
        await Promise.all(lazy.map((el) => {
          el.loading = "eager";
          return el.complete ? null : new Promise((settled) => {
            el.addEventListener("load", settled, { once: true });
            el.addEventListener("error", settled, { once: true });
          });
        }));
      });
      await page.addScriptTag({ path: axePath });
      const violations = await page.evaluate(async () => {
        const r = await window.axe.run(document);
        return r.violations.map((v) => ({
          id: v.id,
          impact: v.impact,
          help: v.help,
          nodes: v.nodes.map((n) => ({ target: n.target, html: n.html, summary: n.failureSummary })),
        }));
      });
      results.push({ url, viewport: vp.name, violations });
    }
    await context.close();
  }
} finally {
  await browser.close();
}
report({ results, requests });
