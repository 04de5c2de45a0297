const DISCORD_EPOCH_MS = 1_420_070_400_000n;

export type SnowflakeFactory = () => string;

/**
 * Snowflakes shaped like Discord's (timestamp << 22 | worker | increment), so discord.js derives sane
 * `createdTimestamp`s and its route bucketing (which keys on 17–19 digit ids) treats them as real ids.
 */
export function createSnowflakeFactory(now: () => number = Date.now): SnowflakeFactory {
  let increment = 0n;
  return () => {
    increment = (increment + 1n) & 0xfffn;
    return (((BigInt(now()) - DISCORD_EPOCH_MS) << 22n) | (1n << 17n) | increment).toString();
  };
}

export function isSnowflake(value: unknown): value is string {
  return typeof value === "string" && /^\d{15,20}$/.test(value);
}
