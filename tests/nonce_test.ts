import { test } from "node:test";
import assert from "node:assert/strict";
import { createNonceGenerator } from "@kraken-embed/client";

test("createNonceGenerator() is strictly increasing across 100,000 calls in one tick", () => {
  const next = createNonceGenerator();
  let previous = -1n;
  for (let i = 0; i < 100_000; i++) {
    const value = BigInt(next());
    assert.ok(value > previous, `call ${i}: ${value} <= ${previous}`);
    previous = value;
  }
});

test("createNonceGenerator() counts microseconds since the epoch", () => {
  const before = BigInt(Date.now()) * 1000n;
  const value = BigInt(createNonceGenerator()());
  const after = BigInt(Date.now()) * 1000n + 1000n;
  assert.ok(
    value >= before && value <= after,
    `${value} not within [${before}, ${after}]`,
  );
  assert.match(String(value), /^[1-9][0-9]{15}$/);
});

/**
 * Runs `body` with `Date.now()` reading `clock.ms`, which it may move, and
 * puts the real clock back afterwards.
 */
function withClock(ms: number, body: (clock: { ms: number }) => void): void {
  const realNow = Date.now;
  const clock = { ms };
  Date.now = () => clock.ms;
  try {
    body(clock);
  } finally {
    Date.now = realNow;
  }
}

test("createNonceGenerator() keeps increasing when the clock goes backwards", () => {
  withClock(2_000_000_000_000, (clock) => {
    const next = createNonceGenerator();
    const first = BigInt(next());
    clock.ms -= 60_000;
    const second = BigInt(next());
    const third = BigInt(next());
    assert.equal(first, 2_000_000_000_000_000n);
    assert.equal(second, first + 1n);
    assert.equal(third, first + 2n);
    clock.ms += 120_000;
    assert.equal(BigInt(next()), 2_000_000_060_000_000n);
  });
});

test("createNonceGenerator() floors a fake clock's fractions of a millisecond", () => {
  withClock(1_700_000_000_000.0003, (clock) => {
    const next = createNonceGenerator();
    assert.equal(next(), "1700000000000000");
    assert.equal(next(), "1700000000000001");
    clock.ms = 1_700_000_000_001.75;
    assert.equal(next(), "1700000000001000");
  });
});

test("createNonceGenerator() keeps counting one by one past 2^53 microseconds (a clock in the year 2255 or later)", () => {
  // 992 µs below 2^53, and a clock that does not move: the 993rd call
  // crosses.
  withClock(9_007_199_254_740, (clock) => {
    const next = createNonceGenerator();
    let expected = 9_007_199_254_740_000n;
    assert.equal(BigInt(next()), expected);
    for (let i = 0; i < 2_000; i++) {
      const value = next();
      expected++;
      assert.equal(value, String(expected), `call ${i}`);
    }
    // A clock further ahead still wins, exactly.
    clock.ms = Date.UTC(2300, 0, 1);
    const later = [next(), next(), next()];
    assert.deepEqual(later, [
      "10413792000000000",
      "10413792000000001",
      "10413792000000002",
    ]);
  });
});

test("createNonceGenerator() gives concurrent callers distinct, increasing nonces", async () => {
  const next = createNonceGenerator();
  const seen: bigint[] = [];
  await Promise.all(
    Array.from({ length: 1000 }, async (_, i) => {
      await new Promise((resolve) => setTimeout(resolve, i % 7));
      seen.push(BigInt(next()));
    }),
  );
  assert.equal(new Set(seen).size, 1000);
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i] > seen[i - 1]);
});
