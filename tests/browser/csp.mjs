// A built site served with its own _headers (Content-Security-Policy and
// all): no policy violation on a landing page or a one-pager, the form's
// hidden attribution fields filled, and the form submitted to its backend
// (answered here by a route, as the network is closed).
// Usage: node csp.mjs BASE_URL LANDING_PATH ONE_PAGER_PATH BACKEND_ORIGIN
import { launch, report } from "./lib.mjs";
import { hiddenFields } from "./forms.mjs";

const [base, landing, onePager, backend] = process.argv.slice(2);
const browser = await launch();
const page = await (await browser.newContext()).newPage();
const console_ = [];
page.on("console", (m) => console_.push(m.text()));
await page.addInitScript(() => {
  window.__violations = [];
  document.addEventListener("securitypolicyviolation", (e) => {
    window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`);
  });
});
const result = { violations: {}, console: console_ };
let posted = null;
await page.route(`${backend}/**`, async (route) => {
  posted = route.request().postData();
  await route.fulfill({ status: 303, headers: { Location: `${base}/thanks/` } });
});

const seen = async (path) => {
  const response = await page.goto(`${base}${path}`);
  result.violations[path] = await page.evaluate(() => window.__violations);
  return response;
};
const response = await seen(`${landing}?utm_source=newsletter&utm_medium=email&utm_campaign=launch_2026`);
result.csp = response.headers()["content-security-policy"] || null;
result.hidden = Object.values(await hiddenFields(page))[0];
const form = "form[data-utmost-form]";
await page.fill(`${form} input[type="email"]`, "lead@client.example");
for (const select of await page.$$(`${form} select`)) await select.selectOption({ index: 1 });
for (const box of await page.$$(`${form} input[type="checkbox"]`)) await box.check();
await Promise.all([page.waitForURL(`${base}/thanks/`), page.click(`${form} button[type="submit"]`)]);
result.after_submit = page.url();
result.posted = posted;
result.violations.submit = await page.evaluate(() => window.__violations);
await seen(onePager);
result.print_button = await page.evaluate(() => {
  let printed = false;
  window.print = () => { printed = true; };
  document.querySelector("[data-print]").click();
  return printed;
});
await browser.close();
report(result);
