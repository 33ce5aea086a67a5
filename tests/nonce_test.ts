import { test } from "node:test";
import assert from "node:assert/strict";
import { createNonceGenerator, EmbedClient } from "@kraken-embed/client";
import { createEmulator } from "@kraken-embed/client/emulator";
import { API_KEY, SECRET, USER } from "./_fake_fetch.ts";

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
 * `Math.random()` reading `clock.random` (0 unless told: the microseconds
 * the generator adds to the clock's are then 0), and puts both back
 * afterwards.
 */
function withClock(
  ms: number,
  body: (clock: { ms: number; random: number }) => void,
): void {
  const realNow = Date.now;
  const realRandom = Math.random;
  const clock = { ms, random: 0 };
  Date.now = () => clock.ms;
  Math.random = () => clock.random;
  try {
    body(clock);
  } finally {
    Date.now = realNow;
    Math.random = realRandom;
  }
}

test("createNonceGenerator() adds a random number of microseconds below 1,000 to the millisecond clock's", () => {
  withClock(1_700_000_000_000, (clock) => {
    clock.random = 0.9999999;
    assert.equal(createNonceGenerator()(), "1700000000000999");
    clock.random = 0.5;
    const next = createNonceGenerator();
    assert.equal(next(), "1700000000000500");
    // Not above the last: bumped by one.
    clock.random = 0.2;
    assert.equal(next(), "1700000000000501");
    clock.random = 0.75;
    assert.equal(next(), "1700000000000750");
  });
});

test("two generators, as two processes on one key have, seldom issue the same nonce in one millisecond", () => {
  // Without the random microseconds, both issue ms * 1000 every time: a
  // nonce window refuses the second sender's request as a reused nonce.
  const realNow = Date.now;
  let ms = 1_700_000_000_000;
  Date.now = () => ms;
  try {
    const a = createNonceGenerator();
    const b = createNonceGenerator();
    let same = 0;
    for (let i = 0; i < 1000; i++, ms++) if (a() === b()) same++;
    // One in 1,000 a millisecond: 1 expected, 20 or more about never.
    assert.ok(same < 20, `${same} of 1,000 the same`);
  } finally {
    Date.now = realNow;
  }
});

test("createNonceGenerator() outlives a clock that reads infinity, no number, or more microseconds than 64 bits hold", () => {
  withClock(1_700_000_000_000, (clock) => {
    const next = createNonceGenerator();
    let last = BigInt(next());
    assert.equal(last, 1_700_000_000_000_000n);
    // Number.MAX_VALUE milliseconds are Infinity microseconds; 1e17 ms are
    // finite, 1e20 µs, past 2^64 - 1: kept, every later nonce would be too.
    for (
      const broken of [
        Infinity,
        NaN,
        -Infinity,
        Number.MAX_VALUE,
        1e17,
        2 ** 64 / 1000,
        1e300,
        -1e17,
      ]
    ) {
      clock.ms = broken;
      const value = BigInt(next());
      assert.equal(value, last + 1n, String(broken));
      last = value;
    }
    clock.ms = 1_700_000_000_005;
    assert.equal(next(), "1700000000005000");
  });
});

test("createNonceGenerator() reads a fake clock's bigint as the number it is, and a huge one as not moved", () => {
  withClock(1_700_000_000_000, (clock) => {
    const next = createNonceGenerator();
    assert.equal(next(), "1700000000000000");
    // A test's fake clock may return a bigint, where Math.floor threw.
    (clock as { ms: unknown }).ms = 1_700_000_000_007n;
    assert.equal(next(), "1700000000007000");
    (clock as { ms: unknown }).ms = 2n ** 70n;
    assert.equal(next(), "1700000000007001");
  });
});

test("createNonceGenerator() leaves itself room to count: a clock at 2^63 microseconds or more counts as not moved, so no nonce passes 2^64 - 1", () => {
  withClock(1_700_000_000_000, (clock) => {
    const next = createNonceGenerator();
    let last = BigInt(next());
    // Just below 2^64 µs, taken as read, left a few thousand nonces before
    // the generator counted past 2^64 - 1, and every later nonce with them.
    for (const ms of [18_446_744_073_709_548, 9_223_372_036_854_776]) {
      clock.ms = ms;
      for (let i = 0; i < 5_000; i++) {
        const value = BigInt(next());
        assert.equal(value, last + 1n, String(ms));
        last = value;
      }
    }
    // 10,001 nonces counted from 1700000000000000: the clock takes over
    // once it passes them.
    clock.ms = 1_700_000_000_050;
    assert.equal(next(), "1700000000050000");
  });
});

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

test("two senders on one key, each with its own generator as two processes have, seldom send one nonce twice to a key with a window", async () => {
  // Two clients in this thread, each with a generator of its own, sending
  // one update after another as fast as they can: what two processes on
  // one key with the default nonces do, against a 5 s window.
  const emulator = createEmulator({
    credentials: [{ apiKey: API_KEY, apiSecret: SECRET }],
    users: [{ user: USER }],
    nonceWindow: 5_000_000,
  });
  const sender = () =>
    new EmbedClient({
      apiKey: API_KEY,
      apiSecret: SECRET,
      maxConcurrency: 1,
      nonce: createNonceGenerator(),
      fetch: (input, init) => emulator.fetch(new Request(input, init)),
    });
  let failed = 0;
  await Promise.all([sender(), sender()].map(async (client) => {
    for (let i = 0; i < 300; i++) {
      await client.users.update(USER, { language: "en" }).catch(() => failed++);
    }
  }));
  const nonces = emulator.log.map((entry) => entry.nonce);
  const twice = nonces.length - new Set(nonces).size;
  console.log(
    `two senders: 600 updates, ${nonces.length} requests, ${twice} nonces sent twice, ${failed} failed`,
  );
  // Without the random microseconds: 328 of 798 requests, 130 calls failed
  // (their resend's nonce taken too). With them, 0 to 3 sent twice and none
  // failed in Deno and Node; under Bun, faster, up to 10 and 4 (a fresh
  // clone's CI run beside another Bun process: two generators ahead of the
  // clock count up in step, so a resend can meet the other's nonce too).
  assert.ok(twice <= 30, `${twice} nonces sent twice`);
  assert.ok(failed <= 12, `${failed} calls failed`);
});
