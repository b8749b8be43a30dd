// Live reload in a real browser: an edit reloads the open page by itself, a
// broken edit shows the error overlay over the last good page, a fix clears it.
// Usage: node livereload.mjs URL FILE
import { readFileSync, writeFileSync } from "node:fs";
import { launch, report } from "./lib.mjs";

const [url, file] = process.argv.slice(2);
const original = readFileSync(file, "utf8");
const browser = await launch();
const page = await browser.newPage();
// Nothing waits on a clock: each step waits for what it needs, and only a
// broken run reaches this bound.
page.setDefaultTimeout(60000);
const result = {};
await page.goto(url);
await page.evaluate(() => { window.__before_edit = true; });
// No wait for the page's event stream to connect: the server sends a new
// stream the current state first, so an edit made before it connects
// reloads the page all the same.

writeFileSync(file, original.replace('title = "Offer"', 'title = "Edited live"'));
await page.waitForFunction(() => !window.__before_edit && document.body.innerText.includes("Edited live"));
result.reloaded = true;

writeFileSync(file, original.replace('title = "Offer"', 'title = "Offer"\nstage = "nope"'));
await page.waitForSelector("#utmost-error-overlay");
result.overlay = await page.textContent("#utmost-error-overlay");
result.still_shows_last_good = (await page.textContent("h1")).includes("Edited live");

writeFileSync(file, original.replace('title = "Offer"', 'title = "Fixed live"'));
await page.waitForFunction(() => document.body.innerText.includes("Fixed live"));
result.overlay_after_fix = await page.$("#utmost-error-overlay") !== null;

report(result);
await browser.close();
