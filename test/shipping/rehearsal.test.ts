/**
 * The build rehearsal itself, on small images built from throwaway contexts (no npm install,
 * so seconds each): it carries files from stage to stage, runs the app as the image's user with
 * only the image's environment, judges the HEALTHCHECK and the exit on SIGTERM, and fails the
 * way `docker build` would on a COPY of something .dockerignore leaves out or a failing RUN.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  RehearsalError,
  rehearsalProblems,
  rehearseImage,
} from "../../scripts/verify-shipping/rehearse-image.ts";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const NODE_IMAGE = `node:${process.versions.node.split(".")[0]}-bookworm-slim`;

/** A tiny app in the shape of main.ts: /healthz follows AssetPay's /health, SIGTERM ends it with `exitCode`. */
function server(exitCode: number): string {
  return `
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
const server = createServer(async (req, res) => {
  const up = await fetch(process.env.ASSETPAY_BASE_URL + "/health").then((r) => r.ok, () => false);
  res.writeHead(req.url === "/healthz" && up ? 200 : 503).end();
});
server.listen(Number(process.env.HTTP_PORT), process.env.HTTP_HOST);
console.log("uid=" + process.getuid() + " built=" + readFileSync("built.txt", "utf8").trim() +
  " node_env=" + process.env.NODE_ENV + " home_from_host=" + (process.env.HOME === ${JSON.stringify(process.env.HOME)}));
process.on("SIGTERM", () => {
  console.log("stopped cleanly");
  server.close(() => process.exit(${exitCode}));
});
`;
}

const HEALTHCHECK =
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the template is for the node -e inside the image
  'HEALTHCHECK CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.HTTP_PORT}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]';

function dockerfile(extra = ""): string {
  return `FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN mkdir -p node_modules/left-pad && echo '{}' > node_modules/left-pad/package.json && echo stage-one > built.txt
FROM ${NODE_IMAGE}
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=deps /app/built.txt ./
COPY server.mjs ./
${extra}
USER node
${HEALTHCHECK}
CMD ["node", "server.mjs"]
`;
}

function context(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "sb-rehearsal-"));
  dirs.push(dir);
  const all: Record<string, string> = {
    "package.json": '{"name":"toy","version":"1.0.0"}',
    "package-lock.json": JSON.stringify({
      lockfileVersion: 3,
      packages: { "": {}, "node_modules/left-pad": {}, "node_modules/vitest": { dev: true } },
    }),
    ".dockerignore": "*\n!package.json\n!package-lock.json\n!server.mjs\n",
    "server.mjs": server(0),
    Dockerfile: dockerfile(),
    ...files,
  };
  for (const [path, text] of Object.entries(all)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

describe("the build rehearsal", () => {
  it("carries files between stages and runs the app as the image's user with only the image's environment", async () => {
    const report = await rehearseImage({ contextDir: context({}) });
    expect(rehearsalProblems(report)).toEqual([]);
    expect(report.modules).toEqual({ devPresent: [], prodMissing: [], prodPresent: 1 });
    expect(report.healthcheck.beforeStart.code).not.toBe(0);
    expect(report.healthcheck.whenUp.code).toBe(0);
    expect(report.healthcheck.whenDegraded.code).not.toBe(0);
    expect(report.stop.output).toContain("built=stage-one node_env=production home_from_host=false");
    if (process.getuid?.() === 0) expect(report.stop.output).toContain("uid=1000 ");
  });

  it("reports an app that does not exit 0 on SIGTERM", async () => {
    const report = await rehearseImage({ contextDir: context({ "server.mjs": server(3) }) });
    expect(rehearsalProblems(report)).toEqual(["the app exited with 3 on SIGTERM, not 0"]);
  });

  it("reports development packages that reached the image", async () => {
    const dir = context({
      Dockerfile: dockerfile().replace(
        "echo stage-one > built.txt",
        "echo stage-one > built.txt && mkdir node_modules/vitest && echo '{}' > node_modules/vitest/package.json",
      ),
    });
    expect(rehearsalProblems(await rehearseImage({ contextDir: dir }))).toEqual([
      "development packages in the image: vitest",
    ]);
  });

  it("fails a COPY of a file the .dockerignore leaves out", async () => {
    const dir = context({ "notes.txt": "x", Dockerfile: dockerfile("COPY notes.txt ./") });
    await expect(rehearseImage({ contextDir: dir })).rejects.toThrow(
      new RehearsalError(
        "line 11: COPY notes.txt: not in the build context (missing, or left out by .dockerignore)",
      ),
    );
  });

  it("fails on a RUN that fails, with its output", async () => {
    const dir = context({
      Dockerfile: dockerfile().replace(/^RUN .*$/m, "RUN echo broken-step >&2 && exit 7"),
    });
    await expect(rehearseImage({ contextDir: dir })).rejects.toThrow(
      /line 4: RUN exited with 7:\nbroken-step/,
    );
  });

  it("refuses a base image whose Node.js this machine cannot stand in for", async () => {
    const dir = context({ Dockerfile: dockerfile().replaceAll(NODE_IMAGE, "node:18-slim") });
    await expect(rehearseImage({ contextDir: dir })).rejects.toThrow(
      /node:18-slim but this machine has Node/,
    );
  });
});
