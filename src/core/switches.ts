/**
 * Community-wide switches an admin flips: pause deposits, pause withdrawals. Checked when a
 * member starts a flow and again when AssetPay asks to approve a withdrawal.
 */
import { getAs, type KV } from "./kv.ts";

export type SwitchName = "deposits" | "withdrawals";

export interface SwitchState {
  paused: boolean;
  by?: string;
  at?: string;
}

export interface Switches {
  isPaused(name: SwitchName): Promise<boolean>;
  set(name: SwitchName, paused: boolean, actor: string): Promise<SwitchState>;
  all(): Promise<Record<SwitchName, SwitchState>>;
}

export function createSwitches(kv: KV, now: () => Date = () => new Date()): Switches {
  const key = (name: SwitchName) => `switch:${name}`;
  const read = async (name: SwitchName): Promise<SwitchState> =>
    (await getAs<SwitchState>(kv, key(name))) ?? { paused: false };
  return {
    async isPaused(name) {
      return (await read(name)).paused;
    },
    async set(name, paused, actor) {
      const state: SwitchState = { paused, by: actor, at: now().toISOString() };
      await kv.set(key(name), state);
      return state;
    },
    async all() {
      return { deposits: await read("deposits"), withdrawals: await read("withdrawals") };
    },
  };
}
