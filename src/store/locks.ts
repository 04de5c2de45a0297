/**
 * Short-lived mutual exclusion: one holder per key across every instance sharing Redis (or
 * within one process in memory mode), e.g. so a double-clicked confirm starts one trade. Leases
 * expire, so a crashed holder never blocks a key for longer than its lease — which is also why
 * money never depends on a lock (settlement commits conditionally on a version instead).
 */
import { randomUUID } from "node:crypto";
import type { RedisClientType } from "redis";
import type { Locks } from "../core/locks.ts";

export class LockTimeout extends Error {
  constructor(key: string) {
    super(`lock busy: ${key}`);
    this.name = "LockTimeout";
  }
}

const RELEASE_SCRIPT = `if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) else return 0 end`;

function withLockUsing(tryAcquire: Locks["tryAcquire"]): Locks["withLock"] {
  return async (key, fn, opts = {}) => {
    const leaseMs = opts.leaseMs ?? 15_000;
    const deadline = Date.now() + (opts.waitMs ?? 10_000);
    let delay = 2;
    for (;;) {
      const release = await tryAcquire(key, leaseMs);
      if (release) {
        try {
          return await fn();
        } finally {
          await release();
        }
      }
      if (Date.now() >= deadline) throw new LockTimeout(key);
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 50);
    }
  };
}

export function createRedisLocks(client: RedisClientType, prefix = "sb:"): Locks {
  const tryAcquire: Locks["tryAcquire"] = async (key, leaseMs) => {
    const full = `${prefix}lock:${key}`;
    const owner = randomUUID();
    const ok = await client.set(full, owner, { condition: "NX", expiration: { type: "PX", value: leaseMs } });
    if (ok !== "OK") return null;
    return async () => {
      await client.eval(RELEASE_SCRIPT, { keys: [full], arguments: [owner] });
    };
  };
  return { tryAcquire, withLock: withLockUsing(tryAcquire) };
}

export function createMemoryLocks(now: () => number = Date.now): Locks {
  const held = new Map<string, { owner: string; until: number }>();
  const tryAcquire: Locks["tryAcquire"] = async (key, leaseMs) => {
    const current = held.get(key);
    if (current && current.until > now()) return null;
    const owner = randomUUID();
    held.set(key, { owner, until: now() + leaseMs });
    return async () => {
      if (held.get(key)?.owner === owner) held.delete(key);
    };
  };
  return { tryAcquire, withLock: withLockUsing(tryAcquire) };
}
