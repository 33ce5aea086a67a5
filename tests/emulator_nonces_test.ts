// runtimes: deno — reason: tests the internal src/emulator/nonces.ts directly (the npm package does not export NonceTracker), to make its memory limit small; its window rule through the public emulator is tested in every runtime (emulator_test.ts)
//
// NonceTracker's limit on remembered nonces: past it, the lowest is
// forgotten and every nonce at or below it refused, so that it may refuse
// more than the window rule but never accepts a nonce twice.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { MAX_REMEMBERED_NONCES, NonceTracker } from "../src/emulator/nonces.ts";

const MAX_U64 = (1n << 64n) - 1n;

/**
 * A naive model of the tracker: the window rule over a plain list of the
 * nonces remembered, forgetting the lowest past `limit`.
 */
function model(window: bigint, limit: number): (nonce: bigint) => boolean {
  let highest: bigint | undefined;
  let forgotten: bigint | undefined;
  let remembered: bigint[] = [];
  return (nonce) => {
    if (
      (highest !== undefined && nonce <= highest - window) ||
      (forgotten !== undefined && nonce <= forgotten) ||
      remembered.includes(nonce)
    ) {
      return false;
    }
    if (highest === undefined || nonce > highest) highest = nonce;
    remembered = remembered.filter((used) => used > highest! - window);
    if (window > 0n) remembered.push(nonce);
    if (remembered.length > limit) {
      remembered.sort((a, b) => (a < b ? -1 : 1));
      forgotten = remembered.shift();
    }
    return true;
  };
}

test("a tracker remembers 100,000 nonces by default, then refuses every nonce at or below the lowest it forgot", () => {
  assert.equal(MAX_REMEMBERED_NONCES, 100_000);
  const tracker = new NonceTracker(MAX_U64);
  // 2, 4, …, 200,002: one more than it remembers.
  for (let nonce = 2n; nonce <= 200_002n; nonce += 2n) {
    assert.ok(tracker.accept(nonce), `nonce ${nonce}`);
  }
  assert.equal(tracker.accept(1n), false, "below the forgotten 2");
  assert.equal(tracker.accept(2n), false, "the forgotten 2");
  assert.equal(tracker.accept(3n), true, "above it, in the window, unused");
  assert.equal(tracker.accept(3n), false, "used");
  assert.equal(tracker.accept(200_002n), false, "used");
  assert.equal(tracker.accept(200_003n), true);
});

test("with a small limit, a tracker accepts exactly what a naive model accepts, never a nonce twice, never one the window rule refuses", () => {
  fc.assert(
    fc.property(
      fc.bigInt({ min: 0n, max: 30n }),
      fc.integer({ min: 0, max: 12 }),
      fc.constantFrom(0n, MAX_U64 - 60n),
      fc.array(fc.bigInt({ min: 0n, max: 60n }), { maxLength: 80 }),
      (window, limit, base, offsets) => {
        const tracker = new NonceTracker(window, limit);
        const naive = model(window, limit);
        const accepted = new Set<bigint>();
        let highest: bigint | undefined;
        for (const nonce of offsets.map((offset) => base + offset)) {
          const verdict = tracker.accept(nonce);
          assert.equal(verdict, naive(nonce), `nonce ${nonce}`);
          if (!verdict) continue;
          assert.ok(!accepted.has(nonce), `nonce ${nonce} accepted twice`);
          assert.ok(
            highest === undefined || nonce > highest - window,
            `nonce ${nonce} outside the window`,
          );
          accepted.add(nonce);
          if (highest === undefined || nonce > highest) highest = nonce;
        }
      },
    ),
    { numRuns: 500 },
  );
});

test("with a window wider than every nonce, a tracker forgets exactly the lowest nonces past its limit", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 20 }),
      fc.array(fc.bigInt({ min: 0n, max: 300n }), { maxLength: 200 }),
      (limit, nonces) => {
        const tracker = new NonceTracker(MAX_U64, limit);
        const naive = model(MAX_U64, limit);
        for (const nonce of nonces) {
          assert.equal(tracker.accept(nonce), naive(nonce), `nonce ${nonce}`);
        }
      },
    ),
    { numRuns: 300 },
  );
});

test("below its limit, a tracker accepts exactly what the plain window rule accepts", () => {
  fc.assert(
    fc.property(
      fc.bigInt({ min: 0n, max: 30n }),
      fc.array(fc.bigInt({ min: 0n, max: 60n }), { maxLength: 80 }),
      (window, nonces) => {
        const tracker = new NonceTracker(window, nonces.length);
        const used = new Set<bigint>();
        let highest: bigint | undefined;
        for (const nonce of nonces) {
          const expected = !used.has(nonce) &&
            (highest === undefined || nonce > highest - window);
          assert.equal(tracker.accept(nonce), expected, `nonce ${nonce}`);
          if (!expected) continue;
          used.add(nonce);
          if (highest === undefined || nonce > highest) highest = nonce;
        }
      },
    ),
    { numRuns: 500 },
  );
});

test("a tracker forgets the lowest nonce after nonces far out of order, as the naive model does", () => {
  const tracker = new NonceTracker(MAX_U64, 7);
  const naive = model(MAX_U64, 7);
  for (
    const nonce of [10n, 40n, 29n, 12n, 56n, 36n, 30n, 38n, 57n, 55n, 45n, 35n]
  ) {
    assert.equal(tracker.accept(nonce), naive(nonce), `nonce ${nonce}`);
  }
});
