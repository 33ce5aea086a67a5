// Compile-time checks of the package's key type in a program that declares
// no WebCrypto at all (no `dom` lib, no @types/node, no Workers' types, as
// TypeScript 6's `tsc --init` leaves a project, its `types` empty) and skips
// checking the declarations (`skipLibCheck`): there, `crypto` is unknown to
// the declarations, and the key type must not quietly become `any`, which
// would let anything through as `apiSecret`. scripts/_checks/consumer_types.mjs
// checks this file so; tests/crypto_key_types_test.ts under Deno too.
import type { EmbedClientOptions, WebCryptoKey } from "@kraken-embed/client";

/** What is not a key is refused, WebCrypto declared or not. */
export const refusedWithoutGlobals: unknown[] = [
  // @ts-expect-error: a number is no key (`any` would take it)
  5 satisfies WebCryptoKey,
  // @ts-expect-error: a number is no secret
  { apiKey: "k", apiSecret: 12345 } satisfies EmbedClientOptions,
  // @ts-expect-error: nor is an object
  { apiKey: "k", apiSecret: { type: "secret" } } satisfies EmbedClientOptions,
];

/** A string secret still type-checks there. */
export const takenWithoutGlobals: EmbedClientOptions = {
  apiKey: "k",
  apiSecret: "c2VjcmV0LWJ5dGVz",
};
