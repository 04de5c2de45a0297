/** Every command, in the order platforms list them. */
import { admin } from "./admin.ts";
import { balance } from "./balance.ts";
import { deposit } from "./deposit.ts";
import { help } from "./help.ts";
import { inbox } from "./inbox.ts";
import { join } from "./join.ts";
import { language } from "./language.ts";
import { link, unlink } from "./link.ts";
import { notify } from "./notify.ts";
import { price } from "./price.ts";
import { start } from "./start.ts";
import { trades } from "./trades.ts";
import type { CommandDefinition } from "./types.ts";
import { withdraw } from "./withdraw.ts";

export const COMMANDS: readonly CommandDefinition[] = [
  start,
  link,
  unlink,
  join,
  notify,
  deposit,
  withdraw,
  price,
  balance,
  trades,
  inbox,
  language,
  help,
  admin,
];
