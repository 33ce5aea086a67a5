/**
 * The arguments of `EmbedClient.request`, checked before anything is sent.
 *
 * @module
 */

import type { ValibotSchema } from "../schemas/schema.ts";
import { isWellFormed } from "../schemas/user_patch.ts";
import { isPlainRecord } from "../is_plain_record.ts";
import { optionValues } from "../option_values.ts";
import { EmbedConfigError, EmbedValidationError } from "../errors.ts";
import { jsonText } from "./json_text.ts";
import { cutPath, pathKey, unknownKey } from "../issue_path.ts";

/**
 * An HTTP method the Embed API uses.
 *
 * @example
 * ```ts
 * import { EmbedClient, type EmbedMethod } from "@kraken-embed/client";
 * const client = new EmbedClient({
 *   apiKey: "my-api-key",
 *   apiSecret: "c2VjcmV0LWJ5dGVz",
 *   fetch: async () => Response.json({ result: { limits: [] } }),
 * });
 * function send(method: EmbedMethod, path: string): Promise<unknown> {
 *   console.log(method, path);
 *   return client.request({ method, path });
 * }
 * await send("GET", "/b2b/quotes/limits");
 * ```
 */
export type EmbedMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/**
 * A query parameter's value in {@linkcode RequestOptions.query}: sent as its
 * text (`undefined` leaves the parameter out).
 *
 * @example
 * ```ts
 * import { EmbedClient, type EmbedQueryValue } from "@kraken-embed/client";
 * const client = new EmbedClient({
 *   apiKey: "my-api-key",
 *   apiSecret: "c2VjcmV0LWJ5dGVz",
 *   fetch: async () => Response.json({ result: [] }),
 * });
 * // Your own interface, as a query.
 * interface Page {
 *   limit: EmbedQueryValue;
 *   cursor?: string;
 * }
 * const page: Page = { limit: 50 };
 * await client.request({ method: "GET", path: "/b2b/users", query: page });
 * ```
 */
export type EmbedQueryValue = string | number | boolean | bigint | undefined;

/**
 * Arguments of `EmbedClient.request`.
 *
 * @example
 * ```ts
 * import { EmbedClient, type RequestOptions } from "@kraken-embed/client";
 * const client = new EmbedClient({
 *   apiKey: "my-api-key",
 *   apiSecret: "c2VjcmV0LWJ5dGVz",
 *   fetch: async () => Response.json({ result: { limits: [] } }),
 * });
 * const limitsOf = (user: string): RequestOptions => ({
 *   method: "GET",
 *   path: "/b2b/quotes/limits",
 *   query: { user },
 * });
 * const result = await client.request(limitsOf("AA95 N84G TEST XXXX"));
 * ```
 */
export interface RequestOptions<
  T = unknown,
  Q extends { [K in keyof Q]: EmbedQueryValue } = Record<
    string,
    EmbedQueryValue
  >,
> {
  /** The HTTP method. */
  method: EmbedMethod;
  /**
   * The path from the first `/`, already percent-encoded, without a query
   * string, e.g. `/b2b/assets/BTC`. It is signed and sent exactly as given;
   * characters a URL would rewrite (spaces, `..`, `?`, `#`) are refused,
   * and so are empty segments (`//b2b/assets`, which Bun's fetch sends as
   * `/b2b/assets`).
   */
  path: string;
  /**
   * Query parameters as a plain object, encoded with URLSearchParams and
   * signed as part of the path. Its type is `Q`, which `request()` infers,
   * so an `interface` of yours (which has no index signature) types it as
   * well as a `type` does; with the result's type given, `request<Limits>`,
   * TypeScript infers no other: give the query's too, `request<Limits,
   * LimitsQuery>`.
   */
  query?: Q | undefined;
  /** A JSON value for the body (the data, not JSON text), serialized once; the signed text is the sent text. Not allowed with GET. */
  body?: unknown;
  /** Stops the call, backoff waits included. */
  signal?: AbortSignal | undefined;
  /**
   * Whether sending the request twice is harmless. Default: true for GET,
   * PATCH and DELETE; false for POST and PUT (`POST /b2b/quotes` requests a
   * quote, `PUT /b2b/quotes/{id}` executes one). A non-idempotent request is
   * only retried after answers that say it was not acted on (429, Kraken's
   * 503, invalid nonce), or after an attempt that ended before it was handed
   * to `fetch` (a timeout waiting for the nonce source).
   */
  idempotent?: boolean | undefined;
  /** A synchronous schema for the answer's `result`; an answer that does not match, or on which the schema throws (the error as `cause`), is an `EmbedApiError`. */
  schema?: ValibotSchema<unknown, T> | undefined;
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
  /**
   * The personal data the body holds, which an error must not quote either:
   * asked for only once an attempt fails, so that a success does not pay
   * for it.
   */
  personal?: (() => RegExp[]) | undefined;
}

const METHODS = new Set(["GET", "POST", "PUT", "PATCH", "DELETE"]);
// Characters that URL parsing leaves as they are in a path (RFC 3986 pchar),
// so the path signed is the path sent; segments not empty but the last (a
// trailing /): Bun's fetch sends `//b2b/assets` as `/b2b/assets`, and a
// proxy may merge slashes too, where the signature would not verify.
const PATH = /^(?:\/(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})+)+\/?$/;
// URL parsing also resolves percent-encoded dots (`%2e`, `.%2E`, `%2e%2e`).
const DOT_SEGMENT = /\/(?:\.|%2e){1,2}(?:\/|$)/i;

const OPTIONS: (keyof RequestOptions)[] = [
  "method",
  "path",
  "query",
  "body",
  "signal",
  "idempotent",
  "schema",
];
const JSON_DATA =
  "Expected JSON data: null, a boolean, a finite number, a string without lone surrogates, an array without holes or a plain object";

function fail(target: string, message: string, path = ""): never {
  throw new EmbedValidationError(target, [{ path, message }]);
}

/**
 * A copy of a request body made only of what JSON carries unchanged, or an
 * error naming the first place JSON.stringify would change (NaN and
 * Infinity become null, a Map `{}`, a Date a string, a hole null), drop (a
 * function) or refuse (a bigint, a cycle). Keys set to `undefined` are left
 * out, as JSON.stringify leaves them out. The copy is what is serialized, so
 * a getter cannot send something other than what was checked.
 */
function jsonData(
  value: unknown,
  keys: (string | number)[],
  parents: object[],
): unknown {
  if (
    value === null || typeof value === "boolean" ||
    (typeof value === "number" && Number.isFinite(value)) ||
    (typeof value === "string" && isWellFormed(value))
  ) {
    return value;
  }
  const object = typeof value === "object" && !parents.includes(value!);
  // `keys` leads from the body to `value`, and `parents` holds what they
  // pass through; a path is built from them only for a refusal, not for
  // every key of a body that passes. Pushed and popped in place rather than
  // in a helper: a frame more per level runs a body 3,000 levels deep out of
  // stack before its refusal can name where.
  if (object && Array.isArray(value)) {
    const list = value as unknown[];
    parents.push(list);
    // By index, as JSON.stringify reads an array: not through its iterator,
    // which an array of the caller's may have replaced.
    const copy: unknown[] = [];
    for (let i = 0; i < list.length; i++) {
      keys.push(i);
      // Its own entry: an index set on Object.prototype does not fill a hole.
      if (!Object.hasOwn(list, i)) refuse(keys);
      copy.push(jsonData(list[i], keys, parents));
      keys.pop();
    }
    parents.pop();
    return copy;
  }
  if (object && isPlainRecord(value!)) {
    const record = value as Record<string, unknown>;
    parents.push(record);
    // Without a prototype, a "__proto__" key is a key like any other.
    const copy: Record<string, unknown> = Object.create(null);
    for (const key of Object.keys(record)) {
      keys.push(key);
      if (!isWellFormed(key)) refuse(keys);
      const item = record[key];
      if (item !== undefined) copy[key] = jsonData(item, keys, parents);
      keys.pop();
    }
    parents.pop();
    return copy;
  }
  refuse(keys);
}

// The refusal jsonData threw last: told apart by identity from an error a
// getter of the body threw, even one of the package's (another call's).
let refused: unknown;

function refuse(keys: readonly (string | number)[]): never {
  throw refused = new EmbedValidationError("body", [{
    path: cutPath(keys.map(pathKey).join(".")),
    message: JSON_DATA,
  }]);
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
  // Refused like an unknown client option: a misspelt `qurey` or `data`
  // must not send the request without it.
  const unknown = unknownKey(options, OPTIONS);
  if (unknown !== undefined) {
    fail(
      "request",
      `Unknown option: request takes ${OPTIONS.join(", ")}`,
      unknown,
    );
  }
  // Not what other code set on Object.prototype (a `query`, a `body`).
  const { method, path, query, body, signal, idempotent, schema } =
    optionValues(options, OPTIONS);
  if (typeof method !== "string" || !METHODS.has(method)) {
    fail("method", "Expected one of GET, POST, PUT, PATCH, DELETE");
  }
  if (typeof path !== "string" || !PATH.test(path) || DOT_SEGMENT.test(path)) {
    fail(
      "path",
      "Expected a percent-encoded path starting with / without spaces, empty or dot segments, query or fragment",
    );
  }
  let search = "";
  if (query !== undefined) {
    // A URLSearchParams or a Map has no entries of its own to read: it
    // would be sent as no query at all; an object made on another would be
    // sent without the parameters it inherits.
    if (
      typeof query !== "object" || query === null || !isPlainRecord(query)
    ) {
      fail("query", "Expected a plain object of query parameters");
    }
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) {
      if (value === undefined) continue;
      // URLSearchParams would send a lone surrogate as U+FFFD, and NaN as
      // the text "NaN".
      if (!isWellFormed(name)) {
        fail("query", "Expected a name without lone surrogates", pathKey(name));
      }
      if (
        !(["string", "number", "boolean", "bigint"].includes(typeof value) &&
          isWellFormed(String(value)) &&
          (typeof value !== "number" || Number.isFinite(value)))
      ) {
        fail(
          "query",
          "Expected a string without lone surrogates, a finite number, a boolean or a bigint",
          pathKey(name),
        );
      }
      params.append(name, String(value));
    }
    const text = params.toString();
    if (text !== "") search = `?${text}`;
  }
  let text: string | undefined;
  if (body !== undefined) {
    if (method === "GET") fail("body", "Expected no body with GET");
    // JSON text would be sent as one JSON string: the habit of fetch.
    if (typeof body === "string") {
      fail(
        "body",
        "Expected the data itself, not JSON text: the client serializes it",
      );
    }
    let data: unknown;
    try {
      refused = undefined;
      data = jsonData(body, [], []);
    } catch (error) {
      // jsonData's own refusal; anything else a getter threw, even an
      // error of the package's (another call's), is a body that cannot be
      // read: nothing was sent.
      if (error === refused) throw error;
      // A getter that throws, or nesting deeper than the stack.
      fail("body", JSON_DATA);
    }
    try {
      text = jsonText(data);
    } catch (error) {
      // A toJSON set by other code on Object.prototype or Array.prototype.
      if (error instanceof EmbedConfigError) throw error;
      // Nesting deeper than the stack, which JSON.stringify may reach on
      // the copy where jsonData did not: its objects have no prototype,
      // which V8 serializes on a slower path.
      fail("body", JSON_DATA);
    }
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    fail("signal", "Expected an AbortSignal");
  }
  if (idempotent !== undefined && typeof idempotent !== "boolean") {
    fail("idempotent", "Expected a boolean");
  }
  // Checked now, not after the answer: a request that may have acted must
  // not end in a TypeError that loses its result.
  // An async schema's check is a promise, which safeParse would take for
  // a success with no output: the result would be lost.
  if (
    schema !== undefined &&
    (typeof (schema as { "~run"?: unknown } | null)?.["~run"] !== "function" ||
      (schema as { async?: unknown }).async !== false)
  ) {
    fail("schema", "Expected a synchronous valibot schema");
  }
  return {
    prepared: {
      method,
      target: path + search,
      body: text,
      signal,
      // PUT executes a quote: sending it again after a timeout could trade
      // twice, whatever HTTP says of PUT.
      idempotent: idempotent ?? (method !== "POST" && method !== "PUT"),
    },
    schema,
  };
}
