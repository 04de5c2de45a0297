/**
 * The build context: the project's .dockerignore lets in only what the image copies, never a
 * local .env, node_modules or the git history; and the matcher follows Docker's rules.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  isIgnored,
  listBuildContext,
  parseDockerignore,
} from "../../scripts/verify-shipping/dockerignore.ts";

const REPO = join(import.meta.dirname, "..", "..");
const projectRules = parseDockerignore(readFileSync(join(REPO, ".dockerignore"), "utf8"));

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function checkout(files: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), "sb-context-"));
  dirs.push(dir);
  for (const file of files) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), "x");
  }
  return dir;
}

describe("the project's build context", () => {
  it("holds the sources, commands, locales and package files, and nothing else", () => {
    const dir = checkout([
      "package.json",
      "package-lock.json",
      "tsconfig.json",
      "src/main.ts",
      "src/ui/i18n.ts",
      "commands/index.ts",
      "locales/en.json",
      ".env",
      ".env.example",
      "src/.env",
      "src/debug.log",
      ".git/config",
      "node_modules/tsx/package.json",
      "test/shipping/x.test.ts",
      ".redis-test/dump.rdb",
      "README.md",
      "Dockerfile",
      "docker-compose.yml",
    ]);
    expect(listBuildContext(dir, projectRules)).toEqual([
      "commands/index.ts",
      "locales/en.json",
      "package-lock.json",
      "package.json",
      "src/main.ts",
      "src/ui/i18n.ts",
      "tsconfig.json",
    ]);
  });

  it("is what the real checkout gives: sources in, secrets and dependencies out", () => {
    const files = listBuildContext(REPO, projectRules);
    expect(files).toContain("src/main.ts");
    expect(files).toContain("package-lock.json");
    expect(files.filter((f) => /(^|\/)\.env$|^node_modules\/|^\.git\/|^test\//.test(f))).toEqual([]);
  });
});

describe("dockerignore matching", () => {
  const rules = (text: string) => parseDockerignore(text);

  it("excludes a folder's contents through the folder's own pattern", () => {
    expect(isIgnored(rules("node_modules"), "node_modules/a/b.js")).toBe(true);
    expect(isIgnored(rules("/build/"), "build/out.js")).toBe(true);
    expect(isIgnored(rules("node_modules"), "src/node_modules/a.js")).toBe(false);
  });

  it("lets the last matching line win, so `!` re-includes", () => {
    expect(isIgnored(rules("*.md\n!README.md"), "README.md")).toBe(false);
    expect(isIgnored(rules("*.md\n!README.md"), "NOTES.md")).toBe(true);
    expect(isIgnored(rules("!README.md\n*.md"), "README.md")).toBe(true);
  });

  it("matches `*` within one folder level and `**` across any number", () => {
    expect(isIgnored(rules("*.log"), "debug.log")).toBe(true);
    expect(isIgnored(rules("*.log"), "logs/debug.log")).toBe(false);
    expect(isIgnored(rules("**/*.log"), "logs/deep/debug.log")).toBe(true);
    expect(isIgnored(rules("src/**/fixtures"), "src/a/b/fixtures/x.json")).toBe(true);
    expect(isIgnored(rules("file?.txt"), "file1.txt")).toBe(true);
  });

  it("ignores comments and blank lines", () => {
    expect(rules("# a comment\n\n  \nsrc\n").map((r) => r.pattern)).toEqual(["src"]);
  });

  it("walks into an excluded folder only when an exception may re-include something in it", () => {
    const dir = checkout(["vendor/keep/a.js", "vendor/drop/b.js", "other/c.js"]);
    expect(listBuildContext(dir, rules("*\n!vendor/keep"))).toEqual(["vendor/keep/a.js"]);
  });
});
