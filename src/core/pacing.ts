import { AsyncLocalStorage } from "node:async_hooks";

/**
 * Pacing sends to what a chat platform allows, the way the platform counts. Telegram and Discord
 * count any rolling second, so a budget refilled at the start of each second (a fixed window)
 * lets twice the limit through across a boundary and earns 429s. Here every send takes a slot on
 * a timeline where slots are `intervalMs` apart (the generic cell rate algorithm): any rolling
 * window of length T then holds at most ceil(T / interval) sends, whatever the timing.
 *
 * The timeline lives in a `SlotStore`: in memory for one process, in Redis when several
 * instances share a bot token, so together they stay within one budget.
 *
 * Two keys per platform: one global, one per chat. Replies to a member's own action are served
 * before notices: on one instance a reply waiting for the global timeline goes before any
 * waiting notice, and across instances notices only ever take slots a few intervals ahead,
 * while a reply may take one far ahead, so a reply never waits behind more than a couple of
 * notices. A notice whose chat is not free yet is not waited for: the outbox postpones it and
 * the worker takes another recipient's.
 *
 * Why not Bottleneck: its Redis mode needs node-redis 3 or ioredis and reads Redis's own clock,
 * so it could neither share the app's Redis client nor run on a test's fake clock; the timeline
 * below is the part of it this needs, in one short script.
 */

export interface SlotGrant {
  /** True when the slot was taken. */
  granted: boolean;
  /** When the slot starts (epoch ms): send then, or ask again at `at - maxAheadMs`. */
  at: number;
}

/** A shared timeline of send slots per key. */
export interface SlotStore {
  /**
   * Takes the next slot of `key` if it starts no later than `now + maxAheadMs`; the slot after
   * it then starts `intervalMs` later. Otherwise takes nothing.
   */
  reserve(key: string, intervalMs: number, maxAheadMs: number, now: number): Promise<SlotGrant>;
  /** Moves the next slot of `key` to `at` unless it is later already. */
  holdUntil(key: string, at: number, now: number): Promise<void>;
}

export interface PaceLimits {
  /** Minimum gap between two sends of the whole bot (1000 / the global per-second limit, plus margin). */
  globalIntervalMs: number;
  /** Minimum gap between two sends to one chat. */
  chatIntervalMs: number;
  /**
   * At most this many sends leave this instance in any rolling `windowMs`, whatever the timeline
   * says: a busy event loop can fire several late slot timers at once, and the platform counts
   * arrivals. Off when omitted.
   */
  window?: { limit: number; windowMs: number };
}

export interface SendPacer {
  /**
   * For an outbox notice: takes the chat's turn if it is free now and resolves 0; otherwise
   * takes nothing and resolves with the ms until it is free.
   */
  noticeTurn(chatId: string): Promise<number>;
  /** Waits for a slot on the bot's global timeline; replies are served first. */
  globalSlot(kind: "reply" | "notice"): Promise<void>;
  /**
   * Marks a message as just sent to the chat: its next turn comes a full interval from now,
   * however long the message waited for its global slot after the turn was taken.
   */
  sentTo(chatId: string): Promise<void>;
  /** Notices or replies waiting for a global slot on this instance. */
  waiting(): number;
}

export interface PacerClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: PacerClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

interface Waiter {
  resolve(): void;
  reject(err: unknown): void;
  /** Notices: when the notice was enqueued; the oldest goes first. */
  age: number;
}

const noticeEnqueuedAt = new AsyncLocalStorage<number>();

/**
 * Runs a notice's delivery knowing when the notice was enqueued, so that among the notices
 * waiting for a global slot on this instance the oldest goes first: a member whose next DM had to
 * wait for their chat's turn is not then also sent behind every notice claimed meanwhile.
 * (A context rather than a parameter: the slot is taken deep inside the platform's client.)
 */
export function deliveringNotice<T>(enqueuedAt: number, deliver: () => Promise<T>): Promise<T> {
  return noticeEnqueuedAt.run(enqueuedAt, deliver);
}

/** How far ahead a reply may book the global timeline before it is simply late. */
const REPLY_AHEAD_MS = 60_000;
/** Notices book at most this many global slots ahead, which is all a reply can be behind. */
const NOTICE_AHEAD_SLOTS = 2;

export function createSendPacer(deps: {
  platform: string;
  slots: SlotStore;
  limits: PaceLimits;
  clock?: PacerClock;
}): SendPacer {
  const { slots, limits } = deps;
  const clock = deps.clock ?? realClock;
  const globalKey = `${deps.platform}:global`;
  const chatKey = (chatId: string) => `${deps.platform}:chat:${chatId}`;
  const queues = { reply: [] as Waiter[], notice: [] as Waiter[] };
  let pumping = false;
  // Releases in slot order, each after the one before, through the rolling-window guard.
  let releases: Promise<void> = Promise.resolve();
  let unreleased = 0;
  const recent: number[] = [];

  const release = (at: number, waiter: Waiter) => {
    unreleased++;
    releases = releases.then(async () => {
      await wait(at);
      const guard = limits.window;
      if (guard) {
        const oldest = recent.length >= guard.limit ? (recent[0] as number) : undefined;
        if (oldest !== undefined) await wait(oldest + guard.windowMs);
        recent.push(clock.now());
        if (recent.length > guard.limit) recent.shift();
      }
      unreleased--;
      waiter.resolve();
    });
  };

  const wait = async (at: number) => {
    const ms = at - clock.now();
    if (ms > 0) await clock.sleep(ms);
  };

  // One loop per instance hands out global slots, replies first; it books a slot, lets its
  // waiter go when the slot starts, and moves on without waiting, so booking never limits the rate.
  const pump = async () => {
    if (pumping) return;
    pumping = true;
    try {
      for (;;) {
        const kind = queues.reply.length > 0 ? "reply" : queues.notice.length > 0 ? "notice" : undefined;
        if (!kind) return;
        // While the guard holds releases back, notices stay in their queue (oldest first) rather
        // than booking slots they would only wait behind.
        if (kind === "notice" && unreleased >= NOTICE_AHEAD_SLOTS) {
          await releases;
          continue;
        }
        const ahead = kind === "reply" ? REPLY_AHEAD_MS : limits.globalIntervalMs * NOTICE_AHEAD_SLOTS;
        let grant: SlotGrant;
        try {
          grant = await slots.reserve(globalKey, limits.globalIntervalMs, ahead, clock.now());
        } catch (err) {
          // The store is unreachable: the send fails like any other and is retried later.
          queues[kind].shift()?.reject(err);
          continue;
        }
        if (!grant.granted) {
          await wait(grant.at - ahead);
          continue;
        }
        release(grant.at, queues[kind].shift() as Waiter);
      }
    } finally {
      pumping = false;
    }
  };

  return {
    async noticeTurn(chatId) {
      const now = clock.now();
      const grant = await slots.reserve(chatKey(chatId), limits.chatIntervalMs, 0, now);
      return grant.granted ? 0 : Math.max(1, grant.at - now);
    },
    globalSlot(kind) {
      return new Promise<void>((resolve, reject) => {
        const waiter = { resolve, reject, age: noticeEnqueuedAt.getStore() ?? clock.now() };
        const queue = queues[kind];
        // Replies in arrival order; notices oldest first (a short list: at most the concurrency).
        const before = kind === "notice" ? queue.findIndex((w) => w.age > waiter.age) : -1;
        if (before < 0) queue.push(waiter);
        else queue.splice(before, 0, waiter);
        void pump();
      });
    },
    async sentTo(chatId) {
      const now = clock.now();
      // The message is out: a store hiccup here must not turn it into a failure (and a duplicate).
      await slots.holdUntil(chatKey(chatId), now + limits.chatIntervalMs, now).catch(() => undefined);
    },
    waiting: () => queues.reply.length + queues.notice.length,
  };
}
