/**
 * What an operator reads on /metrics during a drop: outbox depth, age of the oldest notice,
 * sends and 429s per platform.
 */
import { describe, expect, it } from "vitest";
import type { OutboxStats } from "../../src/core/outbox.ts";
import { createMetrics } from "../../src/http/metrics.ts";

const stats = (extra: Partial<OutboxStats>): OutboxStats => ({
  waiting: 0,
  due: 0,
  leased: 0,
  expiredLeases: 0,
  enqueued: 0,
  deduped: 0,
  acked: 0,
  retried: 0,
  undeliverable: 0,
  reclaimed: 0,
  postponed: 0,
  ...extra,
});

const value = (text: string, name: string) => Number(new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1]);

describe("the metrics endpoint", () => {
  it("shows the outbox's depth and the age of its oldest notice", async () => {
    const metrics = createMetrics({
      outbox: async (now) => stats({ waiting: 280, leased: 16, oldestCreatedAt: now - 7_500 }),
    });
    const text = await metrics.render();
    expect(value(text, "skinbridge_outbox_depth")).toBe(296);
    expect(value(text, "skinbridge_outbox_oldest_notice_seconds")).toBeCloseTo(7.5, 1);
  });

  it("shows an empty outbox as no age at all", async () => {
    const metrics = createMetrics({ outbox: async () => stats({}) });
    expect(value(await metrics.render(), "skinbridge_outbox_oldest_notice_seconds")).toBe(0);
  });

  it("counts sends and 429s per platform and kind", async () => {
    const metrics = createMetrics();
    metrics.platformSends.inc({ platform: "telegram", kind: "notice" }, 3);
    metrics.rateLimited.inc({ platform: "discord", kind: "notice" });
    const text = await metrics.render();
    expect(text).toContain('skinbridge_platform_sends_total{platform="telegram",kind="notice"} 3');
    expect(text).toContain('skinbridge_platform_rate_limited_total{platform="discord",kind="notice"} 1');
  });
});
