/**
 * The sandbox's item universe: real CS2 and Rust item names with plausible reference prices
 * (USD, Field-Tested where it applies). Prices are invented but in the right order of magnitude,
 * so a demo shows a $0.04 Consumer Grade pistol next to a four-figure knife.
 */

export interface Cs2SkinSeed {
  weapon: string;
  skin?: string;
  type: string;
  rarity: string;
  /** Reference price in USD at the base exterior (Field-Tested, or the best available). */
  price: number;
  /** Exteriors the float range allows; absent for items without wear (cases, stickers). */
  exteriors?: readonly Exterior[];
  stattrak?: boolean;
  doppler?: boolean;
  fade?: boolean;
  /** Knives and gloves carry the ★ prefix in their market hash name. */
  star?: boolean;
}

export interface RustItemSeed {
  name: string;
  type: string;
  price: number;
  stackable?: boolean;
}

export const EXTERIORS = [
  "Factory New",
  "Minimal Wear",
  "Field-Tested",
  "Well-Worn",
  "Battle-Scarred",
] as const;
export type Exterior = (typeof EXTERIORS)[number];

export const EXTERIOR_FLOAT: Record<Exterior, readonly [number, number]> = {
  "Factory New": [0, 0.07],
  "Minimal Wear": [0.07, 0.15],
  "Field-Tested": [0.15, 0.38],
  "Well-Worn": [0.38, 0.45],
  "Battle-Scarred": [0.45, 1],
};

/** Price relative to Field-Tested. */
export const EXTERIOR_FACTOR: Record<Exterior, number> = {
  "Factory New": 1.9,
  "Minimal Wear": 1.3,
  "Field-Tested": 1,
  "Well-Worn": 0.86,
  "Battle-Scarred": 0.74,
};

export const RARITY_COLORS: Record<string, string> = {
  "Consumer Grade": "b0c3d9",
  "Industrial Grade": "5e98d9",
  "Mil-Spec Grade": "4b69ff",
  Restricted: "8847ff",
  Classified: "d32ce6",
  Covert: "eb4b4b",
  Contraband: "e4ae39",
  "Base Grade": "b0c3d9",
  "High Grade": "4b69ff",
  Remarkable: "8847ff",
  Exotic: "d32ce6",
  Extraordinary: "eb4b4b",
};

const ALL: readonly Exterior[] = EXTERIORS;
const NO_FN: readonly Exterior[] = ["Minimal Wear", "Field-Tested", "Well-Worn", "Battle-Scarred"];
const WORN: readonly Exterior[] = ["Field-Tested", "Well-Worn", "Battle-Scarred"];
const CLEAN: readonly Exterior[] = ["Factory New", "Minimal Wear"];

export const CS2_SEEDS: readonly Cs2SkinSeed[] = [
  {
    weapon: "AK-47",
    skin: "Redline",
    type: "Rifle",
    rarity: "Classified",
    price: 38.5,
    exteriors: NO_FN,
    stattrak: true,
  },
  { weapon: "AK-47", skin: "Asiimov", type: "Rifle", rarity: "Covert", price: 96, exteriors: ALL },
  {
    weapon: "AK-47",
    skin: "Slate",
    type: "Rifle",
    rarity: "Restricted",
    price: 4.82,
    exteriors: ALL,
    stattrak: true,
  },
  { weapon: "AK-47", skin: "Vulcan", type: "Rifle", rarity: "Covert", price: 182, exteriors: ALL },
  { weapon: "M4A4", skin: "Howl", type: "Rifle", rarity: "Contraband", price: 4150, exteriors: ALL },
  {
    weapon: "M4A4",
    skin: "Desolate Space",
    type: "Rifle",
    rarity: "Classified",
    price: 11.9,
    exteriors: ALL,
  },
  { weapon: "M4A1-S", skin: "Printstream", type: "Rifle", rarity: "Covert", price: 158, exteriors: ALL },
  { weapon: "M4A1-S", skin: "Decimator", type: "Rifle", rarity: "Classified", price: 13.6, exteriors: ALL },
  {
    weapon: "AWP",
    skin: "Asiimov",
    type: "Sniper Rifle",
    rarity: "Covert",
    price: 118,
    exteriors: WORN,
    stattrak: true,
  },
  { weapon: "AWP", skin: "Atheris", type: "Sniper Rifle", rarity: "Restricted", price: 5.35, exteriors: ALL },
  { weapon: "AWP", skin: "Neo-Noir", type: "Sniper Rifle", rarity: "Covert", price: 44.7, exteriors: ALL },
  { weapon: "AWP", skin: "Dragon Lore", type: "Sniper Rifle", rarity: "Covert", price: 9450, exteriors: ALL },
  { weapon: "Galil AR", skin: "Chatterbox", type: "Rifle", rarity: "Covert", price: 15.8, exteriors: ALL },
  { weapon: "FAMAS", skin: "Roll Cage", type: "Rifle", rarity: "Classified", price: 3.95, exteriors: ALL },
  {
    weapon: "Desert Eagle",
    skin: "Blaze",
    type: "Pistol",
    rarity: "Restricted",
    price: 540,
    exteriors: CLEAN,
  },
  {
    weapon: "Desert Eagle",
    skin: "Printstream",
    type: "Pistol",
    rarity: "Covert",
    price: 54.2,
    exteriors: ALL,
  },
  {
    weapon: "USP-S",
    skin: "Kill Confirmed",
    type: "Pistol",
    rarity: "Covert",
    price: 61.3,
    exteriors: ALL,
    stattrak: true,
  },
  { weapon: "USP-S", skin: "Cortex", type: "Pistol", rarity: "Classified", price: 4.9, exteriors: ALL },
  { weapon: "Glock-18", skin: "Fade", type: "Pistol", rarity: "Restricted", price: 1380, exteriors: CLEAN },
  {
    weapon: "Glock-18",
    skin: "Water Elemental",
    type: "Pistol",
    rarity: "Classified",
    price: 5.6,
    exteriors: ALL,
  },
  {
    weapon: "P250",
    skin: "Sand Dune",
    type: "Pistol",
    rarity: "Consumer Grade",
    price: 0.05,
    exteriors: ALL,
  },
  {
    weapon: "Five-SeveN",
    skin: "Forest Night",
    type: "Pistol",
    rarity: "Consumer Grade",
    price: 0.04,
    exteriors: ALL,
  },
  { weapon: "MP9", skin: "Starlight Protector", type: "SMG", rarity: "Covert", price: 29.4, exteriors: ALL },
  { weapon: "MAC-10", skin: "Neon Rider", type: "SMG", rarity: "Covert", price: 7.85, exteriors: ALL },
  { weapon: "P90", skin: "Asiimov", type: "SMG", rarity: "Covert", price: 5.95, exteriors: ALL },
  { weapon: "UMP-45", skin: "Primal Saber", type: "SMG", rarity: "Classified", price: 2.9, exteriors: ALL },
  { weapon: "Nova", skin: "Hyper Beast", type: "Shotgun", rarity: "Classified", price: 2.35, exteriors: ALL },
  {
    weapon: "XM1014",
    skin: "Tranquility",
    type: "Shotgun",
    rarity: "Classified",
    price: 1.75,
    exteriors: ALL,
  },
  {
    weapon: "Karambit",
    skin: "Doppler",
    type: "Knife",
    rarity: "Covert",
    price: 1090,
    exteriors: CLEAN,
    doppler: true,
    star: true,
  },
  {
    weapon: "Butterfly Knife",
    skin: "Doppler",
    type: "Knife",
    rarity: "Covert",
    price: 1680,
    exteriors: CLEAN,
    doppler: true,
    star: true,
  },
  {
    weapon: "M9 Bayonet",
    skin: "Doppler",
    type: "Knife",
    rarity: "Covert",
    price: 880,
    exteriors: CLEAN,
    doppler: true,
    star: true,
  },
  {
    weapon: "Karambit",
    skin: "Fade",
    type: "Knife",
    rarity: "Covert",
    price: 1590,
    exteriors: CLEAN,
    fade: true,
    star: true,
  },
  {
    weapon: "Bayonet",
    skin: "Tiger Tooth",
    type: "Knife",
    rarity: "Covert",
    price: 445,
    exteriors: CLEAN,
    star: true,
  },
  {
    weapon: "Flip Knife",
    skin: "Marble Fade",
    type: "Knife",
    rarity: "Covert",
    price: 372,
    exteriors: CLEAN,
    star: true,
  },
  {
    weapon: "Huntsman Knife",
    skin: "Slaughter",
    type: "Knife",
    rarity: "Covert",
    price: 296,
    exteriors: CLEAN,
    star: true,
  },
  {
    weapon: "Sport Gloves",
    skin: "Vice",
    type: "Gloves",
    rarity: "Extraordinary",
    price: 2540,
    exteriors: NO_FN,
    star: true,
  },
  {
    weapon: "Specialist Gloves",
    skin: "Crimson Kimono",
    type: "Gloves",
    rarity: "Extraordinary",
    price: 1180,
    exteriors: NO_FN,
    star: true,
  },
  { weapon: "Kilowatt Case", type: "Container", rarity: "Base Grade", price: 0.86 },
  { weapon: "Revolution Case", type: "Container", rarity: "Base Grade", price: 0.54 },
  { weapon: "Dreams & Nightmares Case", type: "Container", rarity: "Base Grade", price: 1.92 },
  { weapon: "Fracture Case", type: "Container", rarity: "Base Grade", price: 0.41 },
  { weapon: "Sticker | Crown (Foil)", type: "Sticker", rarity: "Exotic", price: 845 },
  { weapon: "Sticker | Howling Dawn", type: "Sticker", rarity: "Exotic", price: 276 },
  { weapon: "Sealed Graffiti | Lambda (Tiger Orange)", type: "Graffiti", rarity: "Base Grade", price: 0.03 },
];

export const STICKER_NAMES: readonly string[] = [
  "Sticker | Natus Vincere | Paris 2023",
  "Sticker | FaZe Clan | Copenhagen 2024",
  "Sticker | Vitality (Holo) | Shanghai 2024",
  "Sticker | Team Spirit | Austin 2025",
  "Sticker | Cloud9 (Holo) | Boston 2018",
  "Sticker | Gold Web (Foil)",
  "Sticker | Bash (Holo)",
  "Sticker | Crown (Foil)",
];

export const RUST_SEEDS: readonly RustItemSeed[] = [
  { name: "Tempered AK47", type: "Assault Rifle", price: 26.8 },
  { name: "Glory AK47", type: "Assault Rifle", price: 4.95 },
  { name: "Alien Red", type: "Assault Rifle", price: 39.5 },
  { name: "Big Grin", type: "Metal Facemask", price: 318 },
  { name: "Punishment Mask", type: "Metal Facemask", price: 54.9 },
  { name: "No Mercy", type: "Sheet Metal Door", price: 8.7 },
  { name: "Whiteout Kilt", type: "Roadsign Kilt", price: 1.95 },
  { name: "Blackout Hoodie", type: "Hoodie", price: 3.4 },
  { name: "Forest Raiders Custom AK47", type: "Assault Rifle", price: 2.85 },
  { name: "Graffiti Box", type: "Large Wood Box", price: 0.38, stackable: true },
  { name: "Ammo Wooden Box", type: "Large Wood Box", price: 0.21, stackable: true },
  { name: "Sandbag Barricade Skin", type: "Barricade", price: 0.12, stackable: true },
];

/** Doppler phases with the paint index Steam uses and a price factor against the floor. */
export const DOPPLER_PHASE_INFO: readonly { phase: string; paintIndex: number; factor: number }[] = [
  { phase: "Phase 1", paintIndex: 418, factor: 0.94 },
  { phase: "Phase 2", paintIndex: 419, factor: 1.22 },
  { phase: "Phase 3", paintIndex: 420, factor: 0.9 },
  { phase: "Phase 4", paintIndex: 421, factor: 1.08 },
  { phase: "Ruby", paintIndex: 415, factor: 4.8 },
  { phase: "Sapphire", paintIndex: 416, factor: 5.6 },
  { phase: "Black Pearl", paintIndex: 417, factor: 3.3 },
];

export const BOT_NAMES: readonly string[] = [
  "AssetPay Bot #12",
  "AssetPay Bot #27",
  "AssetPay Bot #41",
  "AssetPay Bot #58",
];
