/**
 * Turns the base64 API secret into a non-extractable HMAC SHA-512 key.
 *
 * @module
 */

import { decodeBase64 } from "../encoding/base64.ts";
import { EmbedConfigError } from "../errors.ts";
import type { WebCryptoKey } from "./web_crypto_key.ts";

/**
 * Decodes a base64 API secret and imports it as a non-extractable
 * HMAC SHA-512 `CryptoKey` that can only sign. Import once and reuse the key:
 * `signRequest` with a `CryptoKey` skips the import entirely.
 *
 * @param secret The API secret exactly as Kraken issued it (standard base64).
 * @returns A non-extractable key for `signRequest`.
 * @throws {EmbedConfigError} When the secret is empty or not valid base64; the
 * message never contains the secret.
 *
 * @example
 * ```ts
 * import { importSecret, signRequest } from "@kraken-embed/client";
 * const key = await importSecret("c2VjcmV0LWtleS1ieXRlcw==");
 * const sign = await signRequest({ secret: key, nonce: 1n, path: "/b2b/assets" });
 * ```
 */
export async function importSecret(secret: string): Promise<WebCryptoKey> {
  return await importSecretBytes(decodeSecret(secret, "secret"));
}

/** Imports already-decoded secret bytes as a non-extractable HMAC SHA-512 signing key. */
export function importSecretBytes(
  bytes: Uint8Array<ArrayBuffer>,
): Promise<WebCryptoKey> {
  return crypto.subtle.importKey(
    "raw",
    bytes,
    { name: "HMAC", hash: "SHA-512" },
    false,
    ["sign"],
  );
}

/**
 * Decodes a secret or throws an {@linkcode EmbedConfigError} naming `field`.
 * Kept synchronous so that a client can refuse a bad secret at construction.
 */
export function decodeSecret(
  secret: unknown,
  field: string,
): Uint8Array<ArrayBuffer> {
  // One message for every way a secret can be unusable: the signer's
  // bundle has a budget of 1,500 bytes.
  const bytes = typeof secret === "string" ? decodeBase64(secret) : undefined;
  if (bytes === undefined || bytes.length === 0) {
    throw new EmbedConfigError(
      field,
      "Expected non-empty standard base64 (A-Z a-z 0-9 + / =, no whitespace)",
    );
  }
  return bytes;
}

/**
 * Whether `value` is a key `signRequest` can use: an HMAC SHA-512 CryptoKey
 * allowed to sign (what `importSecret` returns).
 */
export function isSigningKey(value: unknown): value is WebCryptoKey {
  // A real CryptoKey (an object that only looks like one fails in
  // WebCrypto), whose algorithm then always has a name, and an HMAC one a
  // hash.
  return value instanceof CryptoKey &&
    value.algorithm.name === "HMAC" &&
    (value.algorithm as HmacKeyAlgorithm).hash.name === "SHA-512" &&
    value.usages.includes("sign");
}
