/**
 * The Dockerfile as the rehearsal reads it, and the image requirements checked on it: the
 * project's Dockerfile meets them all, and each requirement catches the Dockerfile that breaks it.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  DockerfileError,
  finalStage,
  parseDockerfile,
  resolveImagePath,
  stageConfig,
} from "../../scripts/verify-shipping/dockerfile.ts";
import { dockerfileProblems } from "../../scripts/verify-shipping/dockerfile-policy.ts";

const REPO = join(import.meta.dirname, "..", "..");
const projectDockerfile = () => parseDockerfile(readFileSync(join(REPO, "Dockerfile"), "utf8"));

const GOOD = `
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --omit=dev
FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY src ./src
USER node
EXPOSE 8080
HEALTHCHECK CMD ["node", "-e", "fetch('http://127.0.0.1:8080/healthz')"]
CMD ["node", "--import", "tsx", "src/main.ts"]
`;

describe("the project's Dockerfile", () => {
  it("installs production dependencies in a deps stage and runs as node from a runtime stage", () => {
    const dockerfile = projectDockerfile();
    expect(dockerfile.stages.map((s) => [s.name, s.image])).toEqual([
      ["deps", "node:20-bookworm-slim"],
      ["runtime", "node:20-bookworm-slim"],
    ]);
    const config = stageConfig(finalStage(dockerfile));
    expect(config).toMatchObject({
      workdir: "/app",
      user: "node",
      env: { NODE_ENV: "production" },
      exposed: ["8080"],
      stopSignal: "SIGTERM",
      cmd: { form: "exec", argv: ["node", "--import", "tsx", "src/main.ts"] },
    });
    expect(config.healthcheck?.command).toMatchObject({
      form: "exec",
      argv: ["node", "-e", expect.any(String)],
    });
  });

  it("meets every image requirement", () => {
    expect(dockerfileProblems(projectDockerfile())).toEqual([]);
  });
});

describe("the image requirements", () => {
  it("pass for a Dockerfile that meets them", () => {
    expect(dockerfileProblems(parseDockerfile(GOOD))).toEqual([]);
  });

  it.each([
    [
      "a single stage",
      GOOD.replace(/^FROM node:20-bookworm-slim AS deps[\s\S]*?(?=FROM)/m, ""),
      "multi-stage",
    ],
    ["dev dependencies installed", GOOD.replace("--omit=dev", ""), "--omit=dev"],
    ["no USER", GOOD.replace("USER node\n", ""), "runs as root"],
    ["USER root", GOOD.replace("USER node", "USER root"), "runs as root"],
    ["no NODE_ENV", GOOD.replace("ENV NODE_ENV=production\n", ""), "NODE_ENV"],
    ["another port", GOOD.replace("EXPOSE 8080", "EXPOSE 3000"), "port 8080"],
    ["no HEALTHCHECK", GOOD.replace(/^HEALTHCHECK.*\n/m, ""), "no HEALTHCHECK"],
    ["a HEALTHCHECK elsewhere", GOOD.replace("/healthz", "/metrics"), "/healthz"],
    ["a shell-form CMD", GOOD.replace(/^CMD .*$/m, "CMD node --import tsx src/main.ts"), "shell form"],
    ["CMD through npm", GOOD.replace(/^CMD .*$/m, 'CMD ["npm", "start"]'), "src/main.ts"],
    ["another STOPSIGNAL", `${GOOD}STOPSIGNAL SIGQUIT\n`, "STOPSIGNAL"],
  ])("catch %s", (_what, dockerfile, expected) => {
    const problems = dockerfileProblems(parseDockerfile(dockerfile));
    expect(problems.join("\n")).toContain(expected);
  });
});

describe("reading a Dockerfile", () => {
  it("joins continuations, skips comments inside them and expands global ARGs in FROM", () => {
    const dockerfile = parseDockerfile(
      [
        "ARG BASE=node:20-slim",
        // biome-ignore lint/suspicious/noTemplateCurlyInString: Dockerfile variable syntax, not a template
        "FROM ${BASE} AS build",
        "RUN echo one \\",
        "# a comment inside the continuation",
        "  && echo two",
        'ENV A=1 B="two words"',
        "ENV LEGACY value with spaces",
        "WORKDIR $A",
      ].join("\n"),
    );
    const stage = dockerfile.stages[0]!;
    expect(stage).toMatchObject({ name: "build", image: "node:20-slim", line: 2 });
    expect(stage.instructions[0]).toMatchObject({
      kind: "RUN",
      line: 3,
      command: { form: "shell", script: "echo one    && echo two" },
    });
    expect(stageConfig(stage).env).toEqual({ A: "1", B: "two words", LEGACY: "value with spaces" });
    expect(stageConfig(stage).workdir).toBe("/1");
  });

  it("lets a build argument override an ARG default", () => {
    const dockerfile = parseDockerfile("ARG BASE=node:20-slim\nFROM $BASE\n", { BASE: "node:20-alpine" });
    expect(dockerfile.stages[0]!.image).toBe("node:20-alpine");
  });

  it("refuses instructions and flags the rehearsal does not model, naming the line", () => {
    expect(() => parseDockerfile("FROM node:20\nADD x.tar.gz /\n")).toThrow(
      new DockerfileError(2, "ADD is not modelled by the rehearsal"),
    );
    expect(() => parseDockerfile("FROM node:20\nCOPY --chown=node src ./src\n")).toThrow(
      /line 2: COPY --chown/,
    );
    expect(() => parseDockerfile("FROM node:20\nRUN --mount=type=cache,target=/x true\n")).toThrow(/line 2/);
    expect(() => parseDockerfile("RUN true\n")).toThrow(/before the first FROM/);
    expect(() => parseDockerfile('FROM node:20\nCMD ["node", 1]\n')).toThrow(/JSON array of strings/);
  });

  it("resolves image paths against the working directory", () => {
    expect(resolveImagePath("/app", "./node_modules")).toBe("/app/node_modules");
    expect(resolveImagePath("/app", "../etc")).toBe("/etc");
    expect(resolveImagePath("/app", "/data/")).toBe("/data");
  });
});
