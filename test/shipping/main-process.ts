/**
 * The bot's entry in a child process, configured only by the environment given here, with its
 * pino lines parsed as they arrive so a test can await a particular message. By default the
 * TypeScript sources through tsx (`npm run dev`); `start` lets a test run the built
 * `dist/src/main.js` (as `npm start` and the image do), on another Node or from another folder.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { CONFIG_VARIABLES } from "../../src/config.ts";

const REPO = join(import.meta.dirname, "..", "..");

export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

export interface MainProcess {
  child: ChildProcess;
  lines: LogLine[];
  /** Everything the process wrote, for failure messages. */
  output(): string;
  /** What the process wrote to stderr only. */
  stderr(): string;
  /** Resolves with the first line (already seen or still to come) whose msg is `msg`. */
  waitForLog(msg: string, timeoutMs?: number): Promise<LogLine>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface StartOptions {
  /** The node binary (default: this process's). */
  node?: string;
  /** Arguments to node (default: the sources through tsx). */
  args?: string[];
  cwd?: string;
}

export const DEV_ARGS = ["--import", "tsx", "src/main.ts"];
export const BUILT_ARGS = ["--enable-source-maps", "dist/src/main.js"];

export function startMain(env: Record<string, string>, start: StartOptions = {}): MainProcess {
  // Every setting blank first: a developer's .env in the checkout must not configure this process.
  const fullEnv: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME };
  for (const name of CONFIG_VARIABLES) fullEnv[name] = "";
  Object.assign(fullEnv, env);

  const child = spawn(start.node ?? process.execPath, start.args ?? DEV_ARGS, {
    cwd: start.cwd ?? REPO,
    env: fullEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: LogLine[] = [];
  let raw = "";
  let pending = "";
  const waiters: { msg: string; resolve: (line: LogLine) => void }[] = [];
  const onLine = (text: string) => {
    let line: LogLine;
    try {
      line = JSON.parse(text) as LogLine;
    } catch {
      return;
    }
    lines.push(line);
    for (const w of waiters.filter((w) => w.msg === line.msg)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(line);
    }
  };
  child.stdout.on("data", (chunk: Buffer) => {
    raw += chunk.toString();
    pending += chunk.toString();
    const parts = pending.split("\n");
    pending = parts.pop() ?? "";
    for (const part of parts) onLine(part);
  });
  let errText = "";
  child.stderr.on("data", (chunk: Buffer) => {
    raw += chunk.toString();
    errText += chunk.toString();
  });
  const exited = once(child, "exit").then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));

  return {
    child,
    lines,
    output: () => raw,
    stderr: () => errText,
    exited,
    waitForLog(msg, timeoutMs = 15_000) {
      const seen = lines.find((l) => l.msg === msg);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no "${msg}" log line within ${timeoutMs} ms; output:\n${raw}`)),
          timeoutMs,
        );
        const waiter = {
          msg,
          resolve: (line: LogLine) => {
            clearTimeout(timer);
            resolve(line);
          },
        };
        waiters.push(waiter);
        void exited.then(() => {
          if (!waiters.includes(waiter)) return;
          clearTimeout(timer);
          reject(new Error(`the process exited before logging "${msg}"; output:\n${raw}`));
        });
      });
    },
  };
}

/** A stand-in AssetPay that only answers `GET /health`, enough for the app to start and report healthy. */
export async function startHealthOnlyAssetPay(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const ok = req.method === "GET" && req.url === "/health";
    res.writeHead(ok ? 200 : 404, { "content-type": "application/json" });
    res.end(JSON.stringify(ok ? { status: "ok" } : { error: "not_found" }));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
