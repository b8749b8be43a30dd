// Which file Chromium picks from each <picture> of a page and whether it
// decodes it: the <img>'s currentSrc and naturalWidth once every image has
// loaded (lazy ones are made eager first, so all are fetched).
// Usage: node pictures.mjs BASE_URL PAGE
// Prints one JSON object; the Rust test asserts on it.
import { launch, report } from "./lib.mjs";

const [base, pagePath] = process.argv.slice(2);
const browser = await launch();
const page = await browser.newPage();
await page.goto(`${base}${pagePath}`);
const pictures = await page.evaluate(async () => {
  const imgs = [...document.querySelectorAll("picture img")];
  for (const img of imgs) img.loading = "eager";
  await Promise.all(imgs.map((img) => img.decode().catch(() => null)));
  return imgs.map((img) => ({ src: img.currentSrc, naturalWidth: img.naturalWidth }));
});
report({ pictures });
await browser.close();
