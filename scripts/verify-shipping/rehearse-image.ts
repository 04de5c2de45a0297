/**
 * Replays the Dockerfile without a Docker engine: each stage gets its own folder standing in
 * for its image's root filesystem, COPY takes from a copy of the build context filtered by
 * .dockerignore (or from an earlier stage's folder), RUN runs its command there, and the final
 * stage is started the way its CMD says, as its USER, with nothing from this machine's
 * environment. The base image's Node.js is stood in for by this machine's, which is why the
 * image must be a node image of the same major version.
 *
 * What it then observes: which packages the production node_modules holds, whether the
 * HEALTHCHECK fails with nothing listening, passes once the app is up and fails again when the
 * app reports itself degraded, and how the app ends on SIGTERM.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
} from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { basename, dirname, join, parse as parsePath } from "node:path";
import {
  type Command,
  type Dockerfile,
  finalStage,
  findStage,
  parseDockerfile,
  resolveImagePath,
  type Stage,
  stageConfig,
} from "./dockerfile.ts";
import { copyBuildContext, parseDockerignore } from "./dockerignore.ts";
import { checkProductionModules, type ModulesReport } from "./production-modules.ts";

/** Credentials that only the fake AssetPay below ever sees. */
const FAKE_API_KEY = "ap_rehearsal_key_0123456789";
const FAKE_API_SECRET = "rehearsal-api-secret-0123456789";

/** The official node images create `node` as uid/gid 1000. */
const IMAGE_USERS: Record<string, { uid: number; gid: number }> = { node: { uid: 1000, gid: 1000 } };

export class RehearsalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RehearsalError";
  }
}

export interface RehearsalOptions {
  /** The build context: the repository root holding Dockerfile and .dockerignore. */
  contextDir: string;
  /** Keep the stage folders afterwards (for a look at what the image would hold). */
  keep?: boolean;
  log?: (line: string) => void;
}

export interface RunOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

export interface RehearsalReport {
  workDir: string;
  contextFiles: string[];
  /** The uid/gid the app ran as; null when this machine's user could not switch (not root). */
  ranAs: { uid: number; gid: number } | null;
  modules: ModulesReport;
  healthcheck: { beforeStart: RunOutcome; whenUp: RunOutcome; whenDegraded: RunOutcome };
  /** How the app process ended after SIGTERM. */
  stop: RunOutcome;
}

function run(
  argv: string[],
  opts: {
    cwd: string;
    env: NodeJS.ProcessEnv;
    user?: { uid: number; gid: number } | null;
    timeoutMs: number;
  },
): Promise<RunOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd: opts.cwd,
      env: opts.env,
      stdio: ["ignore", "pipe", "pipe"],
      ...(opts.user ? { uid: opts.user.uid, gid: opts.user.gid } : {}),
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs);
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, output });
    });
  });
}

/** Exec form runs the program itself (`node` is this machine's node); shell form goes through /bin/sh -c. */
function argvOf(command: Command): string[] {
  if (command.form === "shell") return ["/bin/sh", "-c", command.script];
  const [program, ...rest] = command.argv;
  return [program === "node" ? process.execPath : program!, ...rest];
}

function imageUser(user: string): { uid: number; gid: number } | null {
  if (user === "root" || user === "0" || user === "0:0") return null;
  const numeric = /^(\d+)(?::(\d+))?$/.exec(user);
  if (numeric) return { uid: Number(numeric[1]), gid: Number(numeric[2] ?? numeric[1]) };
  const known = IMAGE_USERS[user];
  if (!known)
    throw new RehearsalError(`USER ${user}: unknown to the rehearsal (it knows node and numeric ids)`);
  return known;
}

/** A node_modules in a folder above the work dir would let the app load packages the image lacks. */
function assertNoAncestorModules(dir: string): void {
  let current = dirname(dir);
  for (;;) {
    if (existsSync(join(current, "node_modules"))) {
      throw new RehearsalError(`${join(current, "node_modules")} exists and would mask missing packages`);
    }
    if (current === parsePath(current).root) return;
    current = dirname(current);
  }
}

/** Environment for RUN steps: this machine's (its npm registry settings), minus what a test runner injects. */
function buildEnv(stageEnv: Record<string, string>, npmCache: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith("VITEST") || k === "NODE_OPTIONS" || k === "NODE_ENV" || k === "TSX_TSCONFIG_PATH")
      continue;
    if (k.startsWith("npm_") && !k.startsWith("npm_config_")) continue;
    env[k] = v;
  }
  // A cache of its own: the build starts from nothing, like a fresh builder.
  return { ...env, ...stageEnv, npm_config_cache: npmCache, npm_config_update_notifier: "false" };
}

async function startFakeAssetPay(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const ok = req.method === "GET" && req.url === "/health";
    res.writeHead(ok ? 200 : 404, { "content-type": "application/json" });
    res.end(JSON.stringify(ok ? { status: "ok", maintenance: { mode: false } } : { error: "not_found" }));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, "close");
  return port;
}

function copyInto(from: string, to: string, destIsDir: boolean): void {
  const isDir = statSync(from).isDirectory();
  // COPY of a folder copies its contents; of a file into a folder keeps the file's name.
  const target =
    !isDir && (destIsDir || (existsSync(to) && statSync(to).isDirectory())) ? join(to, basename(from)) : to;
  mkdirSync(isDir ? target : dirname(target), { recursive: true });
  cpSync(from, target, { recursive: true, verbatimSymlinks: true, force: true });
}

async function buildStage(
  dockerfile: Dockerfile,
  stage: Stage,
  paths: { context: string; stageRoot: (s: Stage) => string; npmCache: string },
  log: (line: string) => void,
): Promise<void> {
  const root = paths.stageRoot(stage);
  mkdirSync(root, { recursive: true });
  let workdir = "/";
  let env: Record<string, string> = {};
  let user = "root";
  const host = (imagePath: string) => join(root, imagePath);

  for (const ins of stage.instructions) {
    switch (ins.kind) {
      case "WORKDIR":
        workdir = resolveImagePath(workdir, ins.path);
        mkdirSync(host(workdir), { recursive: true });
        break;
      case "ENV":
        env = { ...env, ...ins.vars };
        break;
      case "USER":
        user = ins.user;
        break;
      case "COPY": {
        const dest = resolveImagePath(workdir, ins.dest);
        const destIsDir = ins.dest.endsWith("/") || ins.sources.length > 1;
        let sourceRoot = paths.context;
        if (ins.from !== undefined) {
          const from = findStage(dockerfile, ins.from);
          if (!from || from.index >= stage.index) {
            throw new RehearsalError(`line ${ins.line}: COPY --from=${ins.from} names no earlier stage`);
          }
          sourceRoot = paths.stageRoot(from);
        }
        for (const source of ins.sources) {
          if (/[*?[]/.test(source))
            throw new RehearsalError(`line ${ins.line}: COPY wildcards are not modelled`);
          // Both a context path and a path in another stage are taken from their root.
          const from = join(sourceRoot, resolveImagePath("/", source));
          if (!existsSync(from)) {
            throw new RehearsalError(
              ins.from !== undefined
                ? `line ${ins.line}: COPY --from=${ins.from} ${source}: not found in that stage`
                : `line ${ins.line}: COPY ${source}: not in the build context (missing, or left out by .dockerignore)`,
            );
          }
          copyInto(from, host(dest), destIsDir);
        }
        log(`  COPY ${ins.from ? `--from=${ins.from} ` : ""}${ins.sources.join(" ")} → ${dest}`);
        break;
      }
      case "RUN": {
        const started = Date.now();
        const runAs = process.getuid?.() === 0 ? imageUser(user) : null;
        const outcome = await run(argvOf(ins.command), {
          cwd: host(workdir),
          env: buildEnv(env, paths.npmCache),
          user: runAs,
          timeoutMs: 180_000,
        });
        if (outcome.code !== 0) {
          throw new RehearsalError(
            `line ${ins.line}: RUN exited with ${outcome.code ?? outcome.signal}:\n${outcome.output.slice(-4000)}`,
          );
        }
        log(`  RUN (line ${ins.line}) ok in ${((Date.now() - started) / 1000).toFixed(1)} s`);
        break;
      }
      default:
        // Image configuration only (EXPOSE, HEALTHCHECK, CMD…): read from stageConfig when the app starts.
        break;
    }
  }
}

async function waitForHealthy(
  check: () => Promise<RunOutcome>,
  app: ChildProcess,
  appOutput: () => string,
  timeoutMs: number,
): Promise<RunOutcome> {
  const deadline = Date.now() + timeoutMs;
  let last: RunOutcome | undefined;
  while (Date.now() < deadline) {
    if (app.exitCode !== null || app.signalCode !== null) {
      throw new RehearsalError(
        `the app exited (${app.exitCode ?? app.signalCode}) before it was healthy:\n${appOutput()}`,
      );
    }
    last = await check();
    if (last.code === 0) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new RehearsalError(
    `the HEALTHCHECK never passed; last: ${last?.output}\napp output:\n${appOutput()}`,
  );
}

export async function rehearseImage(options: RehearsalOptions): Promise<RehearsalReport> {
  const log = options.log ?? (() => {});
  const dockerfile = parseDockerfile(readFileSync(join(options.contextDir, "Dockerfile"), "utf8"));
  const ignoreFile = join(options.contextDir, ".dockerignore");
  const rules = existsSync(ignoreFile) ? parseDockerignore(readFileSync(ignoreFile, "utf8")) : [];

  const hostMajor = process.versions.node.split(".")[0];
  for (const stage of dockerfile.stages) {
    const m = /^node:(\d+)(?:[.-]|$)/.exec(stage.image);
    if (!m)
      throw new RehearsalError(
        `stage ${stage.name ?? stage.index}: only node:<major> images can be rehearsed`,
      );
    if (m[1] !== hostMajor) {
      throw new RehearsalError(
        `stage ${stage.name ?? stage.index} is ${stage.image} but this machine has Node ${hostMajor}`,
      );
    }
  }

  const workDir = mkdtempSync(join(tmpdir(), "skinbridge-image-"));
  // mkdtemp makes it private to root; the app runs as the image's user and must reach its files.
  chmodSync(workDir, 0o755);
  const servers: Server[] = [];
  let app: ChildProcess | undefined;
  try {
    assertNoAncestorModules(workDir);
    const context = join(workDir, "context");
    const contextFiles = copyBuildContext(options.contextDir, context, rules);
    log(`build context: ${contextFiles.length} files after .dockerignore`);

    const stageRoot = (s: Stage) => join(workDir, "stages", `${s.index}-${s.name ?? "unnamed"}`);
    const npmCache = join(workDir, "npm-cache");
    for (const stage of dockerfile.stages) {
      log(`stage ${stage.name ?? stage.index} (FROM ${stage.image})`);
      await buildStage(dockerfile, stage, { context, stageRoot, npmCache }, log);
    }

    const runtime = finalStage(dockerfile);
    const config = stageConfig(runtime);
    const appDir = join(stageRoot(runtime), config.workdir);
    const modules = checkProductionModules(join(context, "package-lock.json"), appDir);

    if (!config.cmd) throw new RehearsalError("the final stage has no CMD");
    if (!config.healthcheck) throw new RehearsalError("the final stage has no HEALTHCHECK");
    const ranAs = process.getuid?.() === 0 ? imageUser(config.user) : null;
    const home = join(workDir, "home");
    mkdirSync(home);
    if (ranAs) chownSync(home, ranAs.uid, ranAs.gid);

    const assetpay = await startFakeAssetPay();
    servers.push(assetpay.server);
    const port = await freePort();
    // What `docker run` gives the process: the image's ENV plus what compose passes, nothing of this machine's.
    const containerEnv: NodeJS.ProcessEnv = {
      PATH: `${dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`,
      HOME: home,
      ...config.env,
      SKINBRIDGE_EPHEMERAL: "true",
      ASSETPAY_API_KEY: FAKE_API_KEY,
      ASSETPAY_API_SECRET: FAKE_API_SECRET,
      ASSETPAY_BASE_URL: assetpay.url,
      // A container listens on 0.0.0.0 inside its own network namespace; here that would be every interface.
      HTTP_HOST: "127.0.0.1",
      HTTP_PORT: String(port),
      LOG_LEVEL: "info",
    };
    const healthcheck = config.healthcheck.command;
    const check = () =>
      run(argvOf(healthcheck), { cwd: appDir, env: containerEnv, user: ranAs, timeoutMs: 10_000 });

    const beforeStart = await check();
    const cmd = argvOf(config.cmd);
    log(
      `starting: ${config.cmd.form === "exec" ? config.cmd.argv.join(" ") : cmd.join(" ")} as ${config.user}`,
    );
    const started = spawn(cmd[0]!, cmd.slice(1), {
      cwd: appDir,
      env: containerEnv,
      stdio: ["ignore", "pipe", "pipe"],
      ...(ranAs ? { uid: ranAs.uid, gid: ranAs.gid } : {}),
    });
    app = started;
    let appOutput = "";
    started.stdout?.on("data", (d: Buffer) => (appOutput += d.toString()));
    started.stderr?.on("data", (d: Buffer) => (appOutput += d.toString()));
    const exited = once(started, "exit") as Promise<[number | null, NodeJS.Signals | null]>;

    const whenUp = await waitForHealthy(check, started, () => appOutput, 30_000);
    log("HEALTHCHECK passes against the running app");
    // With AssetPay gone, /healthz answers 503 and the HEALTHCHECK must say so.
    assetpay.server.close();
    assetpay.server.closeAllConnections();
    const whenDegraded = await check();

    started.kill("SIGTERM");
    const timeout = setTimeout(() => started.kill("SIGKILL"), 30_000);
    const [code, signal] = await exited;
    clearTimeout(timeout);
    app = undefined;
    log(`after SIGTERM the app exited with ${code ?? signal}`);

    return {
      workDir,
      contextFiles,
      ranAs,
      modules,
      healthcheck: { beforeStart, whenUp, whenDegraded },
      stop: { code, signal, output: appOutput },
    };
  } finally {
    app?.kill("SIGKILL");
    for (const s of servers) s.close();
    if (!options.keep) rmSync(workDir, { recursive: true, force: true });
  }
}

/** What the report says against the requirements; empty when the image behaves. */
export function rehearsalProblems(report: RehearsalReport): string[] {
  const problems: string[] = [];
  const { modules, healthcheck, stop } = report;
  if (modules.devPresent.length > 0) {
    problems.push(`development packages in the image: ${modules.devPresent.join(", ")}`);
  }
  if (modules.prodMissing.length > 0)
    problems.push(`production packages missing: ${modules.prodMissing.join(", ")}`);
  if (modules.prodPresent === 0) problems.push("the image has no production packages at all");
  if (
    report.contextFiles.some((f) => f === ".env" || f.startsWith("node_modules/") || f.startsWith(".git/"))
  ) {
    problems.push("the build context holds .env, node_modules or .git");
  }
  if (healthcheck.beforeStart.code === 0) problems.push("the HEALTHCHECK passes with nothing listening");
  if (healthcheck.whenUp.code !== 0) problems.push("the HEALTHCHECK fails against the running app");
  if (healthcheck.whenDegraded.code === 0)
    problems.push("the HEALTHCHECK passes while /healthz reports degraded");
  if (stop.code !== 0) problems.push(`the app exited with ${stop.code ?? stop.signal} on SIGTERM, not 0`);
  if (!stop.output.includes("stopped cleanly"))
    problems.push("the app did not log 'stopped cleanly' on SIGTERM");
  return problems;
}
