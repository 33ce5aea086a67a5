/**
 * The `API-Sign` header: HMAC-SHA512 over the path and a SHA-256 of nonce and body.
 *
 * @module
 */

import { encodeBase64 } from "../encoding/base64.ts";
import { EmbedConfigError, EmbedValidationError } from "../errors.ts";
import {
  decodeSecret,
  importSecretBytes,
  isSigningKey,
} from "./import_secret.ts";
import type { WebCryptoKey } from "./web_crypto_key.ts";

/**
 * Arguments of {@linkcode signRequest}. Unlike the client's options, unknown
 * names are not refused (the check does not fit its bundle's budget): a
 * misspelt `body` signs as if there were none, which the service refuses.
 *
 * @example
 * ```ts
 * import { signRequest, type SignRequestOptions } from "@kraken-embed/client";
 * const request: SignRequestOptions = {
 *   secret: "c2VjcmV0LWJ5dGVz",
 *   nonce: 1616492376594000n,
 *   path: "/b2b/users/AA95%20N84G%20TEST%20XXXX",
 *   body: JSON.stringify({ language: "en" }),
 * };
 * const headers = {
 *   "API-Nonce": String(request.nonce),
 *   "API-Sign": await signRequest(request),
 * };
 * ```
 */
export interface SignRequestOptions {
  /**
   * The API secret as base64, or a key from `importSecret`. A string is
   * imported once and its key kept, with the string, for the 16 secrets
   * imported last (using one again does not keep it longer): a key from
   * `importSecret` keeps no copy of the secret.
   */
  secret: string | WebCryptoKey;
  /** The `API-Nonce` value: an unsigned 64-bit integer, as a bigint or a decimal string. */
  nonce: bigint | string;
  /**
   * The request target as sent, from the first `/`, query string included:
   * `/b2b/quotes?user=abc`. Percent-encoded, as a URL sends it: a path a URL
   * would change (a space, non-ASCII, a dot segment, a fragment, an empty
   * query's `?`, which Node's fetch drops) is refused, and so is a leading
   * `//`, which Bun's fetch sends as `/`.
   */
  path: string;
  /** The exact body text sent; omit or `""` for a request without a body. */
  body?: string | undefined;
}

// 2^64 - 1, 20 digits. Decimal strings of one length compare like their
// numbers, and only one of 20 digits can be above it.
const MAX_U64_TEXT = "18446744073709551615";
const DECIMAL = /^(?:0|[1-9][0-9]{0,19})$/;
const encoder = new TextEncoder();

// One buffer for the bytes of every signature's two inputs, so that a typical
// request allocates none. Reusing it is safe because WebCrypto copies its
// input before digest() and sign() return ("get a copy of the bytes held by
// the data parameter"), as Deno, Node, Bun and workerd all do, and nothing is
// awaited between filling it and handing it over. Larger inputs get their own.
const SCRATCH_BYTES = 8192;
let scratch: Uint8Array<ArrayBuffer> | undefined;

// Keys already found usable, so a CryptoKey is inspected once, not per request.
const checkedKeys = new WeakSet<WebCryptoKey>();

// Secrets the process has signed with, so that a string secret costs one
// import, not one per request. Bounded: a process rarely holds many keys.
const MAX_CACHED_KEYS = 16;
const keyCache = new Map<string, WebCryptoKey | Promise<WebCryptoKey>>();

function keyFor(secret: string): WebCryptoKey | Promise<WebCryptoKey> {
  const cached = keyCache.get(secret);
  if (cached !== undefined) return cached;
  // Decoded here rather than through importSecret(), whose async wrapper
  // the bundle would carry: a secret that is not base64 throws, which
  // signRequest turns into its rejection, before any cached key is let go.
  const bytes = decodeSecret(secret, "secret");
  if (keyCache.size >= MAX_CACHED_KEYS) {
    keyCache.delete(keyCache.keys().next().value as string);
  }
  const pending = importSecretBytes(bytes).then(
    (key) => {
      if (keyCache.get(secret) === pending) keyCache.set(secret, key);
      return key;
    },
    (error) => {
      keyCache.delete(secret);
      throw error;
    },
  );
  keyCache.set(secret, pending);
  return pending;
}

function checkKey(key: unknown): WebCryptoKey {
  if (checkedKeys.has(key as WebCryptoKey)) return key as WebCryptoKey;
  if (!isSigningKey(key)) {
    throw new EmbedConfigError(
      "secret",
      "Expected base64 or a key from importSecret()",
    );
  }
  checkedKeys.add(key);
  return key;
}

/** Returns the nonce as a decimal string, or throws when it is not an unsigned 64-bit integer. */
export function nonceText(nonce: unknown): string {
  const text = typeof nonce === "bigint" ? String(nonce) : nonce;
  if (
    typeof text !== "string" || !DECIMAL.test(text) ||
    (text.length > 19 && text > MAX_U64_TEXT)
  ) {
    throw new EmbedValidationError("nonce", [{
      path: "",
      message:
        "Expected an unsigned 64-bit integer, a bigint or decimal string",
    }]);
  }
  return text;
}

/**
 * Computes the `API-Sign` header value for an Embed request:
 * `base64(HMAC-SHA512(base64decode(secret), UTF-8(path) ‖ SHA-256(UTF-8(nonce + body))))`.
 *
 * @param options The secret, nonce, path (query included) and exact body text.
 * @returns The base64 signature.
 * @throws {EmbedConfigError} When a string secret is empty or not base64, or
 * a `CryptoKey` is not an HMAC SHA-512 signing key (the promise rejects).
 * @throws {EmbedValidationError} When the nonce, path or body is malformed.
 *
 * @example
 * ```ts
 * import { signRequest } from "@kraken-embed/client";
 * const body = JSON.stringify({ phone: "+447700900123" });
 * const sign = await signRequest({
 *   secret: "kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg==",
 *   nonce: "1616492376594000",
 *   path: "/b2b/users/AA95%20N84G%20TEST%20XXXX",
 *   body,
 * });
 * ```
 */
export function signRequest(options: SignRequestOptions): Promise<string> {
  // Not an async function, which would add a promise and its turns to every
  // call; bad arguments still reject rather than throw.
  try {
    // `?? {}`: without options, the nonce is refused by name rather than
    // the destructuring failing.
    const { secret, path, body: given = "" } = options ?? {};
    // A body other code set on Object.prototype is not the caller's: a
    // request without one must not be signed with it (should a caller's own
    // be the same, the signature is refused, as with no body).
    const body = given === (Object.prototype as SignRequestOptions).body
      ? ""
      : given;
    const nonce = nonceText(options?.nonce);
    if (typeof body !== "string") {
      throw new EmbedValidationError("body", [{
        path: "",
        message: "Expected a string",
      }]);
    }
    const key = typeof secret === "string" ? keyFor(secret) : checkKey(secret);
    // Only the first request with a string secret waits for its import.
    return key instanceof Promise
      ? key.then((imported) => signWithKey(imported, nonce, path, body))
      : signWithKey(key, nonce, path, body);
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * The bytes of `digits` (ASCII: one byte per character), then the UTF-8
 * bytes of `text`, then `extra` free bytes: a view of the scratch buffer when
 * they fit, else of a buffer of their own. Writing the digits apart saves
 * joining the two strings, which would copy the body. Valid until the next
 * call: hand it to WebCrypto before anything is awaited.
 *
 * `encode(nonce, body, 0)` is what the first call, SHA-256, hashes.
 */
export function encode(
  digits: string,
  text: string,
  extra: number,
): Uint8Array<ArrayBuffer> {
  const start = digits.length;
  // UTF-8 takes at most 3 bytes per UTF-16 code unit.
  const most = start + text.length * 3 + extra;
  const bytes = most <= SCRATCH_BYTES
    ? scratch ??= new Uint8Array(SCRATCH_BYTES)
    : new Uint8Array(most);
  for (let i = 0; i < start; i++) bytes[i] = digits.charCodeAt(i);
  const end = start + encoder.encodeInto(text, bytes.subarray(start)).written;
  return bytes.subarray(0, end + extra);
}

/**
 * The second call: `HMAC-SHA512(key, UTF-8(path) ‖ digest)`.
 *
 * @param key An HMAC SHA-512 signing key.
 * @param path The request target, from the first `/`.
 * @param digest SHA-256 of `encode(nonce, body, 0)`.
 */
export function signDigest(
  key: WebCryptoKey,
  path: string,
  digest: ArrayBuffer,
): Promise<ArrayBuffer> {
  const message = encode("", path, 32);
  message.set(new Uint8Array(digest), message.length - 32);
  return crypto.subtle.sign("HMAC", key, message);
}

/**
 * The signature itself, for callers that have already checked their inputs:
 * `base64(HMAC-SHA512(key, UTF-8(path) ‖ SHA-256(UTF-8(nonce + body))))`.
 *
 * @param key An HMAC SHA-512 signing key.
 * @param nonce The nonce as a decimal string (ASCII digits).
 * @param path The request target, from the first `/`.
 * @param body The exact body text; `""` without a body.
 */
export async function signWithKey(
  key: WebCryptoKey,
  nonce: string,
  path: string,
  body: string,
): Promise<string> {
  // One expression on purpose: as two statements the signRequest bundle is
  // 4 B over its 1,500 B budget (scripts/_checks/bundle_budgets.mjs).
  return encodeBase64(
    new Uint8Array(
      await signDigest(
        key,
        path,
        await crypto.subtle.digest(
          "SHA-256",
          encode(nonce, asSent(path, body), 0),
        ),
      ),
    ),
  );
}

// `work`, once `path` is found to be the request target as a URL sends it:
// one it would rewrite first (a space, non-ASCII, a dot segment, a
// fragment) could be signed, but never verified. Checked before the digest
// is handed to WebCrypto's thread, not while it is there: main-thread work
// done after a hand-off delays its result by more than the work takes (the
// other thread is woken on the other core): the check cost a call 4.7 to
// 9.0% of the floor beside the digest, 2.1 to 3.7% before it
// (bench/hand_off.mjs; the README's "What the runs say"). A value whose
// first character is not /, or whose second is (Bun's fetch sends a leading
// `//` as `/`), is refused before the URL parser; a string-like
// object that gets past that is refused by the comparison. (`url` is a
// parameter only to be assigned: signRequest's bundle has no byte left for
// a `let`.)
function asSent<T>(path: string, work: T, url?: URL): T {
  if (
    path?.[0] !== "/" || path[1] == "/" ||
    (url = new URL("http://h" + path), url.pathname + url.search) !== path
  ) {
    throw new EmbedValidationError("path", [{
      path: "",
      message: "Expected the percent-encoded target as sent",
    }]);
  }
  return work;
}
