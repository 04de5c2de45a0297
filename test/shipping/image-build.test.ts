/**
 * The verification script on the real checkout, as CI runs it: the Dockerfile's build replayed
 * in a clean folder (a real `npm install --omit=dev` from the registry), the app started from
 * it as the image would start it, and the compose file validated. One test, because the
 * install is the slow part and every later check needs its result.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const REPO = join(import.meta.dirname, "..", "..");

describe("scripts/verify-shipping.ts", () => {
  it("builds the image's steps in a clean folder, runs the app healthy on production deps only, exits 0 on SIGTERM, and validates the compose file", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/verify-shipping.ts"], {
      cwd: REPO,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    const [code] = (await once(child, "exit")) as [number | null];

    expect(output, output).not.toContain("FAIL");
    expect(output).toContain("ok   Dockerfile meets the image requirements");
    expect(output).toMatch(/ok {3}image build rehearsed in a clean folder/);
    expect(output).toMatch(/\d+ production packages, 0 development ones/);
    expect(output).toContain("HEALTHCHECK passes against the running app");
    expect(output).toContain("after SIGTERM the app exited with 0");
    expect(output).toContain("ok   docker-compose.yml is valid against the Compose Specification");
    expect(output).toContain("ok   docker-compose.yml meets the deployment requirements");
    expect(code).toBe(0);
  }, 150_000);
});
