// The first view of a page on a phone: what a browser downloads to show it
// (390x844 CSS pixels at DPR 2, as an iPhone 12-15), nothing scrolled.
// Usage: node bench/page_weight.mjs URL
// Prints one JSON object: every response with its body bytes, and the total.
// Uses tests/browser's playwright-core and Debian's Chromium.
import { launch } from "../tests/browser/lib.mjs";

const [url] = process.argv.slice(2);
const browser = await launch();
const context = await browser.newContext({
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
});
const page = await context.newPage();
const seen = [];
page.on("requestfinished", async (request) => {
  const sizes = await request.sizes();
  seen.push({ url: request.url(), bytes: sizes.responseBodySize });
});
await page.goto(url, { waitUntil: "load" });
await page.waitForLoadState("networkidle");
const total = seen.reduce((sum, r) => sum + r.bytes, 0);
process.stdout.write(JSON.stringify({ url, total, responses: seen }, null, 1) + "\n");
await browser.close();
