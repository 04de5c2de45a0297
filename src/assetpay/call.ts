/**
 * One AssetPay request as the transport sends it: what `wire.ts` puts on the wire and `http.ts`
 * retries. Its own file so the two can share it without importing each other.
 */
import type { z } from "zod";

export type HttpMethod = "GET" | "POST";
export type Auth = { kind: "api-key" } | { kind: "bearer"; token: string };
export type QueryValue = string | number | boolean | undefined;

export interface Call<S extends z.ZodType> {
  operation: string;
  method: HttpMethod;
  /** Path below the base URL, segments already encoded. */
  path: string;
  query?: Record<string, QueryValue>;
  body?: unknown;
  auth: Auth;
  schema: S;
  timeoutMs: number;
  /** Safe to send twice: retried on transport failures, 5xx and short 429s. */
  idempotent: boolean;
  /** Reused when a logical call is replayed (e.g. after a token refresh). */
  requestId?: string;
  signal?: AbortSignal;
}
