/**
 * What issue 6 asks of the image, checked on the parsed Dockerfile: several stages with the
 * production install in its own, a non-root user, NODE_ENV=production, the listener's port, a
 * HEALTHCHECK on /healthz, and an exec-form CMD so that node itself receives SIGTERM.
 */
import { type Command, type Dockerfile, finalStage, findStage, stageConfig } from "./dockerfile.ts";

export const APP_PORT = "8080";

function commandText(command: Command): string {
  return command.form === "exec" ? command.argv.join(" ") : command.script;
}

/** Problems found, one sentence each; empty when the Dockerfile meets every requirement. */
export function dockerfileProblems(dockerfile: Dockerfile): string[] {
  const problems: string[] = [];
  const runtime = finalStage(dockerfile);
  const config = stageConfig(runtime);

  if (dockerfile.stages.length < 2) problems.push("the build is not multi-stage");
  const modulesFrom = runtime.instructions.find(
    (i) => i.kind === "COPY" && i.from !== undefined && i.sources.some((s) => s.endsWith("node_modules")),
  );
  const depsStage =
    modulesFrom?.kind === "COPY" && modulesFrom.from !== undefined
      ? findStage(dockerfile, modulesFrom.from)
      : undefined;
  if (!depsStage || depsStage === runtime) {
    problems.push("the final stage does not take node_modules from an earlier stage");
  } else {
    const installs = depsStage.instructions.filter(
      (i) => i.kind === "RUN" && /\bnpm (install|i|ci)\b/.test(commandText(i.command)),
    );
    if (installs.length === 0)
      problems.push(`stage ${depsStage.name ?? depsStage.index} runs no npm install`);
    for (const i of installs) {
      if (i.kind === "RUN" && !/--omit[= ]dev\b|--production\b/.test(commandText(i.command))) {
        problems.push(`line ${i.line}: npm installs dev dependencies too (add --omit=dev)`);
      }
    }
  }
  if (runtime.instructions.some((i) => i.kind === "RUN" && /\bnpm\b/.test(commandText(i.command)))) {
    problems.push("the final stage runs npm itself; install in the deps stage");
  }

  if (!/^node:/.test(runtime.image))
    problems.push(`the final stage is not built on a node image (${runtime.image})`);
  if (["root", "0", "0:0", "root:root"].includes(config.user)) problems.push("the container runs as root");
  if (config.env.NODE_ENV !== "production") problems.push("NODE_ENV is not production");
  if (!config.exposed.some((p) => p.split("/")[0] === APP_PORT))
    problems.push(`port ${APP_PORT} is not exposed`);
  if (config.stopSignal !== "SIGTERM")
    problems.push(`STOPSIGNAL is ${config.stopSignal}, main.ts drains on SIGTERM`);

  if (!config.healthcheck) problems.push("there is no HEALTHCHECK");
  else if (!commandText(config.healthcheck.command).includes("/healthz")) {
    problems.push("the HEALTHCHECK does not ask /healthz");
  }

  if (config.entrypoint)
    problems.push("an ENTRYPOINT wraps the command; main.ts expects to be PID 1's program");
  if (!config.cmd) problems.push("there is no CMD");
  else if (config.cmd.form !== "exec") {
    problems.push("CMD is in shell form: /bin/sh would be PID 1 and swallow SIGTERM");
  } else if (config.cmd.argv[0] !== "node" || !config.cmd.argv.includes("src/main.ts")) {
    problems.push(`CMD does not run node on src/main.ts (${config.cmd.argv.join(" ")})`);
  }
  return problems;
}
