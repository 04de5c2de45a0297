/** Discord's JSON error shapes and the codes the fake answers with. */

export interface FieldError {
  code: string;
  message: string;
}

export interface FormErrorTree {
  _errors?: FieldError[];
  [key: string]: FormErrorTree | FieldError[] | undefined;
}

export interface DiscordErrorBody {
  message: string;
  code: number;
  errors?: FormErrorTree;
}

export type ErrorPath = ReadonlyArray<string | number>;

export const ErrorCode = {
  General: 0,
  UnknownChannel: 10003,
  UnknownGuild: 10004,
  UnknownMember: 10007,
  UnknownMessage: 10008,
  UnknownUser: 10013,
  UnknownWebhook: 10015,
  UnknownInteraction: 10062,
  UnknownApplicationCommand: 10063,
  InteractionAlreadyAcknowledged: 40060,
  MissingAccess: 50001,
  CannotSendEmptyMessage: 50006,
  CannotSendMessagesToUser: 50007,
  InvalidWebhookToken: 50027,
  InvalidFormBody: 50035,
  InvalidJson: 50109,
} as const;

export function discordError(code: number, message: string): DiscordErrorBody {
  return { message, code };
}

export function pathToString(path: ErrorPath): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? part : `.${part}`;
  }
  return out;
}

/**
 * Collects field errors into Discord's nested `errors` tree (`{ data: { components: { 0: { custom_id: { _errors:
 * [...] } } } } }`), which @discordjs/rest flattens into its DiscordAPIError message.
 */
export class FormErrors {
  readonly issues: { path: string; code: string; message: string }[] = [];
  private readonly tree: FormErrorTree = {};

  constructor(private readonly prefix: ErrorPath = []) {}

  add(path: ErrorPath, code: string, message: string): void {
    const full = [...this.prefix, ...path];
    this.issues.push({ path: pathToString(full), code, message });
    let node = this.tree;
    for (const part of full) {
      const key = String(part);
      const next = node[key];
      if (next === undefined || Array.isArray(next)) {
        const created: FormErrorTree = {};
        node[key] = created;
        node = created;
      } else {
        node = next;
      }
    }
    node._errors ??= [];
    node._errors.push({ code, message });
  }

  get empty(): boolean {
    return this.issues.length === 0;
  }

  toBody(): DiscordErrorBody {
    return { message: "Invalid Form Body", code: ErrorCode.InvalidFormBody, errors: this.tree };
  }

  summary(): string {
    return this.issues.map((i) => `${i.path || "(body)"}: ${i.message}`).join("; ");
  }
}

/** Field checks phrased the way Discord phrases them. */
export const check = {
  length(
    errors: FormErrors,
    path: ErrorPath,
    value: unknown,
    min: number,
    max: number,
    required: boolean,
  ): void {
    if (value === undefined || value === null) {
      if (required) errors.add(path, "BASE_TYPE_REQUIRED", "This field is required");
      return;
    }
    if (typeof value !== "string") {
      errors.add(path, "STRING_TYPE_CONVERT", "Could not interpret value as string.");
      return;
    }
    const length = [...value].length;
    if (length < min || length > max) {
      if (min === 0) errors.add(path, "BASE_TYPE_MAX_LENGTH", `Must be ${max} or fewer in length.`);
      else errors.add(path, "BASE_TYPE_BAD_LENGTH", `Must be between ${min} and ${max} in length.`);
    }
  },
  arrayMax(errors: FormErrors, path: ErrorPath, value: unknown, max: number): value is unknown[] {
    if (value === undefined || value === null) return false;
    if (!Array.isArray(value)) {
      errors.add(path, "BASE_TYPE_ARRAY", "Must be an array.");
      return false;
    }
    if (value.length > max) errors.add(path, "BASE_TYPE_MAX_LENGTH", `Must be ${max} or fewer in length.`);
    return true;
  },
  intRange(errors: FormErrors, path: ErrorPath, value: unknown, min: number, max: number): void {
    if (value === undefined || value === null) return;
    if (typeof value !== "number" || !Number.isInteger(value)) {
      errors.add(path, "NUMBER_TYPE_COERCE", `Value "${String(value)}" is not int.`);
    } else if (value < min) {
      errors.add(path, "NUMBER_TYPE_MIN", `int value should be greater than or equal to ${min}.`);
    } else if (value > max) {
      errors.add(path, "NUMBER_TYPE_MAX", `int value should be less than or equal to ${max}.`);
    }
  },
};

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
