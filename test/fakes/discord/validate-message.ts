import { check, type ErrorPath, type FormErrors, isRecord } from "./discord-errors.ts";
import { validateMessageComponents } from "./validate-components.ts";

export const MessageFlag = {
  SuppressEmbeds: 1 << 2,
  Ephemeral: 1 << 6,
  Loading: 1 << 7,
  SuppressNotifications: 1 << 12,
  IsComponentsV2: 1 << 15,
} as const;

const SETTABLE_FLAGS =
  MessageFlag.SuppressEmbeds |
  MessageFlag.Ephemeral |
  MessageFlag.SuppressNotifications |
  MessageFlag.IsComponentsV2;

const EMBED_TOTAL_LIMIT = 6000;

function embedText(value: unknown): number {
  return typeof value === "string" ? [...value].length : 0;
}

function validateEmbeds(errors: FormErrors, path: ErrorPath, embeds: unknown): void {
  if (!check.arrayMax(errors, path, embeds, 10)) return;
  let total = 0;
  embeds.forEach((embed, i) => {
    const p = [...path, i];
    if (!isRecord(embed)) {
      errors.add(p, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType");
      return;
    }
    check.length(errors, [...p, "title"], embed.title, 0, 256, false);
    check.length(errors, [...p, "description"], embed.description, 0, 4096, false);
    check.intRange(errors, [...p, "color"], embed.color, 0, 0xffffff);
    total += embedText(embed.title) + embedText(embed.description);
    if (embed.footer !== undefined) {
      const footer = isRecord(embed.footer) ? embed.footer : {};
      check.length(errors, [...p, "footer", "text"], footer.text, 1, 2048, true);
      total += embedText(footer.text);
    }
    if (embed.author !== undefined) {
      const author = isRecord(embed.author) ? embed.author : {};
      check.length(errors, [...p, "author", "name"], author.name, 1, 256, true);
      total += embedText(author.name);
    }
    if (check.arrayMax(errors, [...p, "fields"], embed.fields, 25)) {
      embed.fields.forEach((field, j) => {
        const fp = [...p, "fields", j];
        const f = isRecord(field) ? field : {};
        check.length(errors, [...fp, "name"], f.name, 1, 256, true);
        check.length(errors, [...fp, "value"], f.value, 1, 1024, true);
        total += embedText(f.name) + embedText(f.value);
      });
    }
  });
  if (total > EMBED_TOTAL_LIMIT) {
    errors.add(path, "MAX_EMBED_SIZE_EXCEEDED", `Embed size exceeds maximum size of ${EMBED_TOTAL_LIMIT}`);
  }
}

export interface MessageBodyRules {
  /** Interaction responses and follow-ups may be ephemeral; channel messages may not. */
  allowEphemeral: boolean;
}

/** Checks a message create/edit body (content, embeds, components, flags) against Discord's limits. */
export function validateMessageBody(
  errors: FormErrors,
  path: ErrorPath,
  body: Record<string, unknown>,
  rules: MessageBodyRules,
  existingFlags = 0,
): void {
  check.length(errors, [...path, "content"], body.content, 0, 2000, false);
  validateEmbeds(errors, [...path, "embeds"], body.embeds);

  const flags = body.flags ?? 0;
  if (typeof flags !== "number" || !Number.isInteger(flags)) {
    errors.add([...path, "flags"], "NUMBER_TYPE_COERCE", `Value "${String(flags)}" is not int.`);
  } else {
    const allowed = SETTABLE_FLAGS & ~(rules.allowEphemeral ? 0 : MessageFlag.Ephemeral);
    if ((flags & ~allowed) !== 0) {
      errors.add([...path, "flags"], "MESSAGE_FLAGS_INVALID", `Invalid message flags: ${flags}`);
    }
  }
  const v2 = ((typeof flags === "number" ? flags : 0) | existingFlags) & MessageFlag.IsComponentsV2;
  if (v2) {
    if (typeof body.content === "string" && body.content !== "") {
      errors.add(
        [...path, "content"],
        "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2",
        "The 'content' field cannot be used when using MessageFlags.IS_COMPONENTS_V2",
      );
    }
    if (Array.isArray(body.embeds) && body.embeds.length > 0) {
      errors.add(
        [...path, "embeds"],
        "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2",
        "The 'embeds' field cannot be used when using MessageFlags.IS_COMPONENTS_V2",
      );
    }
  }
  validateMessageComponents(errors, [...path, "components"], body.components, v2 !== 0);
}

/** Discord refuses (50006) a message that would show nothing. */
export function isEmptyMessage(message: {
  content?: unknown;
  embeds?: unknown;
  components?: unknown;
  attachments?: unknown;
  sticker_items?: unknown;
  poll?: unknown;
}): boolean {
  const nonEmpty = (v: unknown) => Array.isArray(v) && v.length > 0;
  return (
    !(typeof message.content === "string" && message.content.trim() !== "") &&
    !nonEmpty(message.embeds) &&
    !nonEmpty(message.components) &&
    !nonEmpty(message.attachments) &&
    !nonEmpty(message.sticker_items) &&
    message.poll === undefined
  );
}
