/**
 * The set of trades the bot started and has not yet seen end, by AssetPay trade id or our
 * externalId. The reconciler walks it to catch transitions whose callbacks never arrived.
 */
import type { RedisClientType } from "redis";

export interface TradeIndex {
  add(ref: string): Promise<void>;
  remove(ref: string): Promise<void>;
  list(): Promise<string[]>;
  size(): Promise<number>;
}

export function createRedisTradeIndex(client: RedisClientType, prefix = "sb:"): TradeIndex {
  const key = `${prefix}inflight`;
  return {
    async add(ref) {
      await client.sAdd(key, ref);
    },
    async remove(ref) {
      await client.sRem(key, ref);
    },
    async list() {
      return client.sMembers(key);
    },
    async size() {
      return client.sCard(key);
    },
  };
}

export function createMemoryTradeIndex(): TradeIndex {
  const refs = new Set<string>();
  return {
    async add(ref) {
      refs.add(ref);
    },
    async remove(ref) {
      refs.delete(ref);
    },
    async list() {
      return [...refs];
    },
    async size() {
      return refs.size;
    },
  };
}
