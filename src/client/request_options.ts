/**
 * The arguments of `EmbedClient.request`, checked before anything is sent.
 *
 * @module
 */

import type { ValibotSchema } from "../schemas/schema.ts";
import { EmbedValidationError } from "../errors.ts";

/** An HTTP method the Embed API uses. */
export type EmbedMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** Arguments of `EmbedClient.request`. */
export interface RequestOptions<T = unknown> {
  /** The HTTP method. */
  method: EmbedMethod;
  /**
   * The path from the first `/`, already percent-encoded, without a query
   * string, e.g. `/b2b/assets/BTC`. It is signed and sent exactly as given;
   * characters a URL would rewrite (spaces, `..`, `?`, `#`) are refused.
   */
  path: string;
  /** Query parameters, encoded with URLSearchParams and signed as part of the path. */
  query?: Record<string, string | number | boolean | bigint | undefined>;
  /** A JSON value for the body, serialized once; the signed text is the sent text. Not allowed with GET. */
  body?: unknown;
  /** Stops the call, backoff waits included. */
  signal?: AbortSignal;
  /**
   * Whether sending the request twice is harmless. Default: true for GET,
   * PUT, PATCH and DELETE, false for POST. A non-idempotent request is only
   * retried after answers that say it was not acted on (429, 503, invalid nonce).
   */
  idempotent?: boolean;
  /** A schema for the answer's `result`; an answer that does not match is an `EmbedApiError`. */
  schema?: ValibotSchema<unknown, T>;
}

/** What the client sends once a request has been checked. */
export interface PreparedRequest {
  method: string;
  /** Path and query, from the first `/`, as signed and sent (base URL prefix not included). */
  target: string;
  body: string | undefined;
  signal: AbortSignal | undefined;
  /** Whether sending it twice is harmless; decides which failures are retried. */
  idempotent: boolean;
}

const METHODS = new Set(["GET", "POST", "PUT", "PATCH", "DELETE"]);
// Characters that URL parsing leaves as they are in a path (RFC 3986 pchar),
// so the path signed is the path sent.
const PATH = /^(?:\/(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})*)+$/;
// URL parsing also resolves percent-encoded dots (`%2e`, `.%2E`, `%2e%2e`).
const DOT_SEGMENT = /\/(?:\.|%2e){1,2}(?:\/|$)/i;

function fail(target: string, message: string): never {
  throw new EmbedValidationError(target, [{ path: "", message }]);
}

/** Checks request arguments and prepares what is signed and sent. */
export function checkRequest<T>(
  options: RequestOptions<T>,
): {
  prepared: PreparedRequest;
  schema: ValibotSchema<unknown, T> | undefined;
} {
  if (typeof options !== "object" || options === null) {
    fail("request", "Expected an object with method and path");
  }
  const { method, path, query, body, signal, idempotent, schema } = options;
  if (typeof method !== "string" || !METHODS.has(method)) {
    fail("method", "Expected one of GET, POST, PUT, PATCH, DELETE");
  }
  if (typeof path !== "string" || !PATH.test(path) || DOT_SEGMENT.test(path)) {
    fail(
      "path",
      "Expected a percent-encoded path starting with / without spaces, dot segments, query or fragment",
    );
  }
  let search = "";
  if (query !== undefined) {
    if (typeof query !== "object" || query === null || Array.isArray(query)) {
      fail("query", "Expected an object of query parameters");
    }
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) {
      if (value === undefined) continue;
      if (!["string", "number", "boolean", "bigint"].includes(typeof value)) {
        throw new EmbedValidationError("query", [{
          path: name,
          message: "Expected a string, number, boolean or bigint",
        }]);
      }
      params.append(name, String(value));
    }
    const text = params.toString();
    if (text !== "") search = `?${text}`;
  }
  let text: string | undefined;
  if (body !== undefined) {
    if (method === "GET") fail("body", "Expected no body with GET");
    try {
      text = JSON.stringify(body);
    } catch {
      fail("body", "Expected a value JSON.stringify can serialize");
    }
    if (text === undefined) {
      fail("body", "Expected a value JSON.stringify can serialize");
    }
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    fail("signal", "Expected an AbortSignal");
  }
  if (idempotent !== undefined && typeof idempotent !== "boolean") {
    fail("idempotent", "Expected a boolean");
  }
  return {
    prepared: {
      method,
      target: path + search,
      body: text,
      signal,
      idempotent: idempotent ?? method !== "POST",
    },
    schema,
  };
}
