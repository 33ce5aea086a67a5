/**
 * The package's name for a WebCrypto key in its types.
 *
 * @module
 */

/**
 * A WebCrypto key, as the package's types take and give it (`apiSecret`,
 * `signRequest`'s `secret`, what `importSecret` resolves to): the global
 * `CryptoKey` type wherever the program's declarations have one (the `dom`
 * lib, Deno, `@cloudflare/workers-types`, `@types/node` 24), and otherwise
 * (`@types/node` 20 without the `dom` lib) a structural copy of its fields.
 * So the package's declarations need no `dom` lib, and a secret's type never
 * degrades to `any` under `skipLibCheck`.
 *
 * @example
 * ```ts
 * import { importSecret, type WebCryptoKey } from "@kraken-embed/client";
 * const key: WebCryptoKey = await importSecret("c2VjcmV0LWJ5dGVz");
 * console.log(key.extractable); // false
 * ```
 */
export type WebCryptoKey = typeof globalThis extends
  { CryptoKey: { prototype: infer Key } } ? Key
  : {
    readonly algorithm: { readonly name: string };
    readonly extractable: boolean;
    readonly type: string;
    readonly usages: readonly string[];
  };
