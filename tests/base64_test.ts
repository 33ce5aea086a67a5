import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import {
  EmbedConfigError,
  importSecret,
  signRequest,
} from "@kraken-embed/client";
import { oracleSign } from "./_oracle.ts";

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

const oracle = oracleSign;

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
