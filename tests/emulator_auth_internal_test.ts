// runtimes: deno — reason: tests the internal src/emulator/auth.ts directly (the npm package does not export constantTimeEqual); the signature check built on it is tested in every runtime (emulator_test.ts)
//
// constantTimeEqual, which compares the API-Sign a request carries with the
// one computed for it: its work depends on the computed value's length only,
// never on where the two first differ. No answer shows the difference, so the
// work is counted, as calls to String.prototype.charCodeAt.
import { test } from "node:test";
import assert from "node:assert/strict";
import { constantTimeEqual } from "../src/emulator/auth.ts";

/** The result of `run` and how many times it called charCodeAt. */
function counted(run: () => boolean): { result: boolean; calls: number } {
  const original = String.prototype.charCodeAt;
  let calls = 0;
  String.prototype.charCodeAt = function (this: string, index: number) {
    calls++;
    return original.call(this, index);
  };
  try {
    return { result: run(), calls };
  } finally {
    String.prototype.charCodeAt = original;
  }
}

test("constantTimeEqual does the same work wherever the received value first differs, and does not stop at the first difference", () => {
  // An API-Sign is 88 characters of base64.
  const expected = "A".repeat(88);
  const same = counted(() => constantTimeEqual(expected, "A".repeat(88)));
  assert.equal(same.result, true);
  // At least one look at each character of the computed value: a comparison
  // that reads none (=== or a library's) would make the counts below vacuous.
  assert.ok(same.calls >= 88, `${same.calls} calls`);
  const first = counted(() =>
    constantTimeEqual(expected, "B" + "A".repeat(87))
  );
  const last = counted(() => constantTimeEqual(expected, "A".repeat(87) + "B"));
  assert.deepEqual(first, { result: false, calls: same.calls });
  assert.deepEqual(last, { result: false, calls: same.calls });
  for (let i = 0; i < 88; i++) {
    const received = expected.slice(0, i) + "B" + expected.slice(i + 1);
    assert.deepEqual(
      counted(() => constantTimeEqual(expected, received)),
      { result: false, calls: same.calls },
      `differs at ${i}`,
    );
  }
  // A received value of another length is refused after the same work.
  for (const received of ["", "A", "A".repeat(87), "A".repeat(89)]) {
    assert.deepEqual(
      counted(() => constantTimeEqual(expected, received)),
      { result: false, calls: same.calls },
      `length ${received.length}`,
    );
  }
});
