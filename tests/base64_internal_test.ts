// runtimes: deno — reason: tests the internal src/encoding/base64.ts directly (the npm package does not export it); through signRequest it is tested in every runtime (base64_test.ts)
//
// encodeBase64 and decodeBase64 against node:buffer, with and without the
// runtime's native Uint8Array base64 methods, for every length up to 70 and
// for inputs longer than one 32 KiB chunk of the fallback encoder.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { randomBytes } from "node:crypto";
import { decodeBase64, encodeBase64 } from "../src/encoding/base64.ts";
import { withoutNativeBase64 } from "./_native_base64.ts";

const LENGTHS = [
  ...Array.from({ length: 71 }, (_, i) => i),
  0x8000 - 1,
  0x8000,
  0x8000 * 2 + 5,
];

for (const mode of ["native", "fallback"] as const) {
  test(`encodeBase64 and decodeBase64 agree with node:buffer (${mode})`, async () => {
    const run = () => {
      for (const length of LENGTHS) {
        const bytes = new Uint8Array(randomBytes(length));
        const expected = Buffer.from(bytes).toString("base64");
        assert.equal(encodeBase64(bytes), expected, `length ${length}`);
        // A view into a larger buffer encodes only its own bytes.
        const padded = new Uint8Array(length + 8);
        padded.set(bytes, 4);
        assert.equal(encodeBase64(padded.subarray(4, 4 + length)), expected);
        if (length > 0) {
          assert.deepEqual(decodeBase64(expected), bytes, `length ${length}`);
        }
      }
    };
    if (mode === "native") run();
    else await withoutNativeBase64(run);
  });
}

test("decodeBase64 takes exactly RFC 4648's padded base64, by the length check and one flat pattern", () => {
  // The rule as a grammar, with its repeated group (which V8 runs out of
  // stack on over megabytes): the reference the flat pattern must match.
  const grammar =
    /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
  const symbols = ["A", "z", "+", "/", "=", "-", " "];
  let checked = 0;
  const walk = (prefix: string) => {
    assert.equal(
      decodeBase64(prefix) !== undefined,
      grammar.test(prefix),
      JSON.stringify(prefix),
    );
    checked++;
    if (prefix.length < 6) {
      for (const symbol of symbols) {
        walk(prefix + symbol);
      }
    }
  };
  walk("");
  assert.equal(checked, (7 ** 7 - 1) / 6);
  // Megabytes: decoded, or refused, without a RangeError.
  assert.equal(decodeBase64("QUJD".repeat(2_000_000))?.length, 6_000_000);
  assert.equal(decodeBase64("A".repeat(10_000_000) + "AAA!"), undefined);
});

// A line break inside a text of base64's length: Uint8Array.fromBase64 and
// atob would skip it, so the check must refuse it first.
for (const mode of ["native", "fallback"] as const) {
  test(`decodeBase64 refuses a line terminator anywhere, at a length base64 could have (${mode})`, async () => {
    const run = () => {
      for (
        const text of [
          "QU\nJ",
          "QUJD\nQUI",
          "QUJD\r\nQU",
          "QUJD\rQUI",
          "QUJD\u2028QUI",
          "QUJD\u2029QUI",
          "QUI=\nAAA",
        ]
      ) {
        assert.equal(decodeBase64(text), undefined, JSON.stringify(text));
      }
    };
    if (mode === "native") run();
    else await withoutNativeBase64(run);
  });
}
