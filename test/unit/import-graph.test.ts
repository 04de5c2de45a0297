/**
 * The house rules for imports, checked on the code as it is: every relative import of a
 * production file (values and types alike, `export … from` and `import()` included) is resolved
 * to the file it lands in, each file belongs to a layer (its folder under src/, or `commands`),
 * and each layer may only import the layers listed for it. Imports point down; the core defines
 * the ports the store implements; commands talk to the core, never to stores or the AssetPay
 * client; and no file reaches itself again through its imports.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative, sep } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../..");

/**
 * Who may import whom (a layer may always import itself), lowest first, as the table in
 * docs/architecture.md. On top: `app` (the composition root and the settings it is built from,
 * the top-level files of src/), the `platforms` that run on it, and `main` (the entry points)
 * that starts both. Below the app, settings arrive as values: nothing there imports `config.ts`.
 */
const ALLOWED: Record<string, readonly string[]> = {
  base: [],
  steam: ["base"],
  assetpay: ["base"],
  core: ["base", "assetpay"],
  store: ["base", "core"],
  audit: ["base", "core"],
  ui: ["base", "core", "assetpay", "locales"],
  http: ["base", "core", "assetpay", "ui"],
  commands: ["base", "core", "ui"],
  sandbox: ["base", "assetpay"],
  app: ["base", "steam", "assetpay", "core", "store", "audit", "ui", "http"],
  platforms: ["base", "core", "ui", "http", "commands", "app"],
  main: [
    "base",
    "steam",
    "assetpay",
    "core",
    "store",
    "audit",
    "ui",
    "http",
    "commands",
    "sandbox",
    "app",
    "platforms",
  ],
};

/** The entry points: they start the app and the platforms, so nothing may import them. */
const ENTRY_POINTS = new Set(["src/main.ts", "src/demo.ts"]);

const posix = (path: string) => path.split(sep).join("/");

function layerOf(file: string): string {
  if (file.startsWith("commands/")) return "commands";
  if (file.startsWith("locales/")) return "locales";
  if (ENTRY_POINTS.has(file)) return "main";
  const [, top] = file.split("/");
  if (top === undefined || top.endsWith(".ts")) return "app";
  return top;
}

function productionFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(ROOT, dir))) {
    const rel = posix(join(dir, name));
    if (statSync(join(ROOT, rel)).isDirectory()) out.push(...productionFiles(rel));
    else if (rel.endsWith(".ts")) out.push(rel);
  }
  return out;
}

/**
 * Every module a source text names, as the TypeScript scanner sees it: `import`, `import type`,
 * `export … from`, side-effect imports and `import()` in values and types. Comments and strings
 * that merely look like imports do not count.
 */
function specifiersOf(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
}

/** A relative specifier as a path from the repository root; undefined when no file is there. */
function resolve(from: string, specifier: string): string | undefined {
  const target = posix(relative(ROOT, normalize(join(ROOT, dirname(from), specifier))));
  if (existsSync(join(ROOT, target)) && statSync(join(ROOT, target)).isFile()) return target;
  // NodeNext lets a `.js` specifier name the `.ts` file.
  const asTs = target.replace(/\.js$/, ".ts");
  return existsSync(join(ROOT, asTs)) ? asTs : undefined;
}

const files = [...productionFiles("src"), ...productionFiles("commands")];
const edges = new Map<string, string[]>();
const unresolved: string[] = [];
for (const file of files) {
  const targets: string[] = [];
  for (const specifier of specifiersOf(readFileSync(join(ROOT, file), "utf8"))) {
    if (!specifier.startsWith(".")) continue;
    const target = resolve(file, specifier);
    if (target === undefined) unresolved.push(`${file} → ${specifier}`);
    else targets.push(target);
  }
  edges.set(file, targets);
}
const allEdges = [...edges].flatMap(([file, targets]) => targets.map((t) => `${file} → ${t}`));

/** Groups of files that import each other, directly or around a loop (Tarjan's algorithm). */
function cyclesOf(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string) => {
    index.set(node, index.size);
    low.set(node, index.get(node) as number);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) as number, low.get(next) as number));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node) as number, index.get(next) as number));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const group: string[] = [];
    let member: string;
    do {
      member = stack.pop() as string;
      onStack.delete(member);
      group.push(member);
    } while (member !== node);
    if (group.length > 1 || (graph.get(node) ?? []).includes(node)) found.push(group.sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found.sort((a, b) => (a[0] as string).localeCompare(b[0] as string));
}

const upward = allEdges.filter((edge) => {
  const [from, to] = edge.split(" → ") as [string, string];
  const [a, b] = [layerOf(from), layerOf(to)];
  return a !== b && !(ALLOWED[a] ?? []).includes(b);
});
const commandsReach = allEdges.filter((edge) =>
  /^commands\/.* → (src\/(store|assetpay)\/|src\/app\.ts$)/.test(edge),
);
const cycles = cyclesOf(edges);

describe("the import graph", () => {
  it("reads every kind of import, and nothing that only looks like one", () => {
    const text = [
      'import { a } from "./value.ts";',
      'import type { B } from "./type-only.ts";',
      'import { type C, d } from "./mixed.ts";',
      "import {",
      "  e,",
      '} from "./multi-line.ts";',
      'import "./side-effect.ts";',
      'export { f } from "./re-export.ts";',
      'export type { G } from "./type-re-export.ts";',
      'export * from "./star.ts";',
      'const h = await import("./dynamic.ts");',
      'type I = import("./type-query.ts").I;',
      '// import { j } from "./in-comment.ts";',
      "const k = 'import { k } from \"./in-string.ts\"';",
    ].join("\n");
    expect(specifiersOf(text)).toEqual([
      "./value.ts",
      "./type-only.ts",
      "./mixed.ts",
      "./multi-line.ts",
      "./side-effect.ts",
      "./re-export.ts",
      "./type-re-export.ts",
      "./star.ts",
      "./dynamic.ts",
      "./type-query.ts",
    ]);
  });

  it("resolves every relative import to a file (so no import escapes the check)", () => {
    expect(files.length).toBeGreaterThan(100);
    expect(unresolved).toEqual([]);
  });

  it("has a layer table that is itself a ladder: no layer may import one that may import it", () => {
    const table = new Map(Object.entries(ALLOWED).map(([layer, below]) => [layer, [...below]]));
    expect(cyclesOf(table)).toEqual([]);
    const known = new Set(files.map(layerOf));
    expect([...known].filter((layer) => ALLOWED[layer] === undefined)).toEqual([]);
  });

  it("points only from higher layers to lower ones", () => {
    expect(upward).toEqual([]);
  });

  it("keeps commands away from stores, keys, the AssetPay client and the composition root", () => {
    expect(commandsReach).toEqual([]);
  });

  it("has no cycles", () => {
    expect(cycles).toEqual([]);
  });
});
