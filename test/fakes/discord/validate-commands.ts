import { check, type ErrorPath, type FormErrors, isRecord } from "./discord-errors.ts";

/** Locales Discord accepts as keys of `name_localizations` / `description_localizations`. */
export const DISCORD_LOCALES = new Set([
  "id",
  "da",
  "de",
  "en-GB",
  "en-US",
  "es-ES",
  "es-419",
  "fr",
  "hr",
  "it",
  "lt",
  "hu",
  "nl",
  "no",
  "pl",
  "pt-BR",
  "ro",
  "fi",
  "sv-SE",
  "vi",
  "tr",
  "cs",
  "el",
  "bg",
  "ru",
  "uk",
  "hi",
  "th",
  "zh-CN",
  "ja",
  "zh-TW",
  "ko",
]);

export const CommandType = { ChatInput: 1, User: 2, Message: 3, PrimaryEntryPoint: 4 } as const;

export const OptionType = {
  Subcommand: 1,
  SubcommandGroup: 2,
  String: 3,
  Integer: 4,
  Boolean: 5,
  User: 6,
  Channel: 7,
  Role: 8,
  Mentionable: 9,
  Number: 10,
  Attachment: 11,
} as const;

// Discord's documented chat-input name pattern; Devanagari and Thai need their combining marks.
const CHAT_INPUT_NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

const COMMAND_COUNT_LIMITS: Record<number, number> = { 1: 100, 2: 15, 3: 15, 4: 1 };

function checkChatInputName(errors: FormErrors, path: ErrorPath, name: unknown, required = true): void {
  if (name === undefined && !required) return;
  check.length(errors, path, name, 1, 32, true);
  if (typeof name !== "string" || [...name].length > 32 || name.length === 0) return;
  if (!CHAT_INPUT_NAME.test(name)) {
    errors.add(path, "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid");
  } else if (name !== name.toLowerCase()) {
    errors.add(path, "APPLICATION_COMMAND_INVALID_NAME", "Command name must be lower-case");
  }
}

function checkLocalizations(
  errors: FormErrors,
  path: ErrorPath,
  map: unknown,
  checkValue: (path: ErrorPath, value: unknown) => void,
): void {
  if (map === undefined || map === null) return;
  if (!isRecord(map)) {
    errors.add(path, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType");
    return;
  }
  for (const [locale, value] of Object.entries(map)) {
    if (!DISCORD_LOCALES.has(locale)) {
      errors.add([...path, locale], "ENUM_TYPE_COERCE", `Value "${locale}" is not a valid enum value.`);
      continue;
    }
    // Discord accepts null to clear a locale.
    if (value !== null) checkValue([...path, locale], value);
  }
}

function textLength(value: unknown): number {
  return typeof value === "string" ? [...value].length : 0;
}

/** Discord caps a command's combined name, description and option/choice text at 4000 characters. */
function combinedLength(def: Record<string, unknown>): number {
  let total = textLength(def.name) + textLength(def.description);
  if (Array.isArray(def.choices)) {
    for (const choice of def.choices) {
      if (isRecord(choice)) total += textLength(choice.name) + textLength(String(choice.value ?? ""));
    }
  }
  if (Array.isArray(def.options)) {
    for (const option of def.options) if (isRecord(option)) total += combinedLength(option);
  }
  return total;
}

function checkChoices(
  errors: FormErrors,
  path: ErrorPath,
  option: Record<string, unknown>,
  type: number,
): void {
  if (option.choices === undefined) return;
  if (![OptionType.String, OptionType.Integer, OptionType.Number].includes(type as 3 | 4 | 10)) {
    errors.add(
      path,
      "APPLICATION_COMMAND_OPTION_CHOICES_INVALID",
      "Choices are only allowed on string, integer and number options",
    );
    return;
  }
  if (option.autocomplete === true) {
    errors.add(
      path,
      "APPLICATION_COMMAND_AUTOCOMPLETE_CHOICES",
      "Autocomplete cannot be enabled when choices are set",
    );
  }
  if (!check.arrayMax(errors, path, option.choices, 25)) return;
  option.choices.forEach((choice, i) => {
    const cp = [...path, i];
    if (!isRecord(choice)) {
      errors.add(cp, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType");
      return;
    }
    check.length(errors, [...cp, "name"], choice.name, 1, 100, true);
    checkLocalizations(errors, [...cp, "name_localizations"], choice.name_localizations, (p, v) =>
      check.length(errors, p, v, 1, 100, true),
    );
    if (type === OptionType.String) check.length(errors, [...cp, "value"], choice.value, 1, 100, true);
    else if (
      typeof choice.value !== "number" ||
      (type === OptionType.Integer && !Number.isInteger(choice.value))
    ) {
      errors.add(
        [...cp, "value"],
        "NUMBER_TYPE_COERCE",
        `Value "${String(choice.value)}" is not ${type === OptionType.Integer ? "int" : "a number"}.`,
      );
    }
  });
}

type OptionParent = "command" | "group" | "subcommand";

function checkOption(errors: FormErrors, path: ErrorPath, option: unknown, parent: OptionParent): void {
  if (!isRecord(option)) {
    errors.add(path, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType");
    return;
  }
  const type = option.type;
  if (typeof type !== "number" || !Number.isInteger(type) || type < 1 || type > 11) {
    errors.add(
      [...path, "type"],
      "BASE_TYPE_CHOICES",
      "Value must be one of {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}.",
    );
    return;
  }
  checkChatInputName(errors, [...path, "name"], option.name);
  check.length(errors, [...path, "description"], option.description, 1, 100, true);
  checkLocalizations(errors, [...path, "name_localizations"], option.name_localizations, (p, v) =>
    checkChatInputName(errors, p, v),
  );
  checkLocalizations(
    errors,
    [...path, "description_localizations"],
    option.description_localizations,
    (p, v) => check.length(errors, p, v, 1, 100, true),
  );
  checkChoices(errors, [...path, "choices"], option, type);
  if (option.min_length !== undefined || option.max_length !== undefined) {
    if (type !== OptionType.String) {
      errors.add(
        [...path, "min_length"],
        "APPLICATION_COMMAND_OPTION_LENGTH_INVALID",
        "Only string options have lengths",
      );
    }
    check.intRange(errors, [...path, "min_length"], option.min_length, 0, 6000);
    check.intRange(errors, [...path, "max_length"], option.max_length, 1, 6000);
  }
  if (
    (option.min_value !== undefined || option.max_value !== undefined) &&
    type !== OptionType.Integer &&
    type !== OptionType.Number
  ) {
    errors.add(
      [...path, "min_value"],
      "APPLICATION_COMMAND_OPTION_VALUE_INVALID",
      "Only numeric options have value bounds",
    );
  }
  if (
    option.autocomplete === true &&
    ![OptionType.String, OptionType.Integer, OptionType.Number].includes(type as 3 | 4 | 10)
  ) {
    errors.add(
      [...path, "autocomplete"],
      "APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_INVALID",
      "Autocomplete is only allowed on string, integer and number options",
    );
  }

  if (type === OptionType.Subcommand || type === OptionType.SubcommandGroup) {
    if (option.required !== undefined && option.required !== false) {
      errors.add(
        [...path, "required"],
        "APPLICATION_COMMAND_OPTION_REQUIRED_INVALID",
        "Subcommands cannot be required",
      );
    }
    const allowedHere = type === OptionType.SubcommandGroup ? parent === "command" : parent !== "subcommand";
    if (!allowedHere) {
      errors.add(
        [...path, "type"],
        "APPLICATION_COMMAND_SUBCOMMAND_NESTING",
        "Subcommands are nested too deeply",
      );
      return;
    }
    checkOptionList(
      errors,
      [...path, "options"],
      option.options,
      type === OptionType.SubcommandGroup ? "group" : "subcommand",
    );
  } else if (option.options !== undefined) {
    errors.add(
      [...path, "options"],
      "APPLICATION_COMMAND_OPTION_OPTIONS_INVALID",
      "Only subcommands have options",
    );
  }
}

function checkOptionList(errors: FormErrors, path: ErrorPath, options: unknown, parent: OptionParent): void {
  if (!check.arrayMax(errors, path, options, 25)) return;
  const names = new Set<string>();
  let sawOptional = false;
  let sawSubcommand = false;
  let sawValue = false;
  options.forEach((option, i) => {
    checkOption(errors, [...path, i], option, parent);
    if (!isRecord(option)) return;
    const isSub = option.type === OptionType.Subcommand || option.type === OptionType.SubcommandGroup;
    if (isSub) sawSubcommand = true;
    else sawValue = true;
    if (parent === "group" && option.type !== OptionType.Subcommand) {
      errors.add(
        [...path, i, "type"],
        "APPLICATION_COMMAND_SUBCOMMAND_GROUP_INVALID",
        "Subcommand groups may only contain subcommands",
      );
    }
    if (typeof option.name === "string") {
      if (names.has(option.name)) {
        errors.add(
          [...path, i, "name"],
          "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS",
          "Option names must be unique",
        );
      }
      names.add(option.name);
    }
    if (option.required === true && sawOptional) {
      errors.add(
        [...path, i, "required"],
        "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
        "Required options must be placed before non-required options",
      );
    }
    if (option.required !== true && !isSub) sawOptional = true;
  });
  if (sawSubcommand && sawValue) {
    errors.add(
      path,
      "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
      "Subcommands cannot be mixed with other option types",
    );
  }
}

/** Validates one application command definition as Discord's create/overwrite endpoints do. */
export function validateCommand(errors: FormErrors, path: ErrorPath, def: unknown): void {
  if (!isRecord(def)) {
    errors.add(path, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType");
    return;
  }
  const type = def.type ?? CommandType.ChatInput;
  if (typeof type !== "number" || !(type in COMMAND_COUNT_LIMITS)) {
    errors.add([...path, "type"], "BASE_TYPE_CHOICES", "Value must be one of {1, 2, 3, 4}.");
    return;
  }
  if (type === CommandType.ChatInput) {
    checkChatInputName(errors, [...path, "name"], def.name);
    check.length(errors, [...path, "description"], def.description, 1, 100, true);
    checkLocalizations(errors, [...path, "name_localizations"], def.name_localizations, (p, v) =>
      checkChatInputName(errors, p, v),
    );
    checkLocalizations(
      errors,
      [...path, "description_localizations"],
      def.description_localizations,
      (p, v) => check.length(errors, p, v, 1, 100, true),
    );
    checkOptionList(errors, [...path, "options"], def.options, "command");
    if (combinedLength(def) > 4000) {
      errors.add(path, "APPLICATION_COMMAND_TOO_LARGE", "Command exceeds maximum size (4000)");
    }
  } else {
    check.length(errors, [...path, "name"], def.name, 1, 32, true);
    checkLocalizations(errors, [...path, "name_localizations"], def.name_localizations, (p, v) =>
      check.length(errors, p, v, 1, 32, true),
    );
    if (def.description !== undefined && def.description !== "") {
      errors.add(
        [...path, "description"],
        "APPLICATION_COMMAND_DESCRIPTION_INVALID",
        "Context menu commands cannot have a description",
      );
    }
    if (def.options !== undefined) {
      errors.add(
        [...path, "options"],
        "APPLICATION_COMMAND_OPTIONS_INVALID",
        "Context menu commands cannot have options",
      );
    }
  }
}

/** Validates a bulk-overwrite body: an array of definitions with unique names per type and per-type caps. */
export function validateCommandList(errors: FormErrors, body: unknown): void {
  if (!Array.isArray(body)) {
    errors.add([], "BASE_TYPE_ARRAY", "Must be an array.");
    return;
  }
  const seen = new Set<string>();
  const counts = new Map<number, number>();
  body.forEach((def, i) => {
    validateCommand(errors, [i], def);
    if (!isRecord(def)) return;
    const type = typeof def.type === "number" ? def.type : CommandType.ChatInput;
    counts.set(type, (counts.get(type) ?? 0) + 1);
    const key = `${type}:${String(def.name)}`;
    if (seen.has(key)) {
      errors.add(
        [i, "name"],
        "APPLICATION_COMMANDS_DUPLICATE_NAME",
        `Application command names must be unique`,
      );
    }
    seen.add(key);
  });
  for (const [type, count] of counts) {
    const limit = COMMAND_COUNT_LIMITS[type];
    if (limit !== undefined && count > limit) {
      errors.add(
        [],
        "APPLICATION_COMMANDS_TOO_MANY",
        `Maximum number of application commands of type ${type} reached (${limit})`,
      );
    }
  }
}
