/**
 * `.dockerignore` as Docker applies it (moby/patternmatcher): patterns are matched against each
 * path and each of its parent folders, `!` re-includes, and the last matching pattern wins. The
 * rehearsal builds from exactly the files this lets through, so a COPY of something the
 * context leaves out fails here as it would under `docker build`.
 */
import { copyFileSync, lstatSync, mkdirSync, readdirSync, readlinkSync, symlinkSync } from "node:fs";
import { dirname, join } from "node:path";

export interface IgnoreRule {
  pattern: string;
  /** A `!` line: re-includes what earlier lines excluded. */
  exception: boolean;
  regex: RegExp;
}

function escapeRegex(text: string): string {
  return text.replace(/[.+^${}()|[\]\\]/g, "\\$&");
}

/** Go's filepath.Match syntax plus `**` (any number of folders), anchored to the whole path. */
function toRegex(pattern: string): RegExp {
  let out = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "*") {
      if (pattern[i + 1] === "*") {
        i++;
        if (pattern[i + 1] === "/") {
          i++;
          out += "(?:.*/)?";
        } else out += ".*";
      } else out += "[^/]*";
    } else if (c === "?") out += "[^/]";
    else out += escapeRegex(c);
  }
  return new RegExp(`^${out}$`);
}

function cleanPattern(raw: string): string {
  const parts: string[] = [];
  for (const part of raw.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  return parts.join("/");
}

export function parseDockerignore(text: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#")) continue;
    const exception = trimmed.startsWith("!");
    const pattern = cleanPattern((exception ? trimmed.slice(1) : trimmed).trim());
    if (pattern === "") continue;
    rules.push({ pattern, exception, regex: toRegex(pattern) });
  }
  return rules;
}

function matchesSelfOrParent(rule: IgnoreRule, path: string): boolean {
  if (rule.regex.test(path)) return true;
  const parts = path.split("/");
  for (let i = 1; i < parts.length; i++) {
    if (rule.regex.test(parts.slice(0, i).join("/"))) return true;
  }
  return false;
}

/** Whether a context-relative path (`src/main.ts`) is left out of the build context. */
export function isIgnored(rules: readonly IgnoreRule[], path: string): boolean {
  let ignored = false;
  for (const rule of rules) {
    // An exception only matters for something already excluded, and vice versa.
    if (rule.exception !== ignored) continue;
    if (matchesSelfOrParent(rule, path)) ignored = !rule.exception;
  }
  return ignored;
}

/** Whether some `!` rule could re-include a path below an excluded folder, so the walk must go in. */
function mayReinclude(rules: readonly IgnoreRule[], dir: string): boolean {
  return rules.some((rule) => {
    if (!rule.exception) return false;
    const literal = rule.pattern.split(/[*?]/)[0]!;
    const hasWildcard = literal.length < rule.pattern.length;
    return literal.startsWith(`${dir}/`) || (hasWildcard && `${dir}/`.startsWith(literal));
  });
}

/** Every file (and symlink) of the build context, as sorted context-relative paths. */
export function listBuildContext(contextDir: string, rules: readonly IgnoreRule[]): string[] {
  const files: string[] = [];
  const walk = (relDir: string) => {
    const entries = readdirSync(join(contextDir, relDir), { withFileTypes: true });
    for (const entry of entries) {
      const rel = relDir === "" ? entry.name : `${relDir}/${entry.name}`;
      const ignored = isIgnored(rules, rel);
      if (entry.isDirectory()) {
        if (!ignored || mayReinclude(rules, rel)) walk(rel);
      } else if (!ignored && (entry.isFile() || entry.isSymbolicLink())) {
        files.push(rel);
      }
    }
  };
  walk("");
  return files.sort();
}

/** Copies the build context into `destDir`, keeping file modes and symlinks as they are. */
export function copyBuildContext(
  contextDir: string,
  destDir: string,
  rules: readonly IgnoreRule[],
): string[] {
  const files = listBuildContext(contextDir, rules);
  for (const rel of files) {
    const from = join(contextDir, rel);
    const to = join(destDir, rel);
    mkdirSync(dirname(to), { recursive: true });
    if (lstatSync(from).isSymbolicLink()) symlinkSync(readlinkSync(from), to);
    else copyFileSync(from, to);
  }
  return files;
}
