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
 * `dom` lib, and a key goes from them into WebCrypto's calls and back. In
 * a program that declares no WebCrypto at all, it is `never`, not `any`.
 *
 * @example
 * ```ts
 * import { importSecret, type WebCryptoKey } from "@kraken-embed/client";
 * const key: WebCryptoKey = await importSecret("c2VjcmV0LWJ5dGVz");
 * console.log(key.extractable); // false
 * ```
 */
export type WebCryptoKey =
  // `never` where the program declares no WebCrypto (no `dom` lib, no
  // @types/node, no Workers' types) and skips checking the declarations:
  // `crypto` is then unknown to them, and the `any` it gives would let
  // anything be given as a secret. Only a string secret type-checks there.
  // No key type is assignable to the number 1; `any` is. (In a tuple: as the
  // check type itself, the unresolved type makes the whole conditional
  // unresolved, `any` again.)
  [Awaited<ReturnType<typeof crypto.subtle.importKey>>] extends [1] ? never
    : Awaited<ReturnType<typeof crypto.subtle.importKey>>;
