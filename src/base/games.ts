/** The games skinbridge trades, by the Steam app id AssetPay uses for them. */
export const GAME_IDS = { cs2: "730", rust: "252490" } as const;
export type GameKey = keyof typeof GAME_IDS;
export type GameId = (typeof GAME_IDS)[GameKey];
