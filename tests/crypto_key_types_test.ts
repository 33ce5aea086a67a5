// The package's CryptoKey in its declarations, checked at compile time: by
// Deno against the source, and by tsc against the built .d.ts files
// (scripts/_checks/consumer_types.mjs), with the `dom` lib and without it,
// where `@types/node` 20 declares no global CryptoKey. Without it the
// declarations used to fail, and under skipLibCheck the key and the secret
// quietly became `any`.
import { test } from "node:test";
import assert from "node:assert/strict";
import type {
  EmbedClientOptions,
  importSecret,
  SignRequestOptions,
  WebCryptoKey,
} from "@kraken-embed/client";

/** `true` only when A and B are the same type (not merely assignable). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends
  (<T>() => T extends B ? 1 : 2) ? true : false;
type IsAny<T> = 0 extends 1 & T ? true : false;

type Imported = Awaited<ReturnType<typeof importSecret>>;

// What importSecret gives is the package's key type, never `any`.
const _imported: Equal<Imported, WebCryptoKey> = true;
const _notAny: IsAny<WebCryptoKey> = false;
const _secretNotAny: IsAny<EmbedClientOptions["apiSecret"]> = false;
// Where the runtime's declarations have a CryptoKey (the dom lib, Deno,
// Workers' types, @types/node 24), it is exactly that type.
const _global: typeof globalThis extends { CryptoKey: { prototype: infer K } }
  ? Equal<WebCryptoKey, K>
  : true = true;

// It goes back in where a secret is taken.
const _roundTrip = (
  key: Imported,
): [EmbedClientOptions, SignRequestOptions] => [
  { apiKey: "k", apiSecret: key },
  { secret: key, nonce: "1", path: "/x" },
];
// @ts-expect-error: a number is no secret
const _numberSecret: EmbedClientOptions = { apiKey: "k", apiSecret: 12345 };
const _objectSecret: SignRequestOptions = {
  // @ts-expect-error: an object is not a key
  secret: { not: "a key" },
  nonce: "1",
  path: "/x",
};

test("the declarations' CryptoKey is the runtime's, or a structural copy, never any (checked at compile time)", () => {
  assert.deepEqual([_imported, _notAny, _secretNotAny, _global], [
    true,
    false,
    false,
    true,
  ]);
  assert.equal(typeof _roundTrip, "function");
  assert.ok([_numberSecret, _objectSecret].every((x) => typeof x === "object"));
});
