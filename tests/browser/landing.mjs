// A visitor who lands on a page without a form, tagged with every UTM
// parameter and click id, then moves to a page with forms: what every
// hidden field of every form holds, HubSpot's hs_context included.
// Usage: node landing.mjs BASE_URL LANDING_PAGE FORM_PAGE
// Prints one JSON object; the Rust test asserts on it.
import { launch, report } from "./lib.mjs";
import { hiddenFields } from "./forms.mjs";

const [base, landingPath, formPath] = process.argv.slice(2);
const browser = await launch();
const context = await browser.newContext();
// The cookie HubSpot's own tracking code sets; hs_context carries it as hutk.
await context.addCookies([{ name: "hubspotutk", value: "5f3a1b2c4d5e6f708192a3b4c5d6e7f8", url: base }]);
const page = await context.newPage();
const errors = [];
page.on("pageerror", (e) => errors.push(String(e)));
const result = { errors };

const tags = "utm_source=linkedin&utm_medium=paid-social&utm_campaign=launch_2026&utm_term=route+planning"
  + "&utm_content=carousel-2&utm_id=cmp-42&gclid=G-1&fbclid=F-1&msclkid=M-1&li_fat_id=L-1";
await page.goto(`${base}${landingPath}?${tags}`, { referer: "https://www.linkedin.com/" });
result.landing_forms = await page.evaluate(() => document.querySelectorAll("form").length);
result.landing_scripts = await page.evaluate(() => document.querySelectorAll('script[data-utmost="attribution"]').length);
await page.goto(`${base}${formPath}`);
result.title = await page.title();
result.forms = await hiddenFields(page);
report(result);
await browser.close();
