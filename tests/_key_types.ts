// Compile-time checks of the package's key type, WebCryptoKey, without any
// test runner, so that tsc can check them against the built declarations in
// every setting (scripts/_checks/consumer_types.mjs), Workers' types without
// Node's included; tests/crypto_key_types_test.ts runs them under Deno.
import type {
  EmbedClientOptions,
  importSecret,
  SignRequestOptions,
  WebCryptoKey,
} from "@kraken-embed/client";

type IsAny<T> = 0 extends 1 & T ? true : false;
type Imported = Awaited<ReturnType<typeof importSecret>>;

/** `false as X` compiles only where the type X is `false`: none is `any`. */
export const notAny: [false, false, false] = [
  false as IsAny<WebCryptoKey>,
  false as IsAny<Imported>,
  false as IsAny<EmbedClientOptions["apiSecret"]>,
];

/** A key of the package goes into WebCrypto's own calls. */
export const intoWebCrypto = (key: Imported): Promise<ArrayBuffer> =>
  crypto.subtle.sign("HMAC", key, new Uint8Array(1));

/** A key WebCrypto made goes in where a secret is taken. */
export const fromWebCrypto = async (): Promise<
  [EmbedClientOptions, SignRequestOptions]
> => {
  const key = await crypto.subtle.importKey(
    "raw",
    new Uint8Array(32),
    { name: "HMAC", hash: "SHA-512" },
    false,
    ["sign"],
  );
  return [{ apiKey: "k", apiSecret: key }, {
    secret: key,
    nonce: "1",
    path: "/x",
  }];
};

/** What is not a key is refused. */
export const refused: object[] = [
  // @ts-expect-error: a number is no secret
  { apiKey: "k", apiSecret: 12345 } satisfies EmbedClientOptions,
  {
    // @ts-expect-error: an object is not a key
    secret: { not: "a key" },
    nonce: "1",
    path: "/x",
  } satisfies SignRequestOptions,
];
