// Live reload in a real browser: an edit reloads the open page by itself, a
// broken edit shows the error overlay over the last good page, a fix clears it.
// Usage: node livereload.mjs URL FILE
import { readFileSync, writeFileSync } from "node:fs";
import { launch, report } from "./lib.mjs";

const [url, file] = process.argv.slice(2);
const original = readFileSync(file, "utf8");
const browser = await launch();
const page = await browser.newPage();
const result = {};
await page.goto(url);
await page.evaluate(() => { window.__before_edit = true; });
await page.waitForTimeout(300); // the event stream is connected

writeFileSync(file, original.replace('title = "Offer"', 'title = "Edited live"'));
await page.waitForFunction(() => !window.__before_edit && document.body.innerText.includes("Edited live"), null, { timeout: 10000 });
result.reloaded = true;

writeFileSync(file, original.replace('title = "Offer"', 'title = "Offer"\nstage = "nope"'));
await page.waitForSelector("#utmost-error-overlay", { timeout: 10000 });
result.overlay = await page.textContent("#utmost-error-overlay");
result.still_shows_last_good = (await page.textContent("h1")).includes("Edited live");

writeFileSync(file, original.replace('title = "Offer"', 'title = "Fixed live"'));
await page.waitForFunction(() => document.body.innerText.includes("Fixed live"), null, { timeout: 10000 });
result.overlay_after_fix = await page.$("#utmost-error-overlay") !== null;

report(result);
await browser.close();
