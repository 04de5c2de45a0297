/**
 * Secrets taken out of whatever AssetPay or the network hands back before it becomes an error:
 * a server that echoes a header, or a proxy that quotes the request, must not carry the API key
 * or a member's token into logs or chat.
 */

export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join("[redacted]");
  return out;
}

/** The same through every string of a JSON value (error fields and details). */
export function redactDeep(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === "string") return redact(value, secrets);
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, secrets));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v, secrets)]));
  }
  return value;
}
