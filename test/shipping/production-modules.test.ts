/**
 * "Production dependencies only", judged from the lockfile: development packages (including
 * npm's devOptional ones) must be absent, production ones present, other platforms' optional
 * builds may be either.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkProductionModules, packageName } from "../../scripts/verify-shipping/production-modules.ts";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const LOCK = {
  lockfileVersion: 3,
  packages: {
    "": { name: "app" },
    "node_modules/pino": {},
    "node_modules/pino/node_modules/sonic-boom": {},
    "node_modules/@esbuild/linux-x64": { optional: true },
    "node_modules/@esbuild/darwin-arm64": { optional: true },
    "node_modules/vitest": { dev: true },
    "node_modules/@biomejs/biome": { dev: true },
    "node_modules/typescript": { devOptional: true },
    "node_modules/local-thing": { link: true },
  },
};

function image(installed: string[]): { lockfile: string; appDir: string } {
  const dir = mkdtempSync(join(tmpdir(), "sb-modules-"));
  dirs.push(dir);
  const lockfile = join(dir, "package-lock.json");
  writeFileSync(lockfile, JSON.stringify(LOCK));
  const appDir = join(dir, "app");
  for (const path of installed) {
    mkdirSync(join(appDir, path), { recursive: true });
    writeFileSync(join(appDir, path, "package.json"), "{}");
  }
  return { lockfile, appDir };
}

describe("production modules", () => {
  it("pass when exactly the production packages are installed", () => {
    const { lockfile, appDir } = image([
      "node_modules/pino",
      "node_modules/pino/node_modules/sonic-boom",
      "node_modules/@esbuild/linux-x64",
    ]);
    expect(checkProductionModules(lockfile, appDir)).toEqual({
      devPresent: [],
      prodMissing: [],
      prodPresent: 2,
    });
  });

  it("name every development package found, devOptional ones included", () => {
    const { lockfile, appDir } = image([
      "node_modules/pino",
      "node_modules/pino/node_modules/sonic-boom",
      "node_modules/vitest",
      "node_modules/@biomejs/biome",
      "node_modules/typescript",
    ]);
    expect(checkProductionModules(lockfile, appDir).devPresent).toEqual([
      "vitest",
      "@biomejs/biome",
      "typescript",
    ]);
  });

  it("name every production package missing, nested ones included", () => {
    const { lockfile, appDir } = image(["node_modules/pino"]);
    expect(checkProductionModules(lockfile, appDir).prodMissing).toEqual(["sonic-boom"]);
  });

  it("take a package's name from its lockfile path", () => {
    expect(packageName("node_modules/a/node_modules/@scope/b")).toBe("@scope/b");
  });
});
