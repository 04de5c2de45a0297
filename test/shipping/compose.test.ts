/**
 * docker-compose.yml against the Compose Specification's JSON schema and against the
 * deployment requirements; each check is shown to reject the file that breaks it.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  ComposeError,
  composeProblems,
  createComposeValidator,
  durationSeconds,
  parseCompose,
} from "../../scripts/verify-shipping/compose.ts";

const REPO = join(import.meta.dirname, "..", "..");
const text = readFileSync(join(REPO, "docker-compose.yml"), "utf8");
const validate = createComposeValidator();

type Compose = {
  services: Record<string, Record<string, unknown>>;
  volumes?: Record<string, unknown>;
  [key: string]: unknown;
};
/** The project's compose file, parsed afresh so each test can break its own copy. */
const project = () => parseCompose(text) as Compose;

describe("the project's docker-compose.yml", () => {
  it("is valid against the Compose Specification", () => {
    expect(validate(project())).toEqual([]);
  });

  it("meets the deployment requirements", () => {
    expect(composeProblems(project())).toEqual([]);
  });

  it("runs the bot and Redis with an append-only file on a named volume", () => {
    const { services, volumes } = project();
    expect(Object.keys(services).sort()).toEqual(["bot", "redis"]);
    expect(services.redis?.command).toEqual(expect.arrayContaining(["--appendonly", "yes"]));
    expect(services.redis?.volumes).toEqual(["redis-data:/data"]);
    expect(volumes).toHaveProperty("redis-data");
  });
});

describe("the Compose Specification schema", () => {
  it("rejects a misspelt service key", () => {
    const compose = project();
    compose.services.bot!.depend_on = compose.services.bot!.depends_on;
    delete compose.services.bot!.depends_on;
    expect(validate(compose)).toContain("/services/bot must NOT have additional properties 'depend_on'");
  });

  it("rejects an unknown depends_on condition", () => {
    const compose = project();
    compose.services.bot!.depends_on = { redis: { condition: "service_ready" } };
    expect(validate(compose).join("\n")).toContain("/services/bot/depends_on/redis/condition");
  });

  it("rejects a healthcheck option Compose does not know", () => {
    const compose = project();
    compose.services.redis!.healthcheck = { test: ["CMD", "redis-cli", "ping"], every: "5s" };
    expect(validate(compose)).toContain(
      "/services/redis/healthcheck must NOT have additional properties 'every'",
    );
  });

  it("rejects an unknown top-level section", () => {
    expect(validate({ ...project(), service: {} })).toContain(
      "(top level) must NOT have additional properties 'service'",
    );
  });
});

describe("reading compose YAML", () => {
  it("refuses a duplicated key, as Compose does", () => {
    expect(() => parseCompose("services:\n  bot:\n    image: a\n    image: b\n")).toThrow(ComposeError);
  });

  it("refuses broken YAML", () => {
    expect(() => parseCompose("services: [\n")).toThrow(ComposeError);
  });
});

describe("the deployment requirements", () => {
  const broken = (change: (c: Compose) => void) => {
    const compose = project();
    change(compose);
    return composeProblems(compose).join("\n");
  };

  it.each<[string, (c: Compose) => void, string]>([
    [
      "Redis without an append-only file",
      (c) => (c.services.redis!.command = ["redis-server"]),
      "--appendonly yes",
    ],
    [
      "Redis fsync left to the OS",
      (c) => (c.services.redis!.command = ["redis-server", "--appendonly", "yes", "--appendfsync", "no"]),
      "--appendfsync",
    ],
    ["Redis data in the container", (c) => delete c.services.redis!.volumes, "/data on no volume"],
    ["Redis data on an undeclared volume", (c) => delete c.volumes, "not a named volume"],
    [
      "Redis data on a host folder",
      (c) => (c.services.redis!.volumes = ["./data:/data"]),
      "not a named volume",
    ],
    ["no Redis healthcheck", (c) => delete c.services.redis!.healthcheck, "redis-cli ping"],
    ["another Redis major", (c) => (c.services.redis!.image = "redis:6"), "redis:7"],
    [
      "the bot started before Redis is healthy",
      (c) => (c.services.bot!.depends_on = ["redis"]),
      "service_healthy",
    ],
    ["the bot without .env", (c) => delete c.services.bot!.env_file, ".env"],
    ["the bot pointed at another Redis", (c) => (c.services.bot!.environment = {}), "REDIS_URL"],
    [
      "the bot listening elsewhere than the image checks",
      (c) => (c.services.bot!.environment = { REDIS_URL: "redis://redis:6379/0", HTTP_PORT: "9000" }),
      "HTTP_PORT is 9000",
    ],
    ["the bot unpublished", (c) => delete c.services.bot!.ports, "publish port 8080"],
    ["the bot from a registry image", (c) => delete c.services.bot!.build, "build: ."],
    ["the bot never restarted", (c) => (c.services.bot!.restart = "no"), "bot's restart policy"],
    ["Redis never restarted", (c) => delete c.services.redis!.restart, "redis's restart policy"],
    ["the default 10 s grace period", (c) => delete c.services.bot!.stop_grace_period, "stop_grace_period"],
    ["no redis service", (c) => delete c.services.redis, "no `redis` service"],
  ])("catch %s", (_what, change, expected) => {
    expect(broken(change)).toContain(expected);
  });

  it("accept the long port and volume syntaxes and the list form of environment", () => {
    const compose = project();
    compose.services.bot!.ports = [{ target: 8080, published: 8080 }];
    compose.services.bot!.environment = ["REDIS_URL=redis://redis:6379"];
    compose.services.redis!.volumes = [{ type: "volume", source: "redis-data", target: "/data" }];
    expect(composeProblems(compose)).toEqual([]);
    expect(validate(compose)).toEqual([]);
  });

  it("read Compose durations", () => {
    expect(durationSeconds("30s")).toBe(30);
    expect(durationSeconds("1m30s")).toBe(90);
    expect(durationSeconds("1500ms")).toBe(1.5);
    expect(durationSeconds("soon")).toBeNaN();
  });
});
