import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

// Debian's Chromium, headless, driven by playwright-core. Host names the tests serve (the UI's
// hostname, a stand-in identity provider's) are mapped to loopback ports by the browser's own
// resolver, so pages, redirects and cookies carry the names people see.

export const CHROMIUM = "/usr/bin/chromium";

/** Launches Chromium with `host:443` → 127.0.0.1:<port> mappings. */
export async function launchChromium(hostMap: Readonly<Record<string, number>>): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (the login tests sign in with a real browser)`);
  const rules = Object.entries(hostMap).map(([host, port]) => `MAP ${host} 127.0.0.1:${port}`).join(",");
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // The test servers' certificates are self-signed.
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--ignore-certificate-errors", `--host-resolver-rules=${rules}`],
  });
}
