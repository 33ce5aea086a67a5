import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import {
  EmbedConfigError,
  importSecret,
  signRequest,
} from "@kraken-embed/client";
import { oracleSign } from "./_oracle.ts";
import { withoutNativeBase64 } from "./_native_base64.ts";

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
