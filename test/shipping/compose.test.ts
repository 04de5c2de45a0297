/**
 * docker-compose.yml against the Compose Specification's JSON schema, what the deployment
 * needs of it (durable Redis, loopback-only bot port, the HTTPS proxy profile), and the Caddy
 * configuration that profile runs, validated by Caddy itself (`caddy validate`).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ComposeError, createComposeValidator, parseCompose } from "./compose-schema.ts";

const REPO = join(import.meta.dirname, "..", "..");
const text = readFileSync(join(REPO, "docker-compose.yml"), "utf8");
const validate = createComposeValidator();

type Service = Record<string, unknown> & { ports?: unknown[]; profiles?: string[] };
type Compose = {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
  [key: string]: unknown;
};
const project = () => parseCompose(text) as Compose;

describe("the project's docker-compose.yml", () => {
  it("is valid against the Compose Specification", () => {
    expect(validate(project())).toEqual([]);
  });

  it("runs the bot and Redis by default, with an append-only file fsynced on every write on a named volume", () => {
    const { services, volumes } = project();
    const always = Object.entries(services).filter(([, s]) => !s.profiles);
    expect(always.map(([name]) => name).sort()).toEqual(["bot", "redis"]);
    expect(services.redis?.command).toEqual([
      "redis-server",
      "--appendonly",
      "yes",
      "--appendfsync",
      "always",
    ]);
    expect(services.redis?.volumes).toEqual(["redis-data:/data"]);
    expect(volumes).toHaveProperty("redis-data");
    expect(services.bot?.depends_on).toEqual({ redis: { condition: "service_healthy" } });
    expect(services.bot?.stop_grace_period).toBe("30s");
  });

  it("publishes the bot's port on loopback only; only the proxy profile listens publicly", () => {
    const { services } = project();
    expect(services.bot?.ports).toEqual(["127.0.0.1:8080:8080"]);
    expect(services.redis?.ports).toBeUndefined();
    expect(services.caddy?.profiles).toEqual(["proxy"]);
    expect(services.caddy?.ports).toEqual(["80:80", "443:443", "443:443/udp"]);
    expect(services.caddy?.volumes).toContain("./deploy/Caddyfile:/etc/caddy/Caddyfile:ro");
    expect(services.caddy?.volumes).toContain("caddy-data:/data");
  });
});

describe("the Compose Specification schema", () => {
  it("rejects a misspelt service key", () => {
    const compose = project();
    compose.services.bot!.depend_on = compose.services.bot!.depends_on;
    delete compose.services.bot!.depends_on;
    expect(validate(compose)).toContain("/services/bot must NOT have additional properties 'depend_on'");
  });

  it("rejects profiles that are not a list", () => {
    const compose = project();
    compose.services.caddy!.profiles = "proxy" as unknown as string[];
    expect(validate(compose).join("\n")).toContain("/services/caddy/profiles");
  });

  it("refuses a duplicated key, as Compose does", () => {
    expect(() => parseCompose("services:\n  bot:\n    image: a\n    image: b\n")).toThrow(ComposeError);
  });
});

describe("deploy/Caddyfile", () => {
  const caddyValidate = (file: string, env: Record<string, string>) =>
    spawnSync("caddy", ["validate", "--adapter", "caddyfile", "--config", file], {
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
      encoding: "utf8",
      timeout: 20_000,
    });

  it("is a configuration Caddy accepts for an https PUBLIC_URL", () => {
    const r = caddyValidate(join(REPO, "deploy", "Caddyfile"), { PUBLIC_URL: "https://bot.example.com" });
    expect(r.error).toBeUndefined();
    expect(r.status, `${r.stdout}${r.stderr}`).toBe(0);
  });

  it("(and caddy validate does catch a broken one)", () => {
    const dir = mkdtempSync(join(tmpdir(), "caddyfile-"));
    const broken = join(dir, "Caddyfile");
    const caddyfile = readFileSync(join(REPO, "deploy", "Caddyfile"), "utf8");
    writeFileSync(broken, caddyfile.replace("reverse_proxy bot:8080", "reverse_proxi bot:8080"));
    const r = caddyValidate(broken, { PUBLIC_URL: "https://bot.example.com" });
    rmSync(dir, { recursive: true, force: true });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("reverse_proxi");
  });

  it("forwards only the callback and the Telegram webhook to the bot", () => {
    const caddyfile = readFileSync(join(REPO, "deploy", "Caddyfile"), "utf8");
    expect(caddyfile).toMatch(/@public path \{\$CALLBACK_PATH:\/assetpay\/callback\} \/telegram\/webhook/);
    expect(caddyfile).toMatch(/handle \{\s*respond 404\s*\}/);
  });
});
