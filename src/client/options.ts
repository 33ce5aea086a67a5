/**
 * The options of `EmbedClient`, checked once at construction.
 *
 * @module
 */

import { decodeSecret, isSigningKey } from "../auth/import_secret.ts";
import { EmbedConfigError } from "../errors.ts";
import { SLACK_MS } from "./deadlines.ts";
import { unknownKey } from "../issue_path.ts";
import { isPlain } from "../is_plain.ts";
import { isPlainObject } from "../is_plain_object.ts";
import { optionValues } from "../option_values.ts";
import type { WebCryptoKey } from "../auth/web_crypto_key.ts";

/**
 * A nonce source: returns the next `API-Nonce`, possibly from a shared counter.
 *
 * @example
 * ```ts
 * import { createNonceGenerator, EmbedClient, type NonceSource } from "@kraken-embed/client";
 * // The default generator, logging each nonce it hands out.
 * const next = createNonceGenerator();
 * const nonce: NonceSource = () => {
 *   const value = next();
 *   console.debug("API-Nonce", value);
 *   return value;
 * };
 * const client = new EmbedClient({ apiKey: "my-api-key", apiSecret: "c2VjcmV0LWJ5dGVz", nonce });
 * ```
 */
export type NonceSource = () => string | bigint | Promise<string | bigint>;

/**
 * What the client passes its `fetch` with the URL: a plain object, which
 * spreads into the `RequestInit` of the runtime's `fetch` and of undici's or
 * node-fetch's. `body` is there only when the request has one.
 *
 * @example
 * ```ts
 * import type { EmbedFetchInit } from "@kraken-embed/client";
 * const init: EmbedFetchInit = {
 *   method: "GET",
 *   headers: { "API-Key": "..." },
 *   signal: new AbortController().signal,
 *   redirect: "manual",
 * };
 * console.log(init.body); // undefined
 * ```
 */
export interface EmbedFetchInit {
  /** `GET`, `PATCH`, ... */
  method: string;
  /** The signed headers: `API-Key`, `API-Nonce`, `API-Sign`, `Payward-Version`, `Accept`, and `Content-Type` with a body. */
  headers: Record<string, string>;
  /** The JSON text signed, when the request has a body. */
  body?: string;
  /** Aborted by the attempt's timeout or the caller's signal. */
  signal: AbortSignal;
  /** A redirect is not followed: the request was signed for this URL. */
  redirect: "manual";
}

/**
 * What the client reads of what its `fetch` resolves to: the status, one
 * header at a time, and the body as text. A `Response` has all three, and so
 * has the answer of undici's or node-fetch's `fetch`. Anything else without
 * them, or with a status that is not an integer from 100 to 599, is refused
 * (`EmbedConfigError`, field `fetch`, not retried: the request may have
 * been sent). A `text()` that throws fails the attempt as a network error
 * would; a header that `get()` gives as anything but a string, or throws
 * on, is read as absent.
 *
 * @example
 * ```ts
 * import type { EmbedFetchResponse } from "@kraken-embed/client";
 * const answer: EmbedFetchResponse = new Response('{"result":"success"}');
 * console.log(answer.status); // 200
 * ```
 */
export interface EmbedFetchResponse {
  /** The HTTP status. */
  readonly status: number;
  /** The answer's headers: `x-trace-id` and `Retry-After` are read. */
  readonly headers: { get(name: string): string | null };
  /** The whole body, as text. */
  text(): Promise<string>;
}

/**
 * The `fetch` a client sends with: the runtime's own (the default), or any
 * function that takes the URL and an {@linkcode EmbedFetchInit} and resolves
 * to an {@linkcode EmbedFetchResponse}, such as undici's with a proxy.
 *
 * @example
 * ```ts
 * import type { EmbedFetch } from "@kraken-embed/client";
 * const logged: EmbedFetch = (url, init) => {
 *   console.log(init.method, url);
 *   return fetch(url, init);
 * };
 * ```
 */
export type EmbedFetch = (
  input: string,
  init: EmbedFetchInit,
) => Promise<EmbedFetchResponse>;

/**
 * Options of `new EmbedClient()`. Unknown option names are refused, so a typo is never ignored.
 *
 * @example
 * ```ts
 * import { EmbedClient, type EmbedClientOptions } from "@kraken-embed/client";
 * // Settings shared by every tenant's client; each adds its own key and secret.
 * const shared: Omit<EmbedClientOptions, "apiKey" | "apiSecret"> = {
 *   timeoutMs: 10_000,
 *   maxRetries: 1,
 *   // A stand-in for the network, so the example runs offline.
 *   fetch: async () => Response.json({ result: "success" }),
 * };
 * const client = new EmbedClient({ ...shared, apiKey: "my-api-key", apiSecret: "c2VjcmV0LWJ5dGVz" });
 * ```
 */
export interface EmbedClientOptions {
  /** The public API key, sent as the `API-Key` header. */
  apiKey: string;
  /** The API secret: base64 as Kraken issued it, or a key from `importSecret()`. Never logged. */
  apiSecret: string | WebCryptoKey;
  /**
   * Where the API lives. Default `https://nexus.kraken.com`; https, or http
   * to this machine (`localhost`, `127.0.0.0/8`, `[::1]`: an emulator); no
   * credentials, query or fragment.
   */
  baseUrl?: string | undefined;
  /**
   * Let `baseUrl` be plain http to any host (an emulator in another
   * container, a TLS-terminating proxy on a private network). Default
   * `false`: over http, a request's personal data, its API key and its
   * signature travel unencrypted.
   */
  allowInsecureHttp?: boolean | undefined;
  /** The `Payward-Version` header. Default `2025-04-15`. */
  apiVersion?: string | undefined;
  /** The `fetch` to use. Default `globalThis.fetch` (looked up at each request); another library's `fetch` fits too (see {@linkcode EmbedFetch}). */
  fetch?: EmbedFetch | undefined;
  /** The nonce source. Default: one generator of `Date.now()` in microseconds plus a random number of them below 1,000, bumped by one when that is not above the last, shared by every client in the thread (a worker thread has its own). */
  nonce?: NonceSource | undefined;
  /** Per-attempt timeout in milliseconds, covering the answer's body too. Default 30,000. */
  timeoutMs?: number | undefined;
  /** How many times a failed attempt may be retried (0 to 10). Default 2. An `Invalid nonce` answer is also resent once, at once, with a fresh nonce, outside this count. */
  maxRetries?: number | undefined;
  /**
   * How many requests this client signs and sends at once; the next one takes
   * its nonce only when a slot frees. Default unlimited. `1` keeps nonces in
   * send order for keys without a nonce window.
   */
  maxConcurrency?: number | undefined;
  /** Backoff between retries: full jitter over `baseMs * 2^n`, at most `capMs`. Default 500 and 8,000. */
  backoff?:
    | { baseMs?: number | undefined; capMs?: number | undefined }
    | undefined;
}

/** The options after checking, with defaults filled in. */
export interface ResolvedOptions {
  apiKey: string;
  secret: Uint8Array<ArrayBuffer> | WebCryptoKey;
  origin: string;
  prefix: string;
  apiVersion: string;
  fetch: EmbedFetch | undefined;
  nonce: NonceSource | undefined;
  timeoutMs: number;
  maxRetries: number;
  maxConcurrency: number;
  backoffBaseMs: number;
  backoffCapMs: number;
}

/** The `Payward-Version` sent when `apiVersion` is not given: the only version the reference lists. */
export const DEFAULT_API_VERSION = "2025-04-15";

const BACKOFF = ["baseMs", "capMs"] as const;
const KNOWN: (keyof EmbedClientOptions)[] = [
  "apiKey",
  "apiSecret",
  "baseUrl",
  "allowInsecureHttp",
  "apiVersion",
  "fetch",
  "nonce",
  "timeoutMs",
  "maxRetries",
  "maxConcurrency",
  "backoff",
];
/** What an API key may be: it is sent as a header, printed by the CLI's `sign` and checked by the emulator. */
export const HEADER_TOKEN = /^[\x21-\x7e]{1,1024}$/;
/** What an API version may be (`apiVersion`, the emulator's `apiVersions`): a header token without spaces, up to 64 characters. */
export const API_VERSION = /^[A-Za-z0-9._-]{1,64}$/;
// setTimeout's largest delay (anything above fires at once in every runtime),
// less the slack a shared timer adds (src/client/deadlines.ts).
const MAX_TIMEOUT_MS = 2_147_483_647 - SLACK_MS;

function number(
  value: unknown,
  field: string,
  fallback: number,
  min: number,
  max: number,
  integer: boolean,
): number {
  if (value === undefined) return fallback;
  if (
    typeof value !== "number" || Number.isNaN(value) || value < min ||
    value > max ||
    (integer && !Number.isInteger(value) && value !== Infinity)
  ) {
    const kind = integer ? "an integer" : "a number";
    throw new EmbedConfigError(field, `Expected ${kind} from ${min} to ${max}`);
  }
  return value;
}

// Hosts that plain http may go to without asking: this machine, where an
// emulator runs. The URL parser has lowercased a name and written an IPv4
// address out in full (`127.1` is `127.0.0.1`).
const LOOPBACK = /^(localhost|127(\.\d+){3}|\[::1\])$/;

/**
 * Parses a base URL the client can append paths to: absolute https, or http
 * to this machine (`localhost`, `127.0.0.0/8`, `[::1]`: an emulator) or
 * with the caller's leave (`hatch`), since a request carries a user's
 * personal data and its credentials; without credentials, query string or
 * fragment (the path would land after them). Shared with the CLI, which
 * words the refusal as its own.
 *
 * @param value The base URL as given.
 * @param refuse Called with what was expected (`no credentials in the URL`);
 * throws.
 * @param allowHttp Whether http may go to any host.
 * @param hatch How the caller allows it, for the refusal: `allowInsecureHttp: true`.
 */
export function parseBaseUrl(
  value: unknown,
  refuse: (expected: string) => never,
  allowHttp: boolean,
  hatch: string,
): URL {
  let url: URL | undefined;
  try {
    url = new URL(value as string);
  } catch {
    // Refused below.
  }
  if (typeof value !== "string" || url === undefined) {
    refuse(
      `an absolute http(s) URL${
        typeof value === "string" ? "" : ", as a string"
      }`,
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    refuse(`an https URL, not ${url.protocol}`);
  }
  // Plain http would send a user's data and the credentials unencrypted.
  if (url.protocol === "http:" && !allowHttp && !LOOPBACK.test(url.hostname)) {
    refuse(
      `https (plain http only to localhost, 127.0.0.0/8 or [::1], unless ${hatch}), not http to ${url.hostname}`,
    );
  }
  if (url.username !== "" || url.password !== "") {
    refuse("no credentials in the URL");
  }
  if (
    url.search !== "" || url.hash !== "" || value.includes("?") ||
    value.includes("#")
  ) {
    refuse("no query string or fragment");
  }
  // Its trailing slashes are dropped; an empty segment before them is sent
  // as it is, which Bun's fetch merges at the path's start (`//proxy`), and
  // a proxy anywhere, where the signature would not verify.
  if (url.pathname.replace(/\/+$/, "").includes("//")) {
    refuse("a path without empty segments (//)");
  }
  return url;
}

/**
 * Checks client options and fills in defaults.
 *
 * @throws {EmbedConfigError} Naming the first option that is unusable.
 */
export function resolveOptions(given: EmbedClientOptions): ResolvedOptions {
  const notOptions = () =>
    new EmbedConfigError(
      "options",
      "Expected an object with apiKey and apiSecret",
    );
  if (typeof given !== "object" || given === null || Array.isArray(given)) {
    throw notOptions();
  }
  const unknown = unknownKey(given, KNOWN);
  if (unknown !== undefined) {
    throw new EmbedConfigError(unknown, "Unknown option");
  }
  // Not what other code set on Object.prototype (a `baseUrl`, say).
  const options = optionValues(given, KNOWN);
  const {
    apiKey,
    apiSecret,
    apiVersion = DEFAULT_API_VERSION,
    fetch,
    nonce,
    backoff,
  } = options;
  // A Map, a Date or a class's instance with neither credential (read as
  // every option is, a Proxy's through its get trap) is refused as what it
  // is, not as an environment variable left unset.
  if (!isPlain(given) && apiKey === undefined && apiSecret === undefined) {
    throw notOptions();
  }
  // Most often an environment variable that is not set: said so, rather
  // than what a key looks like.
  for (const name of ["apiKey", "apiSecret"] as const) {
    if (options[name] === undefined) {
      throw new EmbedConfigError(
        name,
        "Missing (undefined): is the environment variable that holds it set?",
      );
    }
  }
  if (typeof apiKey !== "string" || !HEADER_TOKEN.test(apiKey)) {
    throw new EmbedConfigError(
      "apiKey",
      "Expected 1 to 1024 printable ASCII characters without spaces or line breaks (it is sent as a header)",
    );
  }
  // A CryptoKey of another kind is not said to be bad base64.
  if (apiSecret instanceof CryptoKey && !isSigningKey(apiSecret)) {
    throw new EmbedConfigError(
      "apiSecret",
      "Expected a CryptoKey for HMAC SHA-512 that can sign, or base64",
    );
  }
  const secret = isSigningKey(apiSecret)
    ? apiSecret
    : decodeSecret(apiSecret, "apiSecret");

  // Only a missing option takes the default: `baseUrl: null` is a mistake.
  const baseUrl = options.baseUrl === undefined
    ? "https://nexus.kraken.com"
    : options.baseUrl;
  const { allowInsecureHttp } = options;
  if (
    allowInsecureHttp !== undefined && typeof allowInsecureHttp !== "boolean"
  ) {
    throw new EmbedConfigError("allowInsecureHttp", "Expected true or false");
  }
  const url = parseBaseUrl(
    baseUrl,
    (expected) => {
      throw new EmbedConfigError("baseUrl", `Expected ${expected}`);
    },
    allowInsecureHttp === true,
    "allowInsecureHttp: true",
  );

  if (typeof apiVersion !== "string" || !API_VERSION.test(apiVersion)) {
    throw new EmbedConfigError(
      "apiVersion",
      "Expected a version name such as 2025-04-15",
    );
  }
  if (fetch !== undefined && typeof fetch !== "function") {
    throw new EmbedConfigError("fetch", "Expected a fetch function");
  }
  if (nonce !== undefined && typeof nonce !== "function") {
    throw new EmbedConfigError(
      "nonce",
      "Expected a function returning the next nonce",
    );
  }
  if (
    backoff !== undefined &&
    !isPlainObject(backoff)
  ) {
    throw new EmbedConfigError(
      "backoff",
      "Expected a plain object { baseMs?, capMs? }",
    );
  }
  const stray = unknownKey(backoff ?? {}, BACKOFF);
  if (stray !== undefined) {
    throw new EmbedConfigError(`backoff.${stray}`, "Unknown option");
  }
  const waits = optionValues(backoff ?? {}, BACKOFF);
  return {
    apiKey,
    secret,
    origin: url.origin,
    prefix: url.pathname.replace(/\/+$/, ""),
    apiVersion,
    fetch,
    nonce,
    timeoutMs: number(
      options.timeoutMs,
      "timeoutMs",
      30_000,
      1,
      MAX_TIMEOUT_MS,
      false,
    ),
    maxRetries: number(options.maxRetries, "maxRetries", 2, 0, 10, true),
    maxConcurrency: number(
      options.maxConcurrency,
      "maxConcurrency",
      Infinity,
      1,
      Infinity,
      true,
    ),
    backoffBaseMs: number(
      waits.baseMs,
      "backoff.baseMs",
      500,
      0,
      60_000,
      false,
    ),
    backoffCapMs: number(
      waits.capMs,
      "backoff.capMs",
      8_000,
      0,
      60_000,
      false,
    ),
  };
}
