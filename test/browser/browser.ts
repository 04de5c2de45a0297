/**
 * Headless Chromium for the browser tests: Debian's `chromium` package (scripts/test.sh installs
 * it when missing), driven by puppeteer-core, which never downloads a browser of its own.
 * CHROMIUM_PATH points at another binary.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parse } from "csv-parse/sync";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { vi } from "vitest";

export function chromiumPath(): string {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  for (const name of ["chromium", "chromium-browser"]) {
    try {
      return execFileSync("which", [name], { encoding: "utf8" }).trim();
    } catch {
      // try the next name
    }
  }
  throw new Error("chromium not found: run scripts/ensure-tool.sh chromium chromium");
}

/** Downloads (the CSV exports) land in `downloadPath`. */
export async function launchBrowser(downloadPath: string): Promise<Browser> {
  return puppeteer.launch({
    executablePath: chromiumPath(),
    downloadBehavior: { policy: "allow", downloadPath },
    headless: true,
    // Root in a container has no user namespaces for Chromium's sandbox; the pages are our own.
    args: ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--no-first-run"],
  });
}

/**
 * A screenshot of the page, always taken (so a broken page fails here too); written to
 * `$SCREENSHOTS/<name>.png` when SCREENSHOTS is set: `SCREENSHOTS=docs/img npx vitest run
 * test/browser` refreshes the README's pictures.
 */
export async function screenshot(page: Page, name: string): Promise<Uint8Array> {
  await page.setViewport({ width: 1200, height: 800 });
  const png = await page.screenshot({ fullPage: true, type: "png" });
  const dir = process.env.SCREENSHOTS;
  if (dir) {
    const file = join(resolve(dir), `${name}.png`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, png);
  }
  return png;
}

/** Clicks `selector` and resolves with the text of the file the browser downloads as `name`. */
export async function download(page: Page, dir: string, selector: string, name: string): Promise<string> {
  const file = join(dir, name);
  rmSync(file, { force: true });
  await page.click(selector);
  // Chromium writes `<name>.crdownload` and renames it when the download is complete.
  return vi.waitFor(() => readFileSync(file, "utf8"), { timeout: 10_000, interval: 50 });
}

/** The dashboard's CSV as a spreadsheet would read it (csv-parse: BOM, quotes, CRLF). */
export function parseCsv(text: string): string[][] {
  return parse(text, { bom: true, record_delimiter: "\r\n" }) as string[][];
}
