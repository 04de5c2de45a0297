/**
 * `npm start` as an operator meets it: a bad configuration stops it with every problem listed,
 * and balances are never kept in memory unless the operator says so.
 */
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { EXIT_CODES } from "../../src/failures.ts";

function start(env: Record<string, string>) {
  const { PATH, HOME } = process.env;
  return spawnSync(process.execPath, ["--import", "tsx", "src/main.ts"], {
    env: { PATH: PATH ?? "", HOME: HOME ?? "", ...env },
    encoding: "utf8",
    timeout: 20_000,
  });
}

describe("npm start", () => {
  it("lists every configuration problem at once and exits 78, without echoing secrets", () => {
    const r = start({ HTTP_PORT: "70000", ASSETPAY_API_SECRET: "super-secret-value", LOG_LEVEL: "loud" });
    expect(r.status).toBe(EXIT_CODES.configuration);
    expect(r.stderr).toContain("ASSETPAY_API_KEY");
    expect(r.stderr).toContain("HTTP_PORT");
    expect(r.stderr).toContain("LOG_LEVEL");
    expect(r.stderr).not.toContain("super-secret-value");
  });

  it("refuses to keep balances in memory unless SKINBRIDGE_EPHEMERAL is set", () => {
    const r = start({
      ASSETPAY_API_KEY: "ap_key_for_the_test",
      ASSETPAY_API_SECRET: "secret-for-the-test",
      LOG_LEVEL: "info",
    });
    expect(r.status).toBe(EXIT_CODES.configuration);
    expect(`${r.stdout}${r.stderr}`).toContain("REDIS_URL is not set");
    expect(`${r.stdout}${r.stderr}`).not.toContain("secret-for-the-test");
  });
});
