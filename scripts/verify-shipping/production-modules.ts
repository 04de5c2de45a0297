/**
 * What "production dependencies only" means, read off the lockfile: every package npm marks as
 * needed only for development (`dev`, or `devOptional`: a dev dependency that some production
 * package lists as an optional peer) must be absent from the image's node_modules, and every
 * package production needs, apart from other platforms' optional builds, must be there.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

interface LockEntry {
  dev?: boolean;
  devOptional?: boolean;
  optional?: boolean;
  link?: boolean;
}

export interface ModulesReport {
  /** Development-only packages found in the production node_modules (should be none). */
  devPresent: string[];
  /** Production packages missing from it (should be none). */
  prodMissing: string[];
  /** How many production packages were found where the lockfile puts them. */
  prodPresent: number;
}

/** `node_modules/a/node_modules/@b/c` → `@b/c`. */
export function packageName(lockPath: string): string {
  return lockPath.slice(lockPath.lastIndexOf("node_modules/") + "node_modules/".length);
}

export function checkProductionModules(lockfilePath: string, appDir: string): ModulesReport {
  const lock = JSON.parse(readFileSync(lockfilePath, "utf8")) as { packages?: Record<string, LockEntry> };
  const report: ModulesReport = { devPresent: [], prodMissing: [], prodPresent: 0 };
  for (const [path, entry] of Object.entries(lock.packages ?? {})) {
    if (path === "" || !path.startsWith("node_modules/") || entry.link) continue;
    const present = existsSync(join(appDir, path, "package.json"));
    if (entry.dev || entry.devOptional) {
      if (present) report.devPresent.push(packageName(path));
    } else if (!entry.optional) {
      if (present) report.prodPresent++;
      else report.prodMissing.push(packageName(path));
    }
  }
  return report;
}
