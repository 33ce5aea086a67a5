// runtimes: deno — reason: tests the CLI's internal src/cli/seed.ts directly (the npm package does not export it), with crypto.getRandomValues replaced; the credentials the emulator command prints are tested in every runtime (cli_test.ts)
//
// The emulator's throwaway credentials: an API key of 16 hex digits, every
// byte two of them, and a 64-byte secret, both from the random source.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { generateCredentials } from "../src/cli/seed.ts";

test("generateCredentials() writes every random byte of the key as two hex digits, and the secret as 64 random bytes", () => {
  const real = crypto.getRandomValues;
  let call = 0;
  // The key's bytes first (0x00 to 0x0f, one hex digit unpadded), then the
  // secret's.
  crypto.getRandomValues = (<T extends ArrayBufferView | null>(array: T) => {
    const bytes = new Uint8Array(array!.buffer);
    call++;
    bytes.forEach((_, i) => (bytes[i] = call === 1 ? i : 0xa0 + (i % 16)));
    return array;
  }) as typeof crypto.getRandomValues;
  let credential;
  try {
    credential = generateCredentials();
  } finally {
    crypto.getRandomValues = real;
  }
  assert.equal(credential.apiKey, "emulator-0001020304050607");
  const secret = Buffer.from(credential.apiSecret, "base64");
  assert.equal(secret.length, 64);
  assert.ok(secret.every((byte, i) => byte === 0xa0 + (i % 16)));
  // And from the real source: two runs differ.
  assert.notEqual(generateCredentials().apiKey, generateCredentials().apiKey);
});
