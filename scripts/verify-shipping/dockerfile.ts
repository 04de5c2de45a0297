/**
 * A Dockerfile reader for the instructions skinbridge's image uses, enough to replay its build
 * without a Docker engine. Anything it does not model (ADD, VOLUME, SHELL, ONBUILD, COPY flags
 * other than --from) is an error rather than skipped, so the rehearsal can never quietly
 * diverge from what `docker build` would do.
 */

export type Command = { form: "exec"; argv: string[] } | { form: "shell"; script: string };

export type Instruction =
  | { kind: "WORKDIR"; line: number; path: string }
  | { kind: "COPY"; line: number; from?: string; sources: string[]; dest: string }
  | { kind: "RUN"; line: number; command: Command }
  | { kind: "ENV"; line: number; vars: Record<string, string> }
  | { kind: "USER"; line: number; user: string }
  | { kind: "EXPOSE"; line: number; ports: string[] }
  | { kind: "STOPSIGNAL"; line: number; signal: string }
  | { kind: "LABEL"; line: number; labels: Record<string, string> }
  | { kind: "HEALTHCHECK"; line: number; options: Record<string, string>; command: Command | null }
  | { kind: "CMD"; line: number; command: Command }
  | { kind: "ENTRYPOINT"; line: number; command: Command };

export interface Stage {
  index: number;
  /** The `AS` name, if any. */
  name?: string;
  /** The base image after global ARG substitution. */
  image: string;
  line: number;
  instructions: Instruction[];
}

export interface Dockerfile {
  /** Global ARGs (before the first FROM) with their defaults. */
  args: Record<string, string>;
  stages: Stage[];
}

/** What a stage's image is configured as once all its instructions ran. */
export interface StageConfig {
  workdir: string;
  env: Record<string, string>;
  /** The user the container's process runs as; "root" when unset. */
  user: string;
  exposed: string[];
  stopSignal: string;
  healthcheck: { options: Record<string, string>; command: Command } | null;
  cmd: Command | null;
  entrypoint: Command | null;
}

export class DockerfileError extends Error {
  constructor(line: number, message: string) {
    super(`Dockerfile line ${line}: ${message}`);
    this.name = "DockerfileError";
  }
}

interface LogicalLine {
  line: number;
  keyword: string;
  rest: string;
}

/** Joins `\` continuations and drops comments the way BuildKit does (a comment inside a continuation is dropped too). */
function logicalLines(text: string): LogicalLine[] {
  const out: LogicalLine[] = [];
  const physical = text.split(/\r?\n/);
  let pending: { line: number; parts: string[] } | undefined;
  physical.forEach((raw, i) => {
    const trimmed = raw.trim();
    if (trimmed.startsWith("#")) return;
    if (pending === undefined && trimmed === "") return;
    if (pending !== undefined && trimmed === "") return;
    const continues = /\\\s*$/.test(raw);
    const content = continues ? raw.replace(/\\\s*$/, "") : raw;
    if (pending === undefined) pending = { line: i + 1, parts: [] };
    pending.parts.push(content);
    if (!continues) {
      const joined = pending.parts.join(" ").trim();
      const match = /^(\S+)\s*(.*)$/s.exec(joined);
      if (match) out.push({ line: pending.line, keyword: match[1]!.toUpperCase(), rest: match[2]!.trim() });
      pending = undefined;
    }
  });
  if (pending !== undefined)
    throw new DockerfileError(pending.line, "the file ends inside a `\\` continuation");
  return out;
}

/** `["a", "b"]` is the exec form; anything else is a shell command. */
function parseCommand(rest: string, line: number): Command {
  if (rest.startsWith("[")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(rest);
    } catch {
      throw new DockerfileError(line, `not a JSON array of strings: ${rest}`);
    }
    if (!Array.isArray(parsed) || parsed.length === 0 || parsed.some((a) => typeof a !== "string")) {
      throw new DockerfileError(line, "the exec form must be a non-empty JSON array of strings");
    }
    return { form: "exec", argv: parsed as string[] };
  }
  if (rest === "") throw new DockerfileError(line, "missing command");
  return { form: "shell", script: rest };
}

/** Splits leading `--name=value` flags off an instruction's arguments. */
function takeFlags(rest: string): { flags: Record<string, string>; remainder: string } {
  const flags: Record<string, string> = {};
  let remainder = rest;
  for (;;) {
    const m = /^--([a-z-]+)(?:=(\S*))?\s*/.exec(remainder);
    if (!m) break;
    flags[m[1]!] = m[2] ?? "true";
    remainder = remainder.slice(m[0].length);
  }
  return { flags, remainder };
}

/** Splits on whitespace, honouring double and single quotes and backslash escapes. */
function splitWords(text: string): string[] {
  const words: string[] = [];
  let current = "";
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === "\\" && quote === '"' && i + 1 < text.length) current += text[++i];
      else current += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === "\\" && i + 1 < text.length) {
      current += text[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(current);
      current = "";
      inWord = false;
    } else {
      current += c;
      inWord = true;
    }
  }
  if (inWord) words.push(current);
  return words;
}

/** `$NAME`, `${NAME}` and `${NAME:-default}`, as Docker expands them in FROM, ENV, WORKDIR, COPY and friends. */
export function expandVariables(text: string, vars: Record<string, string>): string {
  return text.replace(
    /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g,
    (_m, braced: string | undefined, fallback: string | undefined, bare: string | undefined) => {
      const name = (braced ?? bare)!;
      const value = vars[name];
      return value !== undefined && value !== "" ? value : (fallback ?? "");
    },
  );
}

function parseKeyValues(rest: string, line: number, what: string): Record<string, string> {
  const words = splitWords(rest);
  const out: Record<string, string> = {};
  if (words.length >= 1 && !words[0]!.includes("=")) {
    // Legacy `ENV NAME value with spaces`.
    const [name, ...value] = rest.split(/\s+/);
    if (value.length === 0) throw new DockerfileError(line, `${what} ${name} has no value`);
    out[name!] = splitWords(value.join(" ")).join(" ");
    return out;
  }
  for (const word of words) {
    const eq = word.indexOf("=");
    if (eq <= 0) throw new DockerfileError(line, `${what} expects NAME=value, got ${word}`);
    out[word.slice(0, eq)] = word.slice(eq + 1);
  }
  return out;
}

export function parseDockerfile(text: string, buildArgs: Record<string, string> = {}): Dockerfile {
  const args: Record<string, string> = {};
  const stages: Stage[] = [];
  let stage: Stage | undefined;
  // Variables visible to expansion in the current stage: ENV so far (ARG inside a stage is not modelled).
  let env: Record<string, string> = {};

  for (const { line, keyword, rest } of logicalLines(text)) {
    if (keyword === "ARG") {
      if (stage !== undefined) throw new DockerfileError(line, "ARG inside a stage is not supported here");
      const eq = rest.indexOf("=");
      const name = eq === -1 ? rest : rest.slice(0, eq);
      args[name] = buildArgs[name] ?? (eq === -1 ? "" : splitWords(rest.slice(eq + 1)).join(" "));
      continue;
    }
    if (keyword === "FROM") {
      const { flags, remainder } = takeFlags(rest);
      if (Object.keys(flags).some((f) => f !== "platform")) {
        throw new DockerfileError(line, `unsupported FROM flag in ${rest}`);
      }
      const m = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(remainder);
      if (!m) throw new DockerfileError(line, `cannot read FROM ${rest}`);
      stage = { index: stages.length, image: expandVariables(m[1]!, args), line, instructions: [] };
      if (m[2] !== undefined) stage.name = m[2].toLowerCase();
      stages.push(stage);
      env = {};
      continue;
    }
    if (stage === undefined) throw new DockerfileError(line, `${keyword} before the first FROM`);
    const push = (instruction: Instruction) => stage!.instructions.push(instruction);
    switch (keyword) {
      case "WORKDIR":
        push({ kind: "WORKDIR", line, path: expandVariables(rest, env) });
        break;
      case "COPY": {
        const { flags, remainder } = takeFlags(rest);
        const unsupported = Object.keys(flags).filter((f) => f !== "from");
        if (unsupported.length > 0) {
          throw new DockerfileError(
            line,
            `COPY --${unsupported.join(", --")} is not modelled by the rehearsal`,
          );
        }
        const parts = remainder.startsWith("[")
          ? (parseCommand(remainder, line) as { argv: string[] }).argv
          : splitWords(expandVariables(remainder, env));
        if (parts.length < 2)
          throw new DockerfileError(line, "COPY needs at least one source and a destination");
        const copy: Instruction = { kind: "COPY", line, sources: parts.slice(0, -1), dest: parts.at(-1)! };
        if (flags.from !== undefined) copy.from = flags.from.toLowerCase();
        push(copy);
        break;
      }
      case "RUN":
        if (rest.startsWith("--"))
          throw new DockerfileError(line, "RUN flags are not modelled by the rehearsal");
        push({ kind: "RUN", line, command: parseCommand(rest, line) });
        break;
      case "ENV": {
        const vars = parseKeyValues(expandVariables(rest, env), line, "ENV");
        env = { ...env, ...vars };
        push({ kind: "ENV", line, vars });
        break;
      }
      case "USER":
        push({ kind: "USER", line, user: expandVariables(rest, env) });
        break;
      case "EXPOSE":
        push({ kind: "EXPOSE", line, ports: splitWords(expandVariables(rest, env)) });
        break;
      case "STOPSIGNAL":
        push({ kind: "STOPSIGNAL", line, signal: expandVariables(rest, env) });
        break;
      case "LABEL":
        push({ kind: "LABEL", line, labels: parseKeyValues(expandVariables(rest, env), line, "LABEL") });
        break;
      case "HEALTHCHECK": {
        const { flags, remainder } = takeFlags(rest);
        if (/^NONE$/i.test(remainder)) {
          push({ kind: "HEALTHCHECK", line, options: flags, command: null });
          break;
        }
        const m = /^CMD\s+(.*)$/is.exec(remainder);
        if (!m) throw new DockerfileError(line, "HEALTHCHECK needs CMD <command> or NONE");
        push({ kind: "HEALTHCHECK", line, options: flags, command: parseCommand(m[1]!.trim(), line) });
        break;
      }
      case "CMD":
      case "ENTRYPOINT":
        push({ kind: keyword, line, command: parseCommand(rest, line) });
        break;
      default:
        throw new DockerfileError(line, `${keyword} is not modelled by the rehearsal`);
    }
  }
  if (stages.length === 0) throw new DockerfileError(1, "no FROM");
  return { args, stages };
}

/** Resolves a path the way WORKDIR and COPY do: absolute, or relative to the current workdir. */
export function resolveImagePath(workdir: string, path: string): string {
  const joined = path.startsWith("/") ? path : `${workdir.replace(/\/$/, "")}/${path}`;
  const parts: string[] = [];
  for (const part of joined.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  return `/${parts.join("/")}`;
}

/** The image configuration a stage ends with (what `docker inspect` would show for it). */
export function stageConfig(stage: Stage): StageConfig {
  const config: StageConfig = {
    workdir: "/",
    env: {},
    user: "root",
    exposed: [],
    stopSignal: "SIGTERM",
    healthcheck: null,
    cmd: null,
    entrypoint: null,
  };
  for (const ins of stage.instructions) {
    switch (ins.kind) {
      case "WORKDIR":
        config.workdir = resolveImagePath(config.workdir, ins.path);
        break;
      case "ENV":
        config.env = { ...config.env, ...ins.vars };
        break;
      case "USER":
        config.user = ins.user;
        break;
      case "EXPOSE":
        config.exposed.push(...ins.ports);
        break;
      case "STOPSIGNAL":
        config.stopSignal = ins.signal;
        break;
      case "HEALTHCHECK":
        config.healthcheck = ins.command ? { options: ins.options, command: ins.command } : null;
        break;
      case "CMD":
        config.cmd = ins.command;
        break;
      case "ENTRYPOINT":
        config.entrypoint = ins.command;
        break;
    }
  }
  return config;
}

/** The stage `docker build` produces without `--target`: the last one. */
export function finalStage(dockerfile: Dockerfile): Stage {
  return dockerfile.stages.at(-1)!;
}

/** Finds the stage a `COPY --from=` or `FROM` names, by name or index. */
export function findStage(dockerfile: Dockerfile, ref: string): Stage | undefined {
  return /^\d+$/.test(ref)
    ? dockerfile.stages[Number(ref)]
    : dockerfile.stages.find((s) => s.name === ref.toLowerCase());
}
