// The attribution script in a real browser: first and last touch kept
// across pages, values set as text only, an expired first touch replaced.
// Usage: node attribution.mjs BASE_URL PAGE OTHER_PAGE
// Prints one JSON object with what it saw; the Rust test asserts on it.
import { launch, report } from "./lib.mjs";

const [base, pagePath, otherPath] = process.argv.slice(2);
const browser = await launch();
const context = await browser.newContext();
const page = await context.newPage();
const dialogs = [];
page.on("dialog", async (d) => { dialogs.push(d.message()); await d.dismiss(); });
const result = { dialogs };

const hidden = () => page.evaluate(() => {
  const form = document.querySelector("form[data-utmost-form]");
  const out = {};
  for (const el of form.querySelectorAll('input[type="hidden"]')) out[el.name] = el.value;
  return out;
});

// 1. Arrive from LinkedIn with a click id.
await page.goto(`${base}${pagePath}?utm_source=linkedin&utm_medium=paid-social&utm_campaign=launch_2026&gclid=G-111`);
result.first_visit = await hidden();
// 2. Browse to another page without parameters.
await page.goto(`${base}${otherPath}`);
// 3. Come back from the newsletter, with markup in a parameter.
const evil = '<img src=x onerror=alert(1)>';
await page.goto(`${base}${pagePath}?utm_source=newsletter&utm_medium=email&utm_campaign=launch_2026&utm_content=${encodeURIComponent(evil)}`);
result.return_visit = await hidden();
result.injected_images = await page.evaluate(() => document.querySelectorAll('img[src="x"]').length);
result.cookies = (await context.cookies()).length;
// 4. Submit the form to the preview server.
await page.fill('form[data-utmost-form] input[type="email"]', "lead@client.example");
await Promise.all([page.waitForNavigation(), page.click('form[data-utmost-form] button[type="submit"]')]);
result.after_submit = page.url();

// 5. A first touch older than the window is replaced by the next visit.
await page.evaluate(() => {
  const s = JSON.parse(localStorage.getItem("utmost_attribution"));
  s.ft.at = Date.now() - 91 * 864e5;
  localStorage.setItem("utmost_attribution", JSON.stringify(s));
});
await page.goto(`${base}${pagePath}?utm_source=google&utm_medium=cpc&utm_campaign=launch_2026`);
result.after_expiry = await hidden();

report(result);
await browser.close();
