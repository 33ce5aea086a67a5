import { test } from "node:test";
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { randomBytes } from "node:crypto";
import {
  EmbedClient,
  EmbedConfigError,
  EmbedValidationError,
  importSecret,
  signRequest,
} from "@kraken-embed/client";
import { API_KEY, fakeFetch, success } from "./_fake_fetch.ts";
import { oracleSign } from "./_oracle.ts";
import { watchingImports } from "./_imports.ts";

// Kraken's published Spot example: the HMAC construction is the same as Embed's.
const VECTOR = {
  secret:
    "kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg==",
  nonce: "1616492376594",
  path: "/0/private/AddOrder",
  body:
    "nonce=1616492376594&ordertype=limit&pair=XBTUSD&price=37500&type=buy&volume=1.25",
  sign:
    "4/dpxb3iT4tp/ZCVEwSnEsLxx0bqyhLpdfOpc6fn7OR8+UClSV5n9E6aSS8MPtnRfp32bAb0nmbRn6H8ndwLUQ==",
};

const oracle = oracleSign;

test("signRequest() reproduces Kraken's published vector with a string secret", async () => {
  assert.equal(await signRequest(VECTOR), VECTOR.sign);
});

test("signRequest() reproduces Kraken's published vector with an imported CryptoKey", async () => {
  const key = await importSecret(VECTOR.secret);
  assert.equal(await signRequest({ ...VECTOR, secret: key }), VECTOR.sign);
});

test("signRequest() accepts the nonce as a bigint", async () => {
  assert.equal(
    await signRequest({ ...VECTOR, nonce: BigInt(VECTOR.nonce) }),
    VECTOR.sign,
  );
});

test("signRequest() agrees with a node:crypto signer on 1,000 random requests", async () => {
  const alphabet = 'abcXYZ019-_.~/é€😀 "{}:,';
  const pick = (n: number) =>
    Array.from(
      { length: n },
      () => [...alphabet][Math.floor(Math.random() * [...alphabet].length)],
    )
      .join("");
  for (let i = 0; i < 1000; i++) {
    const secret = randomBytes(1 + Math.floor(Math.random() * 128)).toString(
      "base64",
    );
    const nonce =
      (BigInt(Math.floor(Math.random() * 2 ** 53)) * 1000n + BigInt(i))
        .toString();
    const query = i % 2 === 0
      ? `?user=${encodeURIComponent(pick(8))}&n=${i}`
      : "";
    // A segment of only dots would be a dot segment, which a URL resolves.
    const path = `/b2b/x${encodeURIComponent(pick(i % 20))}${query}`;
    const body = i % 5 === 0
      ? ""
      : JSON.stringify({ name: pick(i % 200), n: i });
    const expected = oracle(secret, nonce, path, body);
    const signed = await signRequest({
      secret,
      nonce,
      path,
      body: body === "" ? undefined : body,
    });
    assert.equal(signed, expected, `case ${i}`);
  }
});

test("signRequest() signs the query string as part of the path", async () => {
  const base = { secret: VECTOR.secret, nonce: "1", body: "" };
  const withQuery = await signRequest({
    ...base,
    path: "/b2b/quotes?user=abc",
  });
  const without = await signRequest({ ...base, path: "/b2b/quotes" });
  assert.notEqual(withQuery, without);
  assert.equal(
    withQuery,
    oracle(VECTOR.secret, "1", "/b2b/quotes?user=abc", ""),
  );
});

test("signRequest() treats an omitted body as the empty string", async () => {
  const base = { secret: VECTOR.secret, nonce: "42", path: "/b2b/assets" };
  assert.equal(
    await signRequest(base),
    await signRequest({ ...base, body: "" }),
  );
});

test("importSecret() returns a non-extractable HMAC SHA-512 signing key", async () => {
  const key = await importSecret(VECTOR.secret);
  assert.equal(key.extractable, false);
  assert.equal(key.algorithm.name, "HMAC");
  assert.equal((key.algorithm as HmacKeyAlgorithm).hash.name, "SHA-512");
  assert.deepEqual(key.usages, ["sign"]);
  await assert.rejects(crypto.subtle.exportKey("raw", key));
});

test("importSecret() refuses an empty or non-base64 secret without quoting it", async () => {
  for (
    const secret of [
      "",
      "not base64!",
      "abc",
      "YWJj\n",
      "YW Jj",
      "YWJj====",
      "-_-_",
    ]
  ) {
    const error = await importSecret(secret).then(() => undefined, (e) => e);
    assert.ok(
      error instanceof EmbedConfigError,
      `secret ${JSON.stringify(secret)}`,
    );
    assert.equal(error.code, "ERR_EMBED_CONFIG");
    if (secret.length > 2) assert.ok(!error.message.includes(secret));
  }
});

function hmacKey(hash: string, usages: KeyUsage[]): Promise<CryptoKey> {
  return crypto.subtle.importKey(
    "raw",
    new Uint8Array(64),
    { name: "HMAC", hash },
    false,
    usages,
  );
}

test("signRequest() refuses malformed nonces, paths, bodies and keys with the library's errors", async () => {
  const bad = [
    [{ nonce: "-1" }, EmbedValidationError],
    [{ nonce: "01" }, EmbedValidationError],
    [{ nonce: "18446744073709551616" }, EmbedValidationError],
    [{ nonce: 12 as unknown as string }, EmbedValidationError],
    [{ nonce: -1n }, EmbedValidationError],
    [{ path: "b2b/users" }, EmbedValidationError],
    [{ body: { a: 1 } as unknown as string }, EmbedValidationError],
    [{ secret: {} as CryptoKey }, EmbedConfigError],
    // Shaped like a signing key, but not a CryptoKey: WebCrypto would throw
    // a TypeError.
    [{
      secret: {
        type: "secret",
        extractable: false,
        algorithm: { name: "HMAC", hash: { name: "SHA-512" } },
        usages: ["sign"],
      } as unknown as CryptoKey,
    }, EmbedConfigError],
    [{ secret: "%%%" }, EmbedConfigError],
    // Real CryptoKeys that cannot make an API-Sign: HMAC over SHA-256 would
    // sign, wrongly; a key for verifying only or for AES would make WebCrypto
    // throw its own error.
    [{ secret: await hmacKey("SHA-256", ["sign"]) }, EmbedConfigError],
    [{ secret: await hmacKey("SHA-512", ["verify"]) }, EmbedConfigError],
    [{
      secret: await crypto.subtle.importKey(
        "raw",
        new Uint8Array(32),
        "AES-GCM",
        false,
        ["encrypt"],
      ),
    }, EmbedConfigError],
    // Not starting with /: refused as the path, before the URL parser,
    // which throws its own TypeError for ":abc".
    [{ path: ":abc" }, EmbedValidationError],
    [{ path: ":99999/b2b" }, EmbedValidationError],
  ] as const;
  for (const [change, kind] of bad) {
    await assert.rejects(
      signRequest({ ...VECTOR, ...change }),
      kind,
      JSON.stringify(String(Object.values(change)[0])),
    );
  }
  // No options at all: the library's error naming the nonce, not a
  // TypeError from destructuring.
  for (const options of [null, undefined, 42]) {
    await assert.rejects(
      signRequest(options as unknown as Parameters<typeof signRequest>[0]),
      (error) =>
        error instanceof EmbedValidationError && error.target === "nonce",
      String(options),
    );
  }
  assert.equal(
    await signRequest({ ...VECTOR, nonce: "18446744073709551615" }),
    oracle(VECTOR.secret, "18446744073709551615", VECTOR.path, VECTOR.body),
  );
});

test("signRequest() refuses a path a URL would send otherwise, and signs one it sends as given", async () => {
  // What fetch would send instead: percent-encoded, resolved or cut short.
  const rewritten = [
    "/b2b/users/AA95 N84G TEST XXXX",
    "/b2b/assets/€",
    "/b2b/quotes?user=AA95 N84G",
    "/b2b/assets/../users/X",
    "/b2b/./assets",
    "/b2b/%2e%2e/assets",
    "/b2b/assets#fragment",
    "/b2b/assets\tX",
    "/b2b/a\\b",
    '/b2b/quotes?user=a"b<c>',
    "/b2b/quotes?user='x'",
    // Node's fetch sends an empty query's ? as nothing, Deno's and Bun's keep it.
    "/b2b/assets?",
    "/b2b/assets?#",
    // Bun's fetch sends a leading run of slashes as one (Node's, Deno's and
    // workerd's keep it): "//b2b/assets" goes out as "/b2b/assets".
    "//b2b/assets",
    "///b2b/assets",
    "//evil.example/b2b/assets",
  ];
  for (const path of rewritten) {
    const error = await signRequest({ ...VECTOR, path }).catch((e) => e);
    assert.ok(error instanceof EmbedValidationError, JSON.stringify(path));
    assert.equal(error.target, "path");
    assert.match(
      error.message,
      /^Invalid path: path: Expected the percent-encoded target as sent$/,
    );
  }
  // Sent as written: signed, as the independent signer signs them.
  for (
    const path of [
      "/",
      "/b2b/users/AA95%20N84G%20TEST%20XXXX",
      "/b2b/quotes?user=abc&n=1",
      "/b2b/quotes?user=%27x%27",
      "/b2b/a~b-c_d.e/%E2%82%AC",
      "/b2b/x?list=a,b;c:d@e!f$g*h(i)+j",
      // An empty segment past the first: every fetch sends it as it is.
      "/b2b//assets",
    ]
  ) {
    assert.equal(
      await signRequest({ ...VECTOR, path }),
      oracle(VECTOR.secret, VECTOR.nonce, path, VECTOR.body),
      path,
    );
  }
});

test("importSecret() refuses a secret of megabytes with its own error, not a stack overflow", async () => {
  // A length base64 could have, and one bad character at the very end: the
  // whole text is looked at.
  const huge = "A".repeat(10_000_000) + "AAA!";
  const error = await importSecret(huge).catch((e) => e);
  assert.ok(error instanceof EmbedConfigError, String(error));
});

test("signRequest() keeps concurrent signatures apart (no shared input bytes leak between calls)", async () => {
  const key = await importSecret(VECTOR.secret);
  const inputs = Array.from({ length: 500 }, (_, i) => ({
    nonce: String(1_000_000 + i),
    path: `/b2b/users/U${i}${"x".repeat(i % 50)}`,
    // Some bodies exceed the reused buffer, so both paths interleave.
    body: JSON.stringify({ i, pad: "é".repeat((i * 37) % 5000) }),
  }));
  const signed = await Promise.all(
    inputs.map((input, i) =>
      signRequest({ ...input, secret: i % 2 ? key : VECTOR.secret })
    ),
  );
  inputs.forEach((input, i) =>
    assert.equal(
      signed[i],
      oracle(VECTOR.secret, input.nonce, input.path, input.body),
      `call ${i}`,
    )
  );
});

/** Runs `fn` counting the keys WebCrypto imports; `fail` makes the first imports reject. */
function countingImports(
  fn: (count: () => number) => Promise<void>,
  fail = 0,
): Promise<void> {
  return watchingImports((calls) => fn(() => calls.length), fail);
}

/** `n` random secrets no other test has used, so none is in the key cache yet. */
function freshSecrets(n: number): string[] {
  return Array.from({ length: n }, () => randomBytes(32).toString("base64"));
}

test("a secret that is not base64 is refused without letting go of a cached key", async () => {
  const secrets = freshSecrets(16);
  const sign = (secret: string) =>
    signRequest({ secret, nonce: 1n, path: "/b2b/assets" });
  await countingImports(async (imports) => {
    for (const secret of secrets) await sign(secret);
    assert.equal(imports(), 16);
    for (const bad of ["not base64!", "", "QQ="]) {
      await assert.rejects(
        sign(bad),
        (error: unknown) =>
          error instanceof EmbedConfigError && error.field === "secret",
      );
    }
    assert.equal(imports(), 16, "nothing imported for the bad secrets");
    for (const secret of secrets) await sign(secret);
    assert.equal(imports(), 16, "the 16 secrets are all still cached");
  });
});

test("a string secret is imported once and kept for the 16 secrets imported last, however often it is used", async () => {
  const secrets = freshSecrets(17);
  const sign = (secret: string) =>
    signRequest({ secret, nonce: 1n, path: "/b2b/assets" });
  await countingImports(async (imports) => {
    assert.equal(
      await sign(secrets[0]),
      oracle(secrets[0], "1", "/b2b/assets"),
    );
    await sign(secrets[0]);
    await sign(secrets[0]);
    assert.equal(imports(), 1, "imported once");
    for (const secret of secrets.slice(1, 16)) await sign(secret);
    assert.equal(imports(), 16);
    // Using the first again does not keep it longer: the 17th pushes it out.
    await sign(secrets[0]);
    assert.equal(imports(), 16);
    await sign(secrets[16]);
    assert.equal(imports(), 17);
    await sign(secrets[0]);
    assert.equal(imports(), 18, "the first secret was imported again");
    await sign(secrets[2]);
    assert.equal(imports(), 18, "the third is still kept");
  });
});

test("a string secret whose import failed is imported again by the next request", async () => {
  const [secret] = freshSecrets(1);
  await countingImports(async (imports) => {
    await assert.rejects(
      signRequest({ secret, nonce: 1n, path: "/b2b/assets" }),
      /busy/,
    );
    assert.equal(
      await signRequest({ secret, nonce: 1n, path: "/b2b/assets" }),
      oracle(secret, "1", "/b2b/assets"),
    );
    assert.equal(imports(), 2);
  }, 1);
});

test("a secret pushed out of the key cache while its import is pending is not put back", async () => {
  const secrets = freshSecrets(17);
  const sign = (secret: string) =>
    signRequest({ secret, nonce: 1n, path: "/b2b/assets" });
  await countingImports(async (imports) => {
    // All 17 imports start at once: the 17th pushes the first out.
    await Promise.all(secrets.map(sign));
    assert.equal(imports(), 17);
    await sign(secrets[0]);
    assert.equal(imports(), 18, "the first secret was imported again");
  });
});

test("signRequest() refuses a nonce of 21 digits, however it compares as text", async () => {
  for (const nonce of ["100000000000000000000", 10n ** 20n]) {
    await assert.rejects(
      signRequest({ ...VECTOR, nonce }),
      (error) =>
        error instanceof EmbedValidationError && error.target === "nonce",
      String(nonce),
    );
  }
});

test("signRequest() signs a body of multi-byte characters whole, around the size of its reused buffer", async () => {
  // UTF-8 takes 3 bytes for "€", 4 for "😀" (2 UTF-16 units): bodies of
  // 2 to 12 KB, below, at and above the 8 KB buffer shared by the calls.
  for (const count of [2_000, 2_729, 2_730, 2_731, 4_000, 4_096, 4_097]) {
    for (const body of ["€".repeat(count), "😀".repeat(count >> 1)]) {
      assert.equal(
        await signRequest({ ...VECTOR, body }),
        oracle(VECTOR.secret, VECTOR.nonce, VECTOR.path, body),
        `${body.length} units of ${body[0]}`,
      );
    }
  }
});

test("importSecret() and a string secret refuse a bad secret naming the field secret", async () => {
  for (const secret of ["", "not base64!"]) {
    await assert.rejects(
      importSecret(secret),
      (error) => error instanceof EmbedConfigError && error.field === "secret",
    );
    await assert.rejects(
      signRequest({ secret, nonce: 1n, path: "/b2b/assets" }),
      (error) => error instanceof EmbedConfigError && error.field === "secret",
    );
  }
});

test("signRequest() refuses a missing path as the path, not with a TypeError", async () => {
  for (const path of [undefined, null]) {
    await assert.rejects(
      signRequest({ ...VECTOR, path: path as unknown as string }),
      (error) =>
        error instanceof EmbedValidationError && error.target === "path",
      String(path),
    );
  }
});

test("importSecret() refuses a secret that is not a string, even one whose String() looks like base64", async () => {
  for (
    const secret of [1234, 12345678n, ["QUJD"], { toString: () => "QUJD" }]
  ) {
    await assert.rejects(
      importSecret(secret as unknown as string),
      (error) => error instanceof EmbedConfigError && error.field === "secret",
      String(secret),
    );
  }
});

test("signRequest() signs the smallest nonce, 0, as a string and as a bigint", async () => {
  for (const nonce of ["0", 0n]) {
    assert.equal(
      await signRequest({ secret: VECTOR.secret, nonce, path: "/b2b/assets" }),
      oracleSign(VECTOR.secret, "0", "/b2b/assets"),
      String(nonce),
    );
  }
  // And "00", "-0" are still refused: 0 is written one way only.
  for (const nonce of ["00", "-0", "+0"]) {
    await assert.rejects(
      signRequest({ secret: VECTOR.secret, nonce, path: "/b2b/assets" }),
    );
  }
});

test("signRequest() refuses a nonce with a line break or space around or inside its digits", async () => {
  for (
    const nonce of [
      "1\n",
      "1\nX-Evil: 1",
      "1\r\n2",
      "\n1",
      " 1",
      "1 ",
      "1\u2028",
    ]
  ) {
    await assert.rejects(
      signRequest({ secret: VECTOR.secret, nonce, path: "/b2b/assets" }),
      (error) =>
        error instanceof EmbedValidationError && error.target === "nonce",
      JSON.stringify(nonce),
    );
  }
});

const BASE = { secret: VECTOR.secret, nonce: "1", path: "/b2b/assets" };

test("signRequest() names the body, the nonce and a bad key in its refusals", async () => {
  await assert.rejects(
    signRequest({ ...BASE, body: 42 as unknown as string }),
    (error) =>
      error instanceof EmbedValidationError && error.target === "body" &&
      error.message === "Invalid body: body: Expected a string",
  );
  await assert.rejects(
    signRequest({ ...BASE, nonce: "x" }),
    (error) =>
      error instanceof EmbedValidationError && error.target === "nonce" &&
      error.message ===
        "Invalid nonce: nonce: Expected an unsigned 64-bit integer, a bigint or decimal string",
  );
  await assert.rejects(
    signRequest({ ...BASE, secret: {} as CryptoKey }),
    (error) =>
      error instanceof EmbedConfigError && error.field === "secret" &&
      error.message === "secret: Expected base64 or a key from importSecret()",
  );
});

test("an HMAC SHA-512 key that may sign and verify signs, in either order of its usages", async () => {
  for (
    const usages of [["sign", "verify"], ["verify", "sign"]] as KeyUsage[][]
  ) {
    const key = await crypto.subtle.importKey(
      "raw",
      Buffer.from(VECTOR.secret, "base64"),
      { name: "HMAC", hash: "SHA-512" },
      false,
      usages,
    );
    assert.equal(
      await signRequest({ secret: key, nonce: "7", path: "/b2b/assets" }),
      oracleSign(VECTOR.secret, "7", "/b2b/assets"),
      usages.join(","),
    );
    // The client takes it as its apiSecret too.
    const recorder = fakeFetch(success());
    assert.doesNotThrow(
      () =>
        new EmbedClient({
          apiKey: API_KEY,
          apiSecret: key,
          fetch: recorder.fetch,
        }),
      usages.join(","),
    );
  }
});
