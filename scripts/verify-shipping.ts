/**
 * Checks the shipping files on a machine without a Docker engine:
 *   1. the Dockerfile meets the image requirements, and its build, replayed step by step in a
 *      fresh folder from the .dockerignore'd context, yields an app that starts as the image's
 *      user, passes its HEALTHCHECK, holds no development packages and exits 0 on SIGTERM;
 *   2. docker-compose.yml is valid against the Compose Specification schema and meets the
 *      deployment requirements.
 * Usage: npx tsx scripts/verify-shipping.ts [--skip-build] [--keep] [--context DIR]
 * (--skip-build: static checks only, no npm install; --keep: leave the stage folders in /tmp;
 * --context: another checkout to verify instead of this one).
 * Exits 0 when everything holds, 1 otherwise, printing one line per check.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { composeProblems, createComposeValidator, readCompose } from "./verify-shipping/compose.ts";
import { parseDockerfile } from "./verify-shipping/dockerfile.ts";
import { dockerfileProblems } from "./verify-shipping/dockerfile-policy.ts";
import { rehearsalProblems, rehearseImage } from "./verify-shipping/rehearse-image.ts";

const argv = process.argv.slice(2);
const args = new Set(argv);
const contextAt = argv.indexOf("--context");
const contextDir = contextAt === -1 ? join(import.meta.dirname, "..") : resolve(argv[contextAt + 1] ?? ".");
let failed = false;

function report(name: string, problems: string[]): void {
  if (problems.length === 0) {
    process.stdout.write(`ok   ${name}\n`);
    return;
  }
  failed = true;
  process.stdout.write(`FAIL ${name}\n${problems.map((p) => `     - ${p}\n`).join("")}`);
}

async function check(name: string, run: () => Promise<string[]> | string[]): Promise<void> {
  try {
    report(name, await run());
  } catch (err) {
    report(name, [err instanceof Error ? err.message : String(err)]);
  }
}

await check("Dockerfile meets the image requirements", () =>
  dockerfileProblems(parseDockerfile(readFileSync(join(contextDir, "Dockerfile"), "utf8"))),
);

if (!args.has("--skip-build")) {
  await check(
    "image build rehearsed in a clean folder: app healthy, prod deps only, exit 0 on SIGTERM",
    async () => {
      const started = Date.now();
      const result = await rehearseImage({
        contextDir,
        keep: args.has("--keep"),
        log: (line) => process.stdout.write(`     ${line}\n`),
      });
      process.stdout.write(
        `     ${result.modules.prodPresent} production packages, ${result.modules.devPresent.length} development ones; ` +
          `ran as ${result.ranAs ? `uid ${result.ranAs.uid}` : "this user"}; ${((Date.now() - started) / 1000).toFixed(0)} s\n`,
      );
      if (args.has("--keep")) process.stdout.write(`     stage folders kept in ${result.workDir}\n`);
      return rehearsalProblems(result);
    },
  );
}

await check("docker-compose.yml is valid against the Compose Specification", () =>
  createComposeValidator()(readCompose(join(contextDir, "docker-compose.yml"))),
);
await check("docker-compose.yml meets the deployment requirements", () =>
  composeProblems(readCompose(join(contextDir, "docker-compose.yml"))),
);

process.exit(failed ? 1 : 0);
