// Launches Debian's Chromium (never a downloaded browser) headless, with
// the flags this machine's closed network needs.
import { chromium } from "playwright-core";

export async function launch() {
  const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
}

export function report(result) {
  process.stdout.write(JSON.stringify(result) + "\n");
}
