import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash, createHmac, randomBytes } from "node:crypto";
import {
  EmbedConfigError,
  importSecret,
  signRequest,
} from "@kraken-embed/client";

type Native = { toBase64?: unknown; fromBase64?: unknown };

// Runs `body` with the runtime's native base64 methods hidden, so that the
// atob/btoa path is exercised wherever the tests run.
async function withoutNativeBase64(body: () => Promise<void>): Promise<void> {
  const proto = Uint8Array.prototype as Native;
  const ctor = Uint8Array as unknown as Native;
  const saved = [
    Object.getOwnPropertyDescriptor(proto, "toBase64"),
    Object.getOwnPropertyDescriptor(ctor, "fromBase64"),
  ];
  delete proto.toBase64;
  delete ctor.fromBase64;
  try {
    await body();
  } finally {
    if (saved[0]) Object.defineProperty(proto, "toBase64", saved[0]);
    if (saved[1]) Object.defineProperty(ctor, "fromBase64", saved[1]);
  }
}

function oracle(
  secret: string,
  nonce: string,
  path: string,
  body: string,
): string {
  const hash = createHash("sha256").update(nonce + body).digest();
  return createHmac("sha512", Buffer.from(secret, "base64"))
    .update(Buffer.concat([Buffer.from(path), hash])).digest("base64");
}

for (const mode of ["native", "atob/btoa"] as const) {
  test(`base64 decoding and encoding agree with node:crypto (${mode})`, async () => {
    const run = async () => {
      for (let length = 1; length <= 70; length++) {
        const secret = randomBytes(length).toString("base64");
        assert.equal(
          await signRequest({
            secret,
            nonce: String(length),
            path: "/b2b/assets",
          }),
          oracle(secret, String(length), "/b2b/assets", ""),
        );
      }
      for (
        const bad of [
          "A",
          "AB=",
          "ABC==",
          "A===",
          "AB C",
          "ABCD\n",
          "AB-_",
          "AB==CD==",
        ]
      ) {
        await assert.rejects(importSecret(bad), EmbedConfigError, bad);
      }
    };
    if (mode === "native") await run();
    else await withoutNativeBase64(run);
  });
}
