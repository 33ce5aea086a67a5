/**
 * The package's name for a WebCrypto key in its types.
 *
 * @module
 */

/**
 * A WebCrypto key, as the package's types take and give it (`apiSecret`,
 * `signRequest`'s `secret`, what `importSecret` resolves to): whatever key
 * type the program's own `crypto.subtle.importKey` resolves to, so the
 * `CryptoKey` of the `dom` lib, of Deno, of `@cloudflare/workers-types`, or
 * of `@types/node` (which declares no global `CryptoKey` type; version 24 a
 * value of that name only). The package's declarations therefore need no
 * `dom` lib, and a key goes from them into WebCrypto's calls and back.
 *
 * @example
 * ```ts
 * import { importSecret, type WebCryptoKey } from "@kraken-embed/client";
 * const key: WebCryptoKey = await importSecret("c2VjcmV0LWJ5dGVz");
 * console.log(key.extractable); // false
 * ```
 */
export type WebCryptoKey = Awaited<
  ReturnType<typeof crypto.subtle.importKey>
>;
