import { check, type ErrorPath, type FormErrors, isRecord } from "./discord-errors.ts";

/** Component type numbers from Discord's API (discord-api-types ComponentType). */
export const ComponentKind = {
  ActionRow: 1,
  Button: 2,
  StringSelect: 3,
  TextInput: 4,
  UserSelect: 5,
  RoleSelect: 6,
  MentionableSelect: 7,
  ChannelSelect: 8,
  Section: 9,
  TextDisplay: 10,
  Thumbnail: 11,
  MediaGallery: 12,
  File: 13,
  Separator: 14,
  Container: 17,
  Label: 18,
} as const;

const SELECT_TYPES = new Set<number>([
  ComponentKind.StringSelect,
  ComponentKind.UserSelect,
  ComponentKind.RoleSelect,
  ComponentKind.MentionableSelect,
  ComponentKind.ChannelSelect,
]);

export const ButtonStyleLink = 5;
export const ButtonStylePremium = 6;

interface Context {
  errors: FormErrors;
  customIds: Set<string>;
  /** Components V2 counts every nested component toward a message-wide limit of 40. */
  total: number;
  text: number;
}

function checkCustomId(ctx: Context, path: ErrorPath, value: unknown): void {
  check.length(ctx.errors, [...path, "custom_id"], value, 1, 100, true);
  if (typeof value !== "string") return;
  if (ctx.customIds.has(value)) {
    ctx.errors.add(
      [...path, "custom_id"],
      "COMPONENT_CUSTOM_ID_DUPLICATED",
      "Component custom id cannot be duplicated",
    );
  }
  ctx.customIds.add(value);
}

function isValidButtonUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return ["http:", "https:", "discord:"].includes(url.protocol);
  } catch {
    return false;
  }
}

function checkButton(ctx: Context, path: ErrorPath, c: Record<string, unknown>): void {
  const { errors } = ctx;
  const style = c.style;
  if (typeof style !== "number" || !Number.isInteger(style) || style < 1 || style > 6) {
    errors.add([...path, "style"], "BASE_TYPE_CHOICES", "Value must be one of {1, 2, 3, 4, 5, 6}.");
    return;
  }
  if (style === ButtonStylePremium) {
    if (typeof c.sku_id !== "string")
      errors.add([...path, "sku_id"], "BASE_TYPE_REQUIRED", "This field is required");
    for (const forbidden of ["custom_id", "url", "label", "emoji"]) {
      if (c[forbidden] !== undefined) {
        errors.add(
          [...path, forbidden],
          "BUTTON_COMPONENT_PREMIUM_FIELD_FORBIDDEN",
          "Premium buttons cannot have a custom id, url, label or emoji",
        );
      }
    }
    return;
  }
  check.length(errors, [...path, "label"], c.label, 0, 80, false);
  if ((c.label === undefined || c.label === "") && c.emoji === undefined) {
    errors.add(
      [...path, "label"],
      "BUTTON_COMPONENT_LABEL_OR_EMOJI_REQUIRED",
      "A label or emoji is required",
    );
  }
  if (style === ButtonStyleLink) {
    if (c.custom_id !== undefined) {
      errors.add(
        [...path, "custom_id"],
        "BUTTON_COMPONENT_CUSTOM_ID_URL_MUTUALLY_EXCLUSIVE",
        "A custom id and url cannot both be specified",
      );
    }
    if (typeof c.url !== "string") {
      errors.add([...path, "url"], "BUTTON_COMPONENT_URL_REQUIRED", "A url is required");
    } else {
      check.length(errors, [...path, "url"], c.url, 1, 512, true);
      if (!isValidButtonUrl(c.url)) {
        errors.add([...path, "url"], "URL_TYPE_INVALID_URL", "Not a well formed URL.");
      }
    }
    return;
  }
  if (c.url !== undefined) {
    errors.add(
      [...path, "url"],
      "BUTTON_COMPONENT_CUSTOM_ID_URL_MUTUALLY_EXCLUSIVE",
      "A custom id and url cannot both be specified",
    );
  }
  checkCustomId(ctx, path, c.custom_id);
}

function checkSelect(ctx: Context, path: ErrorPath, c: Record<string, unknown>, type: number): void {
  const { errors } = ctx;
  checkCustomId(ctx, path, c.custom_id);
  check.length(errors, [...path, "placeholder"], c.placeholder, 0, 150, false);
  check.intRange(errors, [...path, "min_values"], c.min_values, 0, 25);
  check.intRange(errors, [...path, "max_values"], c.max_values, 1, 25);
  const min = typeof c.min_values === "number" ? c.min_values : 1;
  const max = typeof c.max_values === "number" ? c.max_values : 1;
  if (min > max) {
    errors.add(
      [...path, "min_values"],
      "SELECT_COMPONENT_MIN_VALUES_GREATER_THAN_MAX",
      "min_values must be less than or equal to max_values",
    );
  }
  if (type !== ComponentKind.StringSelect) return;

  if (!Array.isArray(c.options)) {
    errors.add([...path, "options"], "BASE_TYPE_REQUIRED", "This field is required");
    return;
  }
  const options: unknown[] = c.options;
  if (options.length < 1 || options.length > 25) {
    errors.add([...path, "options"], "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 25 in length.");
  }
  if (max > options.length) {
    errors.add(
      [...path, "max_values"],
      "SELECT_COMPONENT_MAX_VALUES_EXCEEDS_OPTIONS",
      `max_values must be less than or equal to the number of options (${options.length})`,
    );
  }
  const values = new Set<string>();
  options.forEach((option, i) => {
    const optionPath = [...path, "options", i];
    if (!isRecord(option)) {
      errors.add(optionPath, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType");
      return;
    }
    check.length(errors, [...optionPath, "label"], option.label, 1, 100, true);
    check.length(errors, [...optionPath, "value"], option.value, 1, 100, true);
    check.length(errors, [...optionPath, "description"], option.description, 0, 100, false);
    if (typeof option.value === "string") {
      if (values.has(option.value)) {
        errors.add(
          [...optionPath, "value"],
          "SELECT_COMPONENT_OPTION_VALUE_DUPLICATED",
          "Select component option values must be unique",
        );
      }
      values.add(option.value);
    }
  });
}

function checkActionRow(ctx: Context, path: ErrorPath, row: Record<string, unknown>): void {
  const { errors } = ctx;
  const children = row.components;
  if (!Array.isArray(children) || children.length === 0) {
    errors.add([...path, "components"], "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length.");
    return;
  }
  const kinds = children.map((c) => (isRecord(c) ? c.type : undefined));
  const hasSelect = kinds.some((k) => typeof k === "number" && SELECT_TYPES.has(k));
  if (children.length > 5 || (hasSelect && children.length > 1)) {
    errors.add(
      [...path, "components"],
      "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
      "The specified component exceeds the maximum width",
    );
  }
  children.forEach((child, i) => {
    const childPath = [...path, "components", i];
    ctx.total += 1;
    if (!isRecord(child)) {
      errors.add(childPath, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType");
      return;
    }
    if (child.type === ComponentKind.Button) checkButton(ctx, childPath, child);
    else if (typeof child.type === "number" && SELECT_TYPES.has(child.type)) {
      checkSelect(ctx, childPath, child, child.type);
    } else {
      errors.add(
        [...childPath, "type"],
        "UNION_TYPE_CHOICES",
        `Value of field "type" must be one of (2, 3, 5, 6, 7, 8).`,
      );
    }
  });
}

function checkV2Component(ctx: Context, path: ErrorPath, c: unknown, allowed: ReadonlySet<number>): void {
  const { errors } = ctx;
  ctx.total += 1;
  if (!isRecord(c) || typeof c.type !== "number") {
    errors.add(path, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType");
    return;
  }
  if (!allowed.has(c.type)) {
    errors.add(
      [...path, "type"],
      "UNION_TYPE_CHOICES",
      `Value of field "type" must be one of (${[...allowed].join(", ")}).`,
    );
    return;
  }
  switch (c.type) {
    case ComponentKind.ActionRow:
      checkActionRow(ctx, path, c);
      return;
    case ComponentKind.Button:
      checkButton(ctx, path, c);
      return;
    case ComponentKind.TextDisplay:
      check.length(errors, [...path, "content"], c.content, 1, 4000, true);
      if (typeof c.content === "string") ctx.text += [...c.content].length;
      return;
    case ComponentKind.Section: {
      const children = c.components;
      if (!Array.isArray(children) || children.length < 1 || children.length > 3) {
        errors.add([...path, "components"], "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 3 in length.");
      } else {
        for (const [i, child] of children.entries()) {
          checkV2Component(ctx, [...path, "components", i], child, new Set([ComponentKind.TextDisplay]));
        }
      }
      checkV2Component(
        ctx,
        [...path, "accessory"],
        c.accessory,
        new Set([ComponentKind.Button, ComponentKind.Thumbnail]),
      );
      return;
    }
    case ComponentKind.Container: {
      const children = c.components;
      if (!Array.isArray(children) || children.length === 0) {
        errors.add([...path, "components"], "BASE_TYPE_REQUIRED", "This field is required");
        return;
      }
      const inner = new Set<number>([
        ComponentKind.ActionRow,
        ComponentKind.Section,
        ComponentKind.TextDisplay,
        ComponentKind.MediaGallery,
        ComponentKind.File,
        ComponentKind.Separator,
      ]);
      for (const [i, child] of children.entries())
        checkV2Component(ctx, [...path, "components", i], child, inner);
      return;
    }
    case ComponentKind.MediaGallery:
      if (!Array.isArray(c.items) || c.items.length < 1 || c.items.length > 10) {
        errors.add([...path, "items"], "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 10 in length.");
      }
      return;
    default:
      return;
  }
}

const V2_TOP_LEVEL = new Set<number>([
  ComponentKind.ActionRow,
  ComponentKind.Section,
  ComponentKind.TextDisplay,
  ComponentKind.MediaGallery,
  ComponentKind.File,
  ComponentKind.Separator,
  ComponentKind.Container,
]);

/** Validates a message's `components` the way Discord does, for classic or Components V2 layouts. */
export function validateMessageComponents(
  errors: FormErrors,
  path: ErrorPath,
  components: unknown,
  componentsV2: boolean,
): void {
  if (components === undefined || components === null) return;
  if (!Array.isArray(components)) {
    errors.add(path, "BASE_TYPE_ARRAY", "Must be an array.");
    return;
  }
  const ctx: Context = { errors, customIds: new Set(), total: 0, text: 0 };
  if (componentsV2) {
    for (const [i, c] of components.entries()) checkV2Component(ctx, [...path, i], c, V2_TOP_LEVEL);
    if (ctx.total > 40) {
      errors.add(path, "BASE_TYPE_MAX_LENGTH", "Must be 40 or fewer in total components.");
    }
    if (ctx.text > 4000) {
      errors.add(
        path,
        "MAX_TEXT_DISPLAY_LENGTH_EXCEEDED",
        "Total text display content must be 4000 or fewer.",
      );
    }
    return;
  }
  if (components.length > 5) {
    errors.add(path, "BASE_TYPE_MAX_LENGTH", "Must be 5 or fewer in length.");
  }
  components.forEach((row, i) => {
    if (!isRecord(row)) {
      errors.add([...path, i], "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType");
      return;
    }
    if (row.type !== ComponentKind.ActionRow) {
      errors.add([...path, i, "type"], "UNION_TYPE_CHOICES", `Value of field "type" must be one of (1,).`);
      return;
    }
    checkActionRow(ctx, [...path, i], row);
  });
}
