// The attribution script against poisoned localStorage: values of the wrong
// type, huge values, times in the future or beyond any date (whose
// toISOString would throw), broken JSON; and a form whose filling throws.
// Usage: node poisoned.mjs BASE_URL FORM_PAGE
// Prints one JSON object with what each case left in the forms.
import { launch, report } from "./lib.mjs";
import { hiddenFields } from "./forms.mjs";

const [base, formPath] = process.argv.slice(2);
const browser = await launch();
const result = {};
const K = "utmost_attribution";

async function visit(name, stored, breakForm) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  if (breakForm) {
    // While the page loads, filling this one form throws; the others must
    // still be filled. (The inline script runs before DOMContentLoaded.)
    await page.addInitScript((id) => {
      const qsa = Element.prototype.querySelectorAll;
      Element.prototype.querySelectorAll = function (sel) {
        if (this.getAttribute && this.getAttribute("data-utmost-form") === id) throw new Error("broken form");
        return qsa.call(this, sel);
      };
      document.addEventListener("DOMContentLoaded", () => { Element.prototype.querySelectorAll = qsa; });
    }, breakForm);
  }
  await page.goto(`${base}/robots.txt`);
  await page.evaluate(([k, v]) => localStorage.setItem(k, v), [K, stored]);
  await page.goto(`${base}${formPath}`);
  result[name] = { errors, forms: await hiddenFields(page), now: await page.evaluate(() => Date.now()),
    stored: await page.evaluate((k) => JSON.parse(localStorage.getItem(k)), K) };
  await context.close();
}

const now = Date.now();
const huge = "x".repeat(100000);
await visit("future", JSON.stringify({
  ft: { v: { utm_source: "poison" }, landing_page: "/poison/", referrer: "", at: now + 864e5 },
  lt: { v: { utm_source: "poison" }, at: 8.64e15 + 1 },
}));
await visit("beyond_any_date", JSON.stringify({
  ft: { v: { utm_source: "poison" }, landing_page: "/poison/", at: -1e300 },
  lt: { v: { utm_source: "poison" }, at: 1e300 },
}));
await visit("wrong_types_and_huge", JSON.stringify({
  ft: { v: { utm_source: { x: 1 }, utm_medium: 5, utm_campaign: huge, gclid: "G-ok", evil: "x" },
        landing_page: 12345, referrer: huge, at: now - 1000 },
  lt: { v: "not an object", at: now - 1000 },
}));
await visit("not_json", "{{{ not json");
await visit("array", "[1,2,3]");
await visit("one_form_breaks", JSON.stringify({
  ft: { v: { utm_source: "linkedin" }, landing_page: "/offer/", referrer: "", at: now - 1000 },
  lt: { v: { utm_source: "newsletter" }, at: now - 500 },
}), "newsletter");
report(result);
await browser.close();
