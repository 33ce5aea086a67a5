// counterNonce(), NonceCounter and durableObjectNonce() in process: an
// in-memory counter and storage stand in for Redis and the Durable Object
// runtime (tests/counter_*_test.ts and tests/durable_object_test.ts use the
// real ones).
import { test } from "node:test";
import assert from "node:assert/strict";
import { throwingGetter, throwingProxy } from "./_throwing.ts";
import {
  counterNonce,
  createNonceGenerator,
  EmbedClient,
  EmbedConfigError,
} from "@kraken-embed/client";
import {
  type DurableObjectNamespace,
  durableObjectNonce,
  type DurableObjectState,
  NonceCounter,
} from "@kraken-embed/client/durable_object";
import { createEmulator } from "@kraken-embed/client/emulator";
import { API_KEY, SECRET, USER } from "./_fake_fetch.ts";
import { isIncreasing } from "./_increasing.ts";
import { reached, withHeldTimers, within, withTimers } from "./_timers.ts";
import { polluted } from "./_polluted.ts";

const OFFSET = 1n << 53n;
const clock = () => BigInt(Date.now()) * 1000n;

/** A client against a fresh emulator with no nonce window. */
function againstEmulator(nonce?: () => Promise<string> | string) {
  const emulator = createEmulator({
    credentials: [{ apiKey: API_KEY, apiSecret: SECRET }],
    users: [{ user: USER }],
    nonceWindow: 0,
  });
  const client = (source = nonce) =>
    new EmbedClient({
      apiKey: API_KEY,
      apiSecret: SECRET,
      nonce: source,
      maxRetries: 0,
      fetch: (input, init) => emulator.fetch(new Request(input, init)),
    });
  return { emulator, client };
}

test("counterNonce() adds 2^53 to the counter by default, above any microsecond clock", async () => {
  let counter = 0;
  const next = counterNonce(() => Promise.resolve(++counter));
  assert.equal(await next(), String(OFFSET + 1n));
  assert.equal(await next(), String(OFFSET + 2n));
  assert.ok(OFFSET > clock() * 2n, "2^53 µs is far in the future");
});

test("counterNonce() takes bigints, safe integers and decimal strings, and a custom offset", async () => {
  const values: (bigint | number | string)[] = [
    5n,
    6,
    "7",
    "18446744073709551000",
  ];
  const next = counterNonce(() => values.shift()!, { offset: 0 });
  assert.deepEqual(
    [await next(), await next(), await next(), await next()],
    ["5", "6", "7", "18446744073709551000"],
  );
  const big = counterNonce(() => 1n, { offset: "18446744073709551614" });
  assert.equal(await big(), "18446744073709551615");
  const fromClock = counterNonce(() => 1, { offset: clock() });
  assert.ok(BigInt(await fromClock()) > 0n);
});

test("counterNonce() moves a key from the default generator without an Invalid nonce", async () => {
  const { emulator, client } = againstEmulator();
  // First the key is used with the microsecond clock, as by default.
  await client(createNonceGenerator()).users.update(USER, { language: "en" });
  let counter = 0n;
  const shared = counterNonce(() => Promise.resolve(++counter));
  const a = client(shared);
  const b = client(shared);
  for (let i = 0; i < 20; i++) {
    await (i % 2 === 0 ? a : b).users.update(USER, { language: "fr" });
  }
  assert.equal(emulator.log.length, 21);
  assert.ok(emulator.log.every((entry) => entry.status === 200));
  const nonces = emulator.log.map((entry) => BigInt(entry.nonce!));
  assert.ok(isIncreasing(nonces));
  assert.equal(nonces[1], OFFSET + 1n);
});

test("counterNonce() returns increasing values even when concurrent increments resolve out of order", async () => {
  let counter = 0n;
  // Each increment is applied at once but answers after a random delay, so
  // later values often come back first.
  const slow = () => {
    const value = ++counter;
    return new Promise<bigint>((resolve) =>
      setTimeout(() => resolve(value), Math.random() * 5)
    );
  };
  const next = counterNonce(slow, { offset: 0 });
  const returned: bigint[] = [];
  await Promise.all(
    Array.from(
      { length: 300 },
      async () => returned.push(BigInt(await next())),
    ),
  );
  assert.equal(returned.length, 300);
  assert.equal(new Set(returned).size, 300);
  assert.ok(isIncreasing(returned), "in the order they were returned");
});

/**
 * An answerer whose answers come back newest first, a millisecond at a time:
 * each call's value is made at once (`make`), and every millisecond the
 * waiting answers are released, the latest made first.
 */
function newestFirst<T>(make: () => T): () => Promise<T> {
  let waiting: Array<() => void> = [];
  return () => {
    const value = make();
    return new Promise<T>((resolve) => {
      if (waiting.length === 0) {
        setTimeout(() => {
          const round = waiting.reverse();
          waiting = [];
          for (const release of round) release();
        }, 1);
      }
      waiting.push(() => resolve(value));
    });
  };
}

/** 32 callers at once, 8 nonces each: the nonces in the order returned. */
async function drawAtOnce(next: () => Promise<string>): Promise<bigint[]> {
  const returned: bigint[] = [];
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      for (let i = 0; i < 8; i++) returned.push(BigInt(await next()));
    }),
  );
  return returned;
}

test("counterNonce() keeps drawing while a busy process's other calls overtake it, however often", async () => {
  // An atomic counter whose answers come back newest first, a millisecond
  // at a time (an extreme connection pool): of the calls waiting, only the
  // newest value wins each round, and the rest draw again. A call is often
  // overtaken dozens of times in a row (a fixed limit of 32 failed here), but
  // each of its draws is larger than its last, so it is not refused.
  let counter = 0n;
  const increment = newestFirst(() => ++counter);
  const returned = await drawAtOnce(counterNonce(increment, { offset: 0 }));
  assert.equal(returned.length, 32 * 8);
  assert.equal(new Set(returned).size, returned.length);
  assert.ok(isIncreasing(returned), "in the order they were returned");
});

test("counterNonce() refuses a counter that moves but stays below what it issued (a flushed store)", async () => {
  let counter = 0n;
  let flushed = false;
  const next = counterNonce(
    () => (flushed ? ++counter : 5_000n),
    { offset: 0 },
  );
  assert.equal(await next(), "5000");
  flushed = true;
  await assert.rejects(
    next(),
    (error) =>
      error instanceof EmbedConfigError && error.field === "nonce" &&
      /stayed below the last nonce issued for 1000 draws/.test(error.message),
  );
  assert.equal(counter, 1000n);
});

// Options whose reading throws, with a secret in the error.
const secretError = () => new Error("hunter2");
const throwingOption = (key: string) => throwingGetter({}, key, secretError);
const throwingOptions = throwingProxy({}, "getPrototypeOf", secretError);

test("counterNonce() refuses bad arguments and bad counter values with EmbedConfigError", async () => {
  for (
    const [increment, options, field] of [
      [42, undefined, "increment"],
      [undefined, undefined, "increment"],
      [() => 1, null, "options"],
      // No own keys to refuse: read as no options, they would be ignored.
      [() => 1, new Map([["offset", 5]]), "options"],
      [() => 1, [], "options"],
      // Reading them throws: a getter's error is not passed on.
      [() => 1, throwingOption("offset"), "options"],
      [() => 1, throwingOptions, "options"],
      [() => 1, { offset: -1 }, "offset"],
      // Not the default offset: null is not left out.
      [() => 1, { offset: null }, "offset"],
      [() => 1, { offset: 1.5 }, "offset"],
      [() => 1, { offset: "2^53" }, "offset"],
      [() => 1, { offset: 2n ** 64n }, "offset"],
      [() => 1, { start: 1 }, "start"],
      // An odd name is quoted, as the client's options quote it.
      [() => 1, { "a.b\nc": 1 }, '"a.b\\nc"'],
    ] as const
  ) {
    assert.throws(
      () => counterNonce(increment as never, options as never),
      (error) =>
        error instanceof EmbedConfigError && error.field === field &&
        !String(error).includes("hunter2"),
    );
  }
  for (
    const value of [-1, 1.5, 2 ** 53, "01", "-1", "", null, undefined, {}, NaN]
  ) {
    await assert.rejects(
      counterNonce(() => value as never)(),
      (error) => error instanceof EmbedConfigError && error.field === "nonce",
    );
  }
  // node-redis gives INCR's answer as a number: past 2^53 - 1 it is not
  // exact, and the refusal says what to return instead.
  await assert.rejects(
    counterNonce(() => 2 ** 53)(),
    /: a number past 2\^53 - 1 is not exact, so have the counter return a string or a bigint$/,
  );
  // No such hint where a string or a bigint would be refused too.
  await assert.rejects(
    counterNonce(() => 1.5)(),
    /\(a bigint, safe integer or decimal string\)$/,
  );
  await assert.rejects(
    counterNonce(() => 2 ** 64)(),
    /^EmbedConfigError: nonce: The counter passes 2\^64 - 1 \(counter a number of 2\^64 or more\)$/,
  );
  await assert.rejects(
    counterNonce(() => 2n, { offset: (1n << 64n) - 2n })(),
    /passes 2\^64 - 1/,
  );
  // A "counter" that does not move is caught rather than looping forever.
  const stuck = counterNonce(() => 7);
  await stuck();
  await assert.rejects(stuck(), /is the increment atomic/);
  // The error of the increment itself reaches the client as its cause.
  const { client } = againstEmulator(counterNonce(() => {
    throw new Error("redis down");
  }));
  await assert.rejects(
    client().users.update(USER, { language: "en" }),
    (error) =>
      error instanceof EmbedConfigError && error.field === "nonce" &&
      (error.cause as Error).message === "redis down",
  );
});

/** A storage and state in memory; `data` survives "restarts" of the object. */
function memoryState(data = new Map<string, unknown>()): DurableObjectState {
  return {
    storage: {
      get: <T>(key: string) => Promise.resolve(data.get(key) as T | undefined),
      put: <T>(key: string, value: T) => {
        data.set(key, value);
        return Promise.resolve();
      },
    },
    blockConcurrencyWhile: (callback) => callback(),
  };
}

function namespaceOf(counter: NonceCounter): DurableObjectNamespace<string> {
  return {
    idFromName: (name) => name,
    get: () => ({
      fetch: (url, init) => counter.fetch(new Request(url, init)),
    }),
  };
}

async function reserve(counter: NonceCounter, query = "") {
  const response = await counter.fetch(
    new Request(`https://nonce/${query}`, { method: "POST" }),
  );
  // Typed here: Workers' types (which miniflare's declarations bring into
  // the type check) give json() as unknown.
  const body = await response.json() as {
    first: string;
    last: string;
    error: string[];
  };
  return { status: response.status, body };
}

test("a NonceCounter whose stored value is corrupt fails each request, and nothing else: its load's failure is not left unhandled", async () => {
  const counter = new NonceCounter(
    memoryState(new Map([["last", "not a number"]])),
  );
  // Time for an unhandled rejection to surface, which fails the test run.
  await new Promise((resolve) => setTimeout(resolve, 20));
  for (let i = 0; i < 2; i++) {
    await assert.rejects(
      counter.fetch(new Request("https://nonce/", { method: "POST" })),
      /the stored "last" is not an unsigned 64-bit integer/,
    );
  }
});

test("a NonceCounter whose stored value is null fails each request: only undefined is a value never written", async () => {
  // Read as never written, a null that replaced the last nonce would
  // restart the object at the clock, below nonces it issued ahead of it.
  const counter = new NonceCounter(memoryState(new Map([["last", null]])));
  for (let i = 0; i < 2; i++) {
    await assert.rejects(
      reserve(counter),
      /the stored "last" is not an unsigned 64-bit integer/,
    );
  }
});

test("NonceCounter issues max(last + 1, clock) and ranges with ?count=", async () => {
  const counter = new NonceCounter(memoryState());
  const before = clock();
  const one = await reserve(counter);
  assert.equal(one.status, 200);
  assert.equal(one.body.first, one.body.last);
  assert.ok(BigInt(one.body.first) >= before);
  const ten = await reserve(counter, "?count=10");
  assert.equal(BigInt(ten.body.last) - BigInt(ten.body.first), 9n);
  assert.ok(BigInt(ten.body.first) > BigInt(one.body.last));
  const concurrent = await Promise.all(
    Array.from({ length: 200 }, () => reserve(counter, "?count=3")),
  );
  const starts = concurrent.map(({ body }) => BigInt(body.first));
  assert.equal(new Set(starts).size, 200);
  const sorted = [...starts].sort((a, b) => (a < b ? -1 : 1));
  for (let i = 1; i < sorted.length; i++) {
    assert.ok(sorted[i] - sorted[i - 1] >= 3n, "ranges do not overlap");
  }
});

test("NonceCounter's answers take no status or statusText from Object.prototype", async () => {
  // Node's Response.json without an init took a polluted status (Deno's
  // did not): every range issued then read as a refusal, its nonces lost.
  const counter = new NonceCounter(memoryState());
  await polluted({ status: 429, statusText: "Too Many Requests" }, async () => {
    const { status, body } = await reserve(counter);
    assert.equal(status, 200);
    assert.ok(BigInt(body.first) > 0n);
  });
});

test("NonceCounter floors a fake clock's fractions of a millisecond, past half of one too", async () => {
  // .75 tells flooring from rounding, which .0003 cannot.
  for (const ms of [1_700_000_000_000.0003, 1_700_000_000_000.75]) {
    const counter = new NonceCounter(memoryState());
    const realNow = Date.now;
    Date.now = () => ms;
    try {
      const { status, body } = await reserve(counter);
      assert.equal(status, 200);
      assert.equal(body.first, "1700000000001000");
    } finally {
      Date.now = realNow;
    }
  }
});

test("NonceCounter never reissues after a restart, even ahead of the clock", async () => {
  const data = new Map<string, unknown>();
  const first = new NonceCounter(memoryState(data));
  let last = 0n;
  // Reserve about 20 seconds of microseconds, so the clock cannot hide a lost value.
  for (let i = 0; i < 20; i++) {
    last = BigInt((await reserve(first, "?count=1000000")).body.last);
  }
  assert.ok(last > clock() + 10_000_000n);
  assert.equal(data.get("last"), String(last));
  const restarted = new NonceCounter(memoryState(data));
  assert.equal(BigInt((await reserve(restarted)).body.first), last + 1n);
});

test("NonceCounter refuses bad counts and methods, and a corrupt stored value", async () => {
  const counter = new NonceCounter(memoryState());
  for (
    const query of [
      "?count=0",
      "?count=-1",
      "?count=1.5",
      "?count=x",
      "?count=1000001",
      "?count=01",
    ]
  ) {
    const { status, body } = await reserve(counter, query);
    assert.equal(status, 400, query);
    assert.match(body.error[0], /count/);
  }
  // An empty floor is not read as none.
  for (
    const query of ["?floor=-1", "?count=2&floor=x", "?floor=01", "?floor="]
  ) {
    const { status, body } = await reserve(counter, query);
    assert.equal(status, 400, query);
    assert.match(body.error[0], /floor/);
  }
  const get = await counter.fetch(new Request("https://nonce/"));
  assert.equal(get.status, 405);
  const corrupt = new NonceCounter(memoryState(new Map([["last", "-5"]])));
  await assert.rejects(reserve(corrupt), /not an unsigned 64-bit integer/);
  const full = new NonceCounter(
    memoryState(new Map([["last", String((1n << 64n) - 2n)]])),
  );
  assert.equal((await reserve(full)).status, 200);
  assert.equal((await reserve(full)).status, 500);
});

test("NonceCounter's refusal of a range past 2^64 - 1 reserves nothing: a smaller range is issued after it from the same last nonce", async () => {
  const data = new Map<string, unknown>([["last", String((1n << 64n) - 4n)]]);
  const counter = new NonceCounter(memoryState(data));
  // Five would end at 2^64: refused, and neither kept nor stored.
  assert.equal((await reserve(counter, "?count=5")).status, 500);
  assert.equal(data.get("last"), String((1n << 64n) - 4n));
  // The three left are still there to issue.
  const { status, body } = await reserve(counter, "?count=3");
  assert.equal(status, 200);
  assert.deepEqual(
    [body.first, body.last],
    [String((1n << 64n) - 3n), String((1n << 64n) - 1n)],
  );
});

test("durableObjectNonce()'s floor moves a key from counterNonce's 2^53 range: every nonce above it, and above every one issued", async () => {
  const counter = new NonceCounter(memoryState());
  const namespace = namespaceOf(counter);
  // What the key last sent through counterNonce: 2^53 + 41.
  const floor = 2n ** 53n + 42n;
  const single = durableObjectNonce(namespace, "key", { floor });
  assert.equal(BigInt(await single()), floor);
  assert.equal(BigInt(await single()), floor + 1n);
  // A floor below what was issued changes nothing; as a string too.
  const batched = durableObjectNonce(namespace, "key", {
    batch: 10,
    floor: "5",
  });
  assert.equal(BigInt(await batched()), floor + 2n);
  // Without it, the object still counts on from what it issued.
  assert.equal(
    BigInt(await durableObjectNonce(namespace, "key")()),
    floor + 12n,
  );
  // A floor past what 64 bits hold for the batch is the object's 500.
  const high = durableObjectNonce(namespace, "other", {
    floor: (1n << 64n) - 1n,
    batch: 2,
  });
  await assert.rejects(high(), /500/);
});

test("durableObjectNonce() draws increasing nonces, one round trip each or in batches", async () => {
  const counter = new NonceCounter(memoryState());
  const namespace = namespaceOf(counter);
  const single = durableObjectNonce(namespace, "key-a");
  const batched = durableObjectNonce(namespace, "key-a", { batch: 50 });
  const seen: bigint[] = [];
  for (let i = 0; i < 120; i++) {
    seen.push(BigInt(await (i % 3 === 0 ? single : batched)()));
  }
  assert.equal(new Set(seen).size, 120);
  const fromBatch = seen.filter((_, i) => i % 3 !== 0);
  assert.ok(isIncreasing(fromBatch));
  const concurrent: bigint[] = [];
  await Promise.all(
    Array.from(
      { length: 200 },
      async () => concurrent.push(BigInt(await single())),
    ),
  );
  assert.equal(new Set(concurrent).size, 200);
  assert.ok(isIncreasing(concurrent));
});

test("durableObjectNonce() moves a key from the default generator without an Invalid nonce", async () => {
  const { emulator, client } = againstEmulator();
  // A clock nonce, then the switch within the same millisecond: the counter's
  // first nonce must still be above it, with no Invalid nonce and no retry.
  // The clock nonce as high as its millisecond allows: the most random
  // microseconds, 999.
  const realNow = Date.now;
  const realRandom = Math.random;
  const frozen = realNow();
  Date.now = () => frozen;
  Math.random = () => 0.9999;
  try {
    await client(createNonceGenerator()).users.update(USER, {
      language: "en",
    });
  } finally {
    Date.now = realNow;
    Math.random = realRandom;
  }
  assert.equal(emulator.log[0].nonce, `${frozen}999`);
  const namespace = namespaceOf(new NonceCounter(memoryState()));
  Date.now = () => frozen;
  const workers = [1, 2, 3].map(() =>
    client(durableObjectNonce(namespace, API_KEY))
  );
  try {
    for (let i = 0; i < 30; i++) {
      await workers[i % 3].users.update(USER, { language: "de" });
    }
  } finally {
    Date.now = realNow;
  }
  assert.equal(emulator.log.length, 31);
  assert.ok(emulator.log.every((entry) => entry.status === 200));
});

test("durableObjectNonce() with a batch drops a range after a second, so an idle isolate is not left behind the clock", async () => {
  // The object starts a range at the clock when the clock is ahead, so a
  // range an isolate kept for two seconds is two million below a fresh one:
  // past a 1.5 s window, every nonce left in it would be refused.
  const emulator = createEmulator({
    credentials: [{ apiKey: API_KEY, apiSecret: SECRET }],
    users: [{ user: USER }],
    nonceWindow: 1_500_000,
  });
  const namespace = namespaceOf(new NonceCounter(memoryState()));
  const isolate = () =>
    new EmbedClient({
      apiKey: API_KEY,
      apiSecret: SECRET,
      nonce: durableObjectNonce(namespace, API_KEY, { batch: 100 }),
      maxRetries: 0,
      fetch: (input, init) => emulator.fetch(new Request(input, init)),
    });
  const [idle, busy] = [isolate(), isolate()];
  const realNow = Date.now;
  let now = realNow();
  Date.now = () => now;
  try {
    await idle.users.update(USER, { language: "en" });
    // Within the second, the range is used: the next nonce is the next one.
    now += 999;
    await idle.users.update(USER, { language: "en" });
    now += 1_001;
    await busy.users.update(USER, { language: "de" });
    await idle.users.update(USER, { language: "fr" });
  } finally {
    Date.now = realNow;
  }
  const nonces = emulator.log.map((entry) => BigInt(entry.nonce ?? -1));
  assert.deepEqual(emulator.log.map((entry) => entry.status), [
    200,
    200,
    200,
    200,
  ]);
  assert.equal(nonces[1], nonces[0] + 1n);
  assert.ok(nonces[3] > nonces[2], "the idle isolate drew a fresh range");
});

test("durableObjectNonce() keeps drawing while its isolate's other calls overtake it, however often", async () => {
  // An object whose answers come back newest first, a millisecond at a time:
  // as for counterNonce, a call overtaken dozens of times in a row (a fixed
  // limit of 32 failed here) draws larger ranges each time, and is served.
  let counter = 0n;
  const answer = newestFirst(() => {
    const value = String(++counter);
    return Response.json({ first: value, last: value });
  });
  const namespace: DurableObjectNamespace = {
    idFromName: (name) => name,
    get: () => ({ fetch: answer }),
  };
  const returned = await drawAtOnce(durableObjectNonce(namespace));
  assert.equal(returned.length, 32 * 8);
  assert.equal(new Set(returned).size, returned.length);
  assert.ok(isIncreasing(returned), "in the order they were returned");
});

test("durableObjectNonce() refuses bad arguments and reports a failing object", async () => {
  const namespace = namespaceOf(new NonceCounter(memoryState()));
  for (
    const [args, field] of [
      [[undefined], "namespace"],
      [[{}], "namespace"],
      [[{ idFromName: () => 1 }], "namespace"],
      [[namespace, ""], "name"],
      [[namespace, 42], "name"],
      [[namespace, "k", null], "options"],
      [[namespace, "k", []], "options"],
      [[namespace, "k", new Map([["batch", 100]])], "options"],
      [[namespace, "k", throwingOption("batch")], "options"],
      [[namespace, "k", throwingOption("floor")], "options"],
      [[namespace, "k", { floor: -1 }], "floor"],
      [[namespace, "k", { floor: "01" }], "floor"],
      [[namespace, "k", { floor: 2n ** 64n }], "floor"],
      [[namespace, "k", { floor: null }], "floor"],
      [[namespace, "k", throwingOptions], "options"],
      [[namespace, "k", { batch: null }], "batch"],
      [[namespace, "k", { batch: 0 }], "batch"],
      [[namespace, "k", { batch: 1.5 }], "batch"],
      [[namespace, "k", { batch: "10" }], "batch"],
      [[namespace, "k", { batch: 1_000_001 }], "batch"],
      [[namespace, "k", { size: 10 }], "size"],
      [[namespace, "k", { "a.b\nc": 10 }], '"a.b\\nc"'],
    ] as const
  ) {
    assert.throws(
      () => (durableObjectNonce as (...a: unknown[]) => unknown)(...args),
      (error) =>
        error instanceof EmbedConfigError && error.field === field &&
        !String(error).includes("hunter2"),
      field,
    );
  }
  const answering = (response: () => Response): DurableObjectNamespace => ({
    idFromName: (name) => name,
    get: () => ({ fetch: () => Promise.resolve(response()) }),
  });
  await assert.rejects(
    durableObjectNonce(
      answering(() => new Response("boom", { status: 500 })),
    )(),
    /answered 500: boom/,
  );
  for (
    const body of [
      "not json",
      "{}",
      '{"first":"1"}',
      '{"first":1,"last":1}',
      '{"first":"2","last":"1"}',
      '{"first":"-1","last":"-1"}',
      // Well formed, but not the one nonce reserved: the rest could be
      // another isolate's.
      '{"first":"1","last":"3"}',
    ]
  ) {
    await assert.rejects(
      durableObjectNonce(answering(() => new Response(body)))(),
      /unexpected body/,
      body,
    );
  }
  // A range that Object.prototype holds is not the answer's.
  await polluted({ first: "1", last: "1" }, async () => {
    await assert.rejects(
      durableObjectNonce(answering(() => Response.json({})))(),
      /unexpected body/,
    );
  });
  // The same first value over and over: stale, then refused.
  const stuck = durableObjectNonce(
    answering(() => Response.json({ first: "5", last: "5" })),
  );
  assert.equal(await stuck(), "5");
  await assert.rejects(stuck(), /to the same caller/);
  // With a batch, a range not above the last one issued is refused at once,
  // one that starts at it included.
  let first = 0;
  const repeating = durableObjectNonce(
    answering(() => {
      const from = first === 0 ? 10 : 11;
      first = from;
      return Response.json({ first: String(from), last: String(from + 1) });
    }),
    "k",
    { batch: 2 },
  );
  assert.deepEqual([await repeating(), await repeating()], ["10", "11"]);
  await assert.rejects(repeating(), /not above the last nonce issued, 11/);
});

test("durableObjectNonce() tries a reservation again, twice at most, when Cloudflare fails it as retryable and not overloaded", async () => {
  // The first `failures` round trips reject with `error`, and the ones after
  // them reach a counter; `trips` counts them all.
  const failing = (failures: number, error: () => unknown) => {
    const counter = new NonceCounter(memoryState());
    let trips = 0;
    const namespace: DurableObjectNamespace<string> = {
      idFromName: (name) => name,
      get: () => ({
        fetch: (url, init) =>
          trips++ < failures
            ? Promise.reject(error())
            : counter.fetch(new Request(url, init)),
      }),
    };
    return { namespace, trips: () => trips };
  };
  const reset = () =>
    Object.assign(
      new Error("Durable Object reset because its code was updated."),
      { retryable: true },
    );
  for (const batch of [1, 10]) {
    // Once or twice: the third try gets a nonce.
    for (const failures of [1, 2]) {
      const { namespace, trips } = failing(failures, reset);
      const nonce = await durableObjectNonce(namespace, "k", { batch })();
      assert.ok(BigInt(nonce) > 0n);
      assert.equal(trips(), failures + 1, `batch ${batch}`);
    }
    // Three times: the third failure is the call's.
    const thrice = failing(3, reset);
    await assert.rejects(
      durableObjectNonce(thrice.namespace, "k", { batch })(),
      /reset because its code was updated/,
    );
    assert.equal(thrice.trips(), 3);
    // Not retried: overloaded, not marked retryable (true itself), the
    // object's own error, or something that is not an error at all.
    for (
      const error of [
        () => Object.assign(reset(), { overloaded: true }),
        () => Object.assign(new Error("x"), { retryable: "true" }),
        () => Object.assign(new Error("x"), { remote: true }),
        () => throwingGetter(new Error("x"), "retryable", secretError),
        () => undefined,
        () => "retryable",
      ]
    ) {
      const once = failing(1, error);
      await assert.rejects(
        durableObjectNonce(once.namespace, "k", { batch })(),
      );
      assert.equal(once.trips(), 1, String(error()));
    }
  }
});

test('durableObjectNonce() without a name reaches the object named "default", as one given that name does', async () => {
  const counter = new NonceCounter(memoryState());
  const names: string[] = [];
  const namespace: DurableObjectNamespace<string> = {
    idFromName: (name) => {
      names.push(name);
      return name;
    },
    get: () => ({
      fetch: (url, init) => counter.fetch(new Request(url, init)),
    }),
  };
  await durableObjectNonce(namespace)();
  await durableObjectNonce(namespace, undefined, { batch: 10 })();
  await durableObjectNonce(namespace, "default")();
  assert.deepEqual(names, ["default", "default", "default"]);
});

test("durableObjectNonce() with a batch: concurrent calls share one reservation at a time", async () => {
  const { namespace, trips } = slowNamespace(
    new NonceCounter(memoryState()),
    [],
  );
  const source = durableObjectNonce(namespace, "k", { batch: 100 });
  const once = await Promise.all(Array.from({ length: 50 }, () => source()));
  assert.equal(trips(), 1, "50 calls at once, one range");
  const more = await Promise.all(Array.from({ length: 250 }, () => source()));
  // 50 left in the first range, then two more ranges, one after the other.
  assert.equal(trips(), 3);
  const all = [...once, ...more].map(BigInt);
  assert.equal(new Set(all).size, 300);
  assert.ok(isIncreasing(all), "in the order the calls were made");
  // Each range is used up before the next: consecutive within a range.
  assert.equal(all[99] - all[0], 99n);
});

test("durableObjectNonce() with a batch: a reservation that never settles (its request ended, in a Worker) holds the other calls about a second, not forever", async () => {
  // The first round trip is cancelled with the request that made it: its
  // promise never settles.
  const { namespace, trips } = slowNamespace(
    new NonceCounter(memoryState()),
    ["never"],
  );
  const source = durableObjectNonce(namespace, "k", { batch: 100 });
  const started = performance.now();
  const stuck = source(); // starts the reservation that never settles
  const waiting = Array.from({ length: 5 }, () => source());
  const outcome = await within(Promise.all([stuck, ...waiting]), 5_000);
  assert.notEqual(outcome, "hung", "calls still waiting after 5 s");
  const nonces = (outcome as string[]).map(BigInt);
  assert.equal(new Set(nonces).size, 6);
  const ms = performance.now() - started;
  assert.ok(ms >= 990 && ms < 4_000, `took ${ms.toFixed(0)} ms`);
  // One new reservation for all six, not one each.
  assert.equal(trips(), 2);
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// A namespace over `counter` whose every round trip goes through `trip`,
// given the trip's number (from 0) and the call that reaches the object,
// and how many round trips were made.
function trippedNamespace(
  counter: NonceCounter,
  trip: (n: number, reach: () => Promise<Response>) => Promise<Response>,
): { namespace: DurableObjectNamespace<string>; trips: () => number } {
  let trips = 0;
  return {
    namespace: {
      idFromName: (name) => name,
      get: () => ({
        fetch: (url, init) =>
          trip(trips++, () => counter.fetch(new Request(url, init))),
      }),
    },
    trips: () => trips,
  };
}

// A namespace whose object answers the nth round trip (from 0) after
// delays[n] ms (0 past the list), the object itself answering at once: a
// late answer holds the range the object gave when asked. "never": the
// round trip never settles, and never reaches the object.
function slowNamespace(counter: NonceCounter, delays: (number | "never")[]) {
  return trippedNamespace(counter, async (n, reach) => {
    const delay = delays[n] ?? 0;
    if (delay === "never") return await new Promise<Response>(() => {});
    const answer = await reach();
    await sleep(delay);
    return answer;
  });
}

/**
 * A namespace over `counter` whose round trips go as the test lets them:
 * the nth (from 0) reaches the object once `reach(n)` is called if its step
 * is "reach", answers once `answer(n)` is called if it is "answer" (having
 * reached the object at once), never settles if it is "never", and goes on
 * at once otherwise. `reached(n)` settles once the nth has reached the
 * object; `trips()` counts the round trips made.
 */
function steppedNamespace(
  counter: NonceCounter,
  steps: Record<number, "reach" | "answer" | "never">,
) {
  const gates = new Map<string, { open: () => void; opened: Promise<void> }>();
  const gate = (name: string) => {
    let found = gates.get(name);
    if (found === undefined) {
      let open!: () => void;
      const opened = new Promise<void>((resolve) => (open = resolve));
      gates.set(name, found = { open, opened });
    }
    return found;
  };
  const { namespace, trips } = trippedNamespace(counter, async (n, reach) => {
    const step = steps[n];
    if (step === "never") return await new Promise<Response>(() => {});
    if (step === "reach") await gate(`reach ${n}`).opened;
    const answer = await reach();
    gate(`reached ${n}`).open();
    if (step === "answer") await gate(`answer ${n}`).opened;
    return answer;
  });
  return {
    namespace,
    trips,
    reach: (n: number) => gate(`reach ${n}`).open(),
    answer: (n: number) => gate(`answer ${n}`).open(),
    reached: (n: number) => gate(`reached ${n}`).opened,
  };
}

test("durableObjectNonce() with a batch: a reservation given up on that comes late fails no call, and its range is dropped", async () => {
  const counter = new NonceCounter(memoryState());
  // The first reservation gets its range from the object at once but
  // answers only when the test lets it, after the calls have given it up
  // and taken the second's; the next ones answer at once. The isolate's
  // clock and the calls' waits are the test's too: with real ones, on a busy
  // machine the second range could outlive its second before the later
  // calls drew from it.
  const late = steppedNamespace(counter, { 0: "answer" });
  const source = durableObjectNonce(late.namespace, "k", { batch: 100 });
  const realNow = Date.now;
  let now = realNow();
  Date.now = () => now;
  try {
    await withHeldTimers(100, async (fire) => {
      const first = source();
      now += 500;
      const second = source(); // joins the slow reservation
      // Both give it up at 1 s (their waits, fired here) and take the next.
      assert.equal(fire(), 2, "the calls' waits for the first reservation");
      const early = await within(Promise.all([first, second]), 5_000);
      assert.notEqual(early, "hung", "no nonce after 5 s");
      late.answer(0); // it comes late
      // Taken or dropped before any timer runs: nothing between its answer
      // and its range waits for one.
      await new Promise((resolve) => setTimeout(resolve, 20));
      const later = await Promise.all([source(), source()]);
      const all = [...early as string[], ...later].map(BigInt);
      // The two early calls gave up at the same moment, and either may draw
      // first; the later ones after both.
      assert.ok(
        isIncreasing([
          ...(early as string[]).map(BigInt).sort(),
          ...later.map(BigInt),
        ]),
      );
      // All from the second reservation's range, consecutive: the late
      // one's, lower, was dropped.
      assert.equal(new Set(all).size, 4);
      const sorted = all.sort((a, b) => (a < b ? -1 : 1));
      assert.equal(sorted[3] - sorted[0], 3n, String(sorted));
      assert.equal(late.trips(), 2);
    });
  } finally {
    Date.now = realNow;
  }
});
test("durableObjectNonce() with a batch: an object whose round trips take over a second still hands out nonces", async () => {
  const counter = new NonceCounter(memoryState());
  const { namespace } = slowNamespace(counter, new Array(20).fill(1_100));
  const source = durableObjectNonce(namespace, "k", { batch: 100 });
  const started = performance.now();
  const outcome = await within(Promise.all([source(), source()]), 6_000);
  assert.notEqual(outcome, "hung", "no nonce after 6 s");
  const nonces = (outcome as string[]).map(BigInt);
  assert.equal(new Set(nonces).size, 2);
  assert.ok(performance.now() - started < 6_000);
});

/**
 * A namespace whose nth round trip (from 0) answers with what the test
 * passes `answer(n, ...)`, and never before: a Response, or an error to
 * reject with. `trips()` counts the round trips made.
 */
function answeredNamespace() {
  const answers = new Map<number, (answer: Response | Error) => void>();
  let trips = 0;
  const namespace: DurableObjectNamespace<string> = {
    idFromName: (name) => name,
    get: () => ({
      fetch: () =>
        new Promise<Response>((resolve, reject) =>
          answers.set(
            trips++,
            (answer) =>
              answer instanceof Error ? reject(answer) : resolve(answer),
          )
        ),
    }),
  };
  return {
    namespace,
    trips: () => trips,
    answer: (n: number, answer: Response | Error) => answers.get(n)!(answer),
  };
}

// What a call came to: its nonce, or the error it failed with.
const outcomeOf = (call: Promise<string>) =>
  within(call.then((nonce) => nonce, (error: Error) => error), 5_000);

const notACounter = () =>
  new Response("Error: binding NONCE is not a NonceCounter", { status: 404 });

test("durableObjectNonce() with a batch: a reservation given up on that then fails fails the call with its error when it gives up on the next, and no more are made", async () => {
  const object = answeredNamespace();
  const source = durableObjectNonce(object.namespace, "k", { batch: 10 });
  await withHeldTimers(100, async (fire) => {
    const call = source();
    let settled = false;
    call.then(() => settled = true, () => settled = true);
    assert.equal(fire(), 1, "the call's wait for the first reservation");
    await reached(() => object.trips() === 2, "a second reservation");
    // The first answers now, late, with the object's error: the second has
    // its second to serve the call first.
    object.answer(0, notACounter());
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(settled, false, "failed before the second had its second");
    assert.equal(fire(), 1, "the call's wait for the second reservation");
    const outcome = await outcomeOf(call);
    assert.ok(outcome instanceof Error, String(outcome));
    assert.match(outcome.message, /answered 404: .*not a NonceCounter/);
    assert.equal(object.trips(), 2, "no reservation after the failure");
    assert.equal(fire(), 0, "no timer left");
  });
});

test("durableObjectNonce() with a batch: a reservation given up on that then fails fails no call that the next one serves", async () => {
  const object = answeredNamespace();
  const source = durableObjectNonce(object.namespace, "k", { batch: 10 });
  await withHeldTimers(100, async (fire) => {
    const calls = [source(), source()];
    assert.equal(fire(), 2, "the calls' waits for the first reservation");
    await reached(() => object.trips() === 2, "a second reservation");
    object.answer(0, new Error("Network connection lost."));
    object.answer(1, Response.json({ first: "500", last: "509" }));
    const outcomes = await Promise.all(calls.map(outcomeOf));
    assert.deepEqual(outcomes.sort(), ["500", "501"]);
    assert.equal(object.trips(), 2);
  });
});

test("durableObjectNonce() with a batch: the client's call on an object that answers its error after over a second fails on that error, in two round trips, not a timeout", async () => {
  let trips = 0;
  const namespace: DurableObjectNamespace = {
    idFromName: (name) => name,
    get: () => ({
      fetch: async () => {
        trips++;
        await sleep(1_100);
        return notACounter();
      },
    }),
  };
  const client = new EmbedClient({
    apiKey: API_KEY,
    apiSecret: SECRET,
    maxRetries: 0,
    timeoutMs: 5_000,
    nonce: durableObjectNonce(namespace, "k", { batch: 10 }),
    fetch: () => Promise.resolve(Response.json({ result: "success" })),
  });
  await assert.rejects(
    client.users.update(USER, { language: "en" }),
    (error) => {
      assert.ok(error instanceof EmbedConfigError, String(error));
      assert.equal(error.field, "nonce");
      assert.match(
        String((error.cause as Error).message),
        /answered 404: .*not a NonceCounter/,
      );
      return true;
    },
  );
  assert.equal(trips, 2);
  // The second round trip ends before the test does.
  await sleep(1_200);
  assert.equal(trips, 2, "no reservation after the call failed");
});

test("durableObjectNonce() with a batch: a call stops reserving after three reservations that did not answer within their second", async () => {
  const object = answeredNamespace();
  const source = durableObjectNonce(object.namespace, "k", { batch: 10 });
  await withHeldTimers(100, async (fire) => {
    const call = source();
    for (let trip = 1; trip <= 3; trip++) {
      await reached(() => object.trips() === trip, `reservation ${trip}`);
      assert.equal(fire(), 1, `the call's wait for reservation ${trip}`);
    }
    const outcome = await outcomeOf(call);
    assert.ok(outcome instanceof Error, String(outcome));
    assert.match(outcome.message, /did not answer 3 reservations/);
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(object.trips(), 3, "no fourth reservation");
    assert.equal(fire(), 0, "no timer left");
    // A later call starts afresh, and is served.
    const later = source();
    await reached(() => object.trips() === 4, "a later call's reservation");
    object.answer(3, Response.json({ first: "700", last: "709" }));
    assert.equal(await outcomeOf(later), "700");
  });
});

test("durableObjectNonce() with a batch: reservations answered late count for nothing against a call, which waits on behind the others for a range of its own", async () => {
  // A slow but working object under a burst: each reservation answers after
  // the calls gave it up, and its two nonces go to two of the six calls;
  // the last two give up on three reservations before theirs comes.
  const object = answeredNamespace();
  const source = durableObjectNonce(object.namespace, "k", { batch: 2 });
  await withHeldTimers(100, async (fire) => {
    const calls = Array.from({ length: 6 }, () => outcomeOf(source()));
    for (let trip = 1; trip <= 3; trip++) {
      await reached(() => object.trips() === trip, `reservation ${trip}`);
      assert.ok(fire() > 0, `the waits for reservation ${trip}`);
      await reached(() => object.trips() === trip + 1, `after ${trip}`);
      // Late: after the calls gave it up and started the next.
      const first = 100 + 2 * trip;
      object.answer(
        trip - 1,
        Response.json({ first: String(first), last: String(first + 1) }),
      );
    }
    const outcomes = await Promise.all(calls);
    assert.ok(
      outcomes.every((outcome) => typeof outcome === "string"),
      outcomes.join(", "),
    );
    assert.equal(new Set(outcomes).size, 6);
  });
});

test("durableObjectNonce() with a batch: a call still waiting 30 s after it began fails, answered late or not, rather than take ranges on for a caller that has gone", async () => {
  const object = answeredNamespace();
  const source = durableObjectNonce(object.namespace, "k", { batch: 2 });
  const realNow = Date.now;
  await withHeldTimers(100, async (fire) => {
    try {
      let settled = 0;
      const calls = Array.from(
        { length: 3 },
        () => outcomeOf(source().finally(() => settled++)),
      );
      await reached(() => object.trips() === 1, "reservation 1");
      assert.ok(fire() > 0, "the waits for reservation 1");
      await reached(() => object.trips() === 2, "reservation 2");
      // Late: two of the calls take its range; the third waits on.
      object.answer(0, Response.json({ first: "10", last: "11" }));
      await reached(() => settled === 2, "two calls served");
      const begun = realNow();
      Date.now = () => begun + 30_000;
      assert.ok(fire() > 0, "the wait for reservation 2");
      const outcomes = await Promise.all(calls);
      const served = outcomes.filter((o) => typeof o === "string");
      const failed = outcomes.filter((o) => o instanceof Error);
      assert.deepEqual(served.sort(), ["10", "11"]);
      assert.equal(failed.length, 1);
      assert.match(
        (failed[0] as Error).message,
        /^No nonce within 30 s: ranges of 2 came slower than this isolate's calls took them/,
      );
      await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal(object.trips(), 2, "no third reservation");
    } finally {
      Date.now = realNow;
    }
  });
});

test("durableObjectNonce() with a batch: a late range wakes the calls waiting for the reservation after it", async () => {
  const counter = new NonceCounter(memoryState());
  // The first reservation comes when the test lets it, after the calls gave
  // it up and started a second, which never comes. The calls' waits fire
  // when the test fires them: the first reservation's only, so that a call
  // waiting out the second instead never ends. (Timed, that took 2 s against
  // a bound of 1.95 s, which a busy machine could pass as well.)
  const late = steppedNamespace(counter, {
    0: "answer",
    1: "never",
    2: "never",
  });
  const source = durableObjectNonce(late.namespace, "k", { batch: 100 });
  await withHeldTimers(100, async (fire) => {
    const calls = Promise.all([source(), source()]);
    assert.equal(fire(), 2, "the calls' waits for the first reservation");
    await reached(() => late.trips() === 2, "a second trip", 5_000);
    late.answer(0);
    const outcome = await within(calls, 5_000);
    assert.notEqual(outcome, "hung", "the calls still wait for the second");
    const [a, b] = (outcome as string[]).map(BigInt).sort((x, y) =>
      x < y ? -1 : 1
    );
    assert.equal(b, a + 1n, "both from the late range");
  });
});
test("durableObjectNonce() with a batch: a range past its lifetime does not keep a slow object's late ranges out", async () => {
  const counter = new NonceCounter(memoryState());
  // The first round trip at once, every later one 1.1 s: each reservation
  // comes after the calls gave up on it.
  const { namespace } = slowNamespace(counter, [
    0,
    ...new Array(20).fill(1_100),
  ]);
  const source = durableObjectNonce(namespace, "k", { batch: 100 });
  const realNow = Date.now;
  const first = BigInt(await source());
  // A second and a half later, what is left of the first range has expired.
  Date.now = () => realNow() + 1_500;
  try {
    const outcome = await within(source(), 4_000);
    assert.notEqual(outcome, "hung", "no nonce after 4 s");
    assert.ok(BigInt(outcome) > first + 99n, `${outcome} is from a new range`);
  } finally {
    Date.now = realNow;
  }
});

/**
 * A namespace over `counter` whose first reservation reaches it only once
 * `letThrough()` is called, and the ones after it at once; `trips()` counts
 * the reservations made.
 */
function gatedNamespace(counter: NonceCounter) {
  let letThrough = () => {};
  const gate = new Promise<void>((resolve) => (letThrough = resolve));
  const { namespace, trips } = trippedNamespace(counter, async (n, reach) => {
    if (n === 0) await gate;
    return await reach();
  });
  return { namespace, letThrough: () => letThrough(), trips };
}

test("durableObjectNonce() with a batch: a late range is taken in place of an expired one no call has looked at yet", async () => {
  const { namespace, letThrough, trips } = gatedNamespace(
    new NonceCounter(memoryState()),
  );
  const source = durableObjectNonce(namespace, "k", { batch: 100 });
  // The first call gives the first reservation up after a second and takes
  // its nonce from the second one.
  const first = BigInt(await source());
  assert.equal(trips(), 2);
  const realNow = Date.now;
  Date.now = () => realNow() + 1_500;
  try {
    // That range has expired, unseen; the first reservation comes now, late,
    // with a range above it.
    letThrough();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = BigInt(await source());
    assert.ok(second > first, `${second} after ${first}`);
    assert.equal(trips(), 2, "no third round trip: the late range was taken");
  } finally {
    Date.now = realNow;
  }
});

test("durableObjectNonce() with a batch: a reservation answered below a late range is dropped, and its callers draw again", async () => {
  const counter = new NonceCounter(memoryState());
  // The first reservation reaches the object only after the second, which
  // the calls start when they give the first up, and so gets the higher
  // range; the second answers last. Later ones at once. Each step is the
  // test's, in that order: with delays of 1.1 s and 0.3 s against the 1 s
  // wait, a busy machine once let the first reach the object first.
  const trip = steppedNamespace(counter, { 0: "reach", 1: "answer" });
  // Three calls, two nonces a range: the third waits for the second
  // reservation, which comes below the nonces the late range gave.
  const source = durableObjectNonce(trip.namespace, "k", { batch: 2 });
  await withHeldTimers(100, async (fire) => {
    let served = 0;
    const calls = [source(), source(), source()];
    for (const call of calls) call.then(() => served++, () => {});
    assert.equal(fire(), 3, "the calls' waits for the first reservation");
    const second = await within(trip.reached(1), 5_000);
    assert.notEqual(second, "hung", "no second reservation");
    trip.reach(0);
    await reached(
      () => served === 2,
      "a call served from the late range",
      5_000,
    );
    trip.answer(1);
    const outcome = await within(Promise.allSettled(calls), 5_000);
    assert.notEqual(outcome, "hung", "no nonce after 5 s");
    const settled = outcome as PromiseSettledResult<string>[];
    const nonces = settled.map((result) => {
      assert.equal(
        result.status,
        "fulfilled",
        String((result as PromiseRejectedResult).reason),
      );
      return BigInt((result as PromiseFulfilledResult<string>).value);
    });
    assert.equal(new Set(nonces).size, 3);
    assert.equal(trip.trips(), 3, "the third call reserved again");
  });
});
test("durableObjectNonce() with a batch drops its range when the clock goes back", async () => {
  const counter = new NonceCounter(memoryState());
  const namespace = namespaceOf(counter);
  const source = durableObjectNonce(namespace, "k", { batch: 100 });
  const realNow = Date.now;
  let now = realNow();
  Date.now = () => now;
  try {
    const a = BigInt(await source());
    assert.equal(BigInt(await source()), a + 1n);
    // The isolate's clock steps back 5 s: its range's age cannot be told,
    // so the range is dropped and a fresh one reserved.
    now -= 5_000;
    const b = BigInt(await source());
    assert.ok(b >= a + 100n, `${b} is from a new range (first was ${a})`);
    assert.equal(BigInt(await source()), b + 1n);
  } finally {
    Date.now = realNow;
  }
});

test("counterNonce()'s errors name the counter's own values, not the nonces", async () => {
  // A "counter" that does not move, under the default offset of 2^53.
  const stuck = counterNonce(() => 7);
  assert.equal(await stuck(), String(OFFSET + 7n));
  await assert.rejects(stuck(), (error) => {
    assert.ok(error instanceof EmbedConfigError);
    assert.equal(
      error.message,
      "nonce: The counter returned 7 after 7 to the same caller; is the increment atomic?",
    );
    return true;
  });
  await assert.rejects(counterNonce(() => -1)(), (error) => {
    assert.ok(error instanceof EmbedConfigError);
    assert.match(error.message, /other than a non-negative integer/);
    return true;
  });
});

test("counterNonce() says a number past 2^53 - 1 is not exact only of one that is: a negative integer gets no such hint", async () => {
  // A negative count is refused for its sign, however large: returning it
  // as a string or a bigint would not help.
  for (const value of [-1, -(2 ** 53), -(2 ** 60)]) {
    await assert.rejects(
      counterNonce(() => value)(),
      (error) =>
        error instanceof EmbedConfigError && error.field === "nonce" &&
        error.message ===
          "nonce: The counter returned something other than a non-negative integer (a bigint, safe integer or decimal string)",
      String(value),
    );
  }
});

test("counterNonce() issues 2^64 - 1 itself, from the counter or the offset", async () => {
  const max = (1n << 64n) - 1n;
  assert.equal(
    await counterNonce(() => max, { offset: 0 })(),
    "18446744073709551615",
  );
  assert.equal(
    await counterNonce(() => "18446744073709551615", { offset: 0 })(),
    "18446744073709551615",
  );
  assert.equal(
    await counterNonce(() => 0, { offset: max })(),
    "18446744073709551615",
  );
  assert.equal(
    await counterNonce(() => 0, { offset: "18446744073709551615" })(),
    "18446744073709551615",
  );
});

test("counterNonce()'s refusal of a nonce past 2^64 - 1 is on nonce, and names the offset and the counter's own value", async () => {
  await assert.rejects(
    counterNonce(() => 2n, { offset: (1n << 64n) - 2n })(),
    (error) => {
      assert.ok(error instanceof EmbedConfigError);
      assert.equal(error.field, "nonce");
      assert.equal(
        error.message,
        "nonce: offset + counter passes 2^64 - 1 (offset 18446744073709551614, counter 2)",
      );
      return true;
    },
  );
});

test("counterNonce() says a counter value past 2^64 - 1 passes it, as a bigint, a decimal string or a number", async () => {
  for (
    const [value, quoted] of [
      [1n << 64n, "18446744073709551616"],
      ["18446744073709551616", "18446744073709551616"],
      ["1" + "0".repeat(30), "1" + "0".repeat(30)],
      // Cut, and said to be.
      ["1" + "0".repeat(60), "1" + "0".repeat(39) + "..."],
      // Not quoted: String() gives 18446744073709552000, not its value.
      [2 ** 64, "a number of 2^64 or more"],
    ] as const
  ) {
    await assert.rejects(
      counterNonce(() => value, { offset: 0 })(),
      (error) =>
        error instanceof EmbedConfigError && error.field === "nonce" &&
        error.message ===
          `nonce: The counter passes 2^64 - 1 (counter ${quoted})`,
      String(value),
    );
  }
  // Not decimal, or with a leading zero: still not an integer it reads.
  for (const value of ["018446744073709551616", " 18446744073709551616"]) {
    await assert.rejects(
      counterNonce(() => value, { offset: 0 })(),
      /other than a non-negative integer/,
      value,
    );
  }
});

test("durableObjectNonce() with a batch hands its range out for less than a second: at 1,000 ms it draws another", async () => {
  let reserved = 0;
  let next = 1n;
  const namespace: DurableObjectNamespace = {
    idFromName: (name) => name,
    get: () => ({
      fetch: (url: string) => {
        reserved++;
        const count = BigInt(new URL(url).searchParams.get("count")!);
        const first = next;
        next += count;
        return Promise.resolve(
          Response.json({ first: String(first), last: String(next - 1n) }),
        );
      },
    }),
  };
  const draw = durableObjectNonce(namespace, "k", { batch: 10 });
  const realNow = Date.now;
  let now = 1_700_000_000_000;
  Date.now = () => now;
  try {
    assert.equal(await draw(), "1");
    now += 999;
    assert.equal(await draw(), "2");
    assert.equal(reserved, 1);
    // 1,000 ms after the range arrived: the rest of it is dropped.
    now += 1;
    assert.equal(await draw(), "11");
    assert.equal(reserved, 2);
  } finally {
    Date.now = realNow;
  }
});

test("durableObjectNonce() takes only a 200 answer from the object", async () => {
  for (const status of [201, 202, 203, 299]) {
    const namespace: DurableObjectNamespace = {
      idFromName: (name) => name,
      get: () => ({
        fetch: () =>
          Promise.resolve(Response.json({ first: "5", last: "5" }, { status })),
      }),
    };
    await assert.rejects(
      durableObjectNonce(namespace)(),
      new RegExp(`The nonce counter answered ${status}: `),
      String(status),
    );
  }
});

test("durableObjectNonce()'s refusal of an object's answer quotes the first 200 characters of its body", async () => {
  const body = `${"a".repeat(199)}|${"b".repeat(300)}`;
  const namespace: DurableObjectNamespace = {
    idFromName: (name) => name,
    get: () => ({
      fetch: () => Promise.resolve(new Response(body, { status: 503 })),
    }),
  };
  await assert.rejects(durableObjectNonce(namespace)(), (error) => {
    assert.equal(
      (error as Error).message,
      `The nonce counter answered 503: ${"a".repeat(199)}|`,
    );
    return true;
  });
});

test("NonceCounter answers only once the last nonce it issued is stored", async () => {
  const data = new Map<string, unknown>();
  let store = () => {};
  const counter = new NonceCounter({
    storage: {
      get: <T>(key: string) => Promise.resolve(data.get(key) as T | undefined),
      put: <T>(key: string, value: T) =>
        new Promise<void>((resolve) => {
          store = () => {
            data.set(key, value);
            resolve();
          };
        }),
    },
    blockConcurrencyWhile: (callback) => callback(),
  });
  let answered = false;
  const answer = reserve(counter, "?count=5").then((result) => {
    answered = true;
    return result;
  });
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(answered, false, "answered before the put completed");
  store();
  const { status, body } = await answer;
  assert.equal(status, 200);
  assert.equal(data.get("last"), body.last);
});

test("NonceCounter refuses every method but POST with 405", async () => {
  const counter = new NonceCounter(memoryState());
  for (const method of ["GET", "HEAD", "PUT", "PATCH", "DELETE", "OPTIONS"]) {
    const response = await counter.fetch(
      new Request("https://nonce/?count=1", { method }),
    );
    assert.equal(response.status, 405, method);
  }
});

test("NonceCounter takes ?count= only as plain decimal digits, not any text Number() reads", async () => {
  const counter = new NonceCounter(memoryState());
  // Each is a whole number to Number(), but not the digits the protocol has.
  for (
    const query of ["?count=1e3", "?count=2.0", "?count=5%20", "?count=10x"]
  ) {
    const { status, body } = await reserve(counter, query);
    assert.equal(status, 400, query);
    assert.match(body.error[0], /count/);
  }
});

test("counterNonce() and durableObjectNonce() name the options they take when given no plain object", () => {
  const namespace = namespaceOf(new NonceCounter(memoryState()));
  assert.throws(
    () => counterNonce(() => 1, [] as never),
    (error) =>
      error instanceof EmbedConfigError && error.field === "options" &&
      error.message.includes("Expected a plain object { offset? }"),
  );
  assert.throws(
    () => durableObjectNonce(namespace, "k", new Map() as never),
    (error) =>
      error instanceof EmbedConfigError && error.field === "options" &&
      error.message.includes("Expected a plain object { batch?, floor? }"),
  );
});

test("counterNonce() issues 0 itself, and reads a counter's 0 as a value like any other", async () => {
  // 0 is an unsigned 64-bit integer: with offset 0, a counter starting at 0
  // gives nonce "0" first.
  let counter = 0n;
  const fromZero = counterNonce(() => counter++, { offset: 0 });
  assert.deepEqual(
    [await fromZero(), await fromZero(), await fromZero()],
    ["0", "1", "2"],
  );
  // A store flushed back to 0 (a SQL sequence starting at 0): its 0 is
  // one more draw below the last nonce, not an increment that repeated.
  let flushed = false;
  counter = 0n;
  const next = counterNonce(
    () => (flushed ? counter++ : 5_000n),
    { offset: 0 },
  );
  assert.equal(await next(), "5000");
  flushed = true;
  await assert.rejects(
    next(),
    /stayed below the last nonce issued for 1000 draws/,
  );
  assert.equal(counter, 1000n);
});

test("NonceCounter's answers take no statusText or headers from Object.prototype either", async () => {
  const counter = new NonceCounter(memoryState());
  await polluted(
    {
      status: 429,
      statusText: "Too Many Requests",
      headers: { "x-polluted": "1" },
    },
    async () => {
      const response = await counter.fetch(
        new Request("https://nonce/", { method: "POST" }),
      );
      assert.equal(response.status, 200);
      assert.equal(response.statusText, "");
      assert.equal(response.headers.get("x-polluted"), null);
      await response.body?.cancel();
    },
  );
});

test("durableObjectNonce() refuses an object that moves but stays below what it issued, after 1,000 draws", async () => {
  let reserved = 0;
  let flushed = false;
  const namespace: DurableObjectNamespace = {
    idFromName: (name) => name,
    get: () => ({
      fetch: () => {
        reserved++;
        const value = String(flushed ? reserved : 5_000);
        return Promise.resolve(Response.json({ first: value, last: value }));
      },
    }),
  };
  const next = durableObjectNonce(namespace);
  assert.equal(await next(), "5000");
  flushed = true;
  reserved = 0;
  await assert.rejects(
    next(),
    /ranges stayed below the last nonce issued for 1000 draws in a row/,
  );
  assert.equal(reserved, 1000);
});

test("durableObjectNonce() takes a range only with both ends as decimal strings", async () => {
  const answering = (body: string): DurableObjectNamespace => ({
    idFromName: (name) => name,
    get: () => ({ fetch: () => Promise.resolve(new Response(body)) }),
  });
  for (const body of ['{"first":1,"last":"1"}', '{"first":"1","last":1}']) {
    await assert.rejects(
      durableObjectNonce(answering(body))(),
      /unexpected body/,
      body,
    );
  }
});

test("durableObjectNonce() hands out an object's 0 as a nonce like any other, one at a time or in a batch", async () => {
  // 0 is an unsigned 64-bit integer, as counterNonce() issues it too.
  const counting = (batch: number): DurableObjectNamespace => {
    let next = 0;
    return {
      idFromName: (name) => name,
      get: () => ({
        fetch: () => {
          const first = next;
          next += batch;
          return Promise.resolve(
            Response.json({
              first: String(first),
              last: String(first + batch - 1),
            }),
          );
        },
      }),
    };
  };
  const single = durableObjectNonce(counting(1));
  assert.deepEqual([await single(), await single()], ["0", "1"]);
  const batched = durableObjectNonce(counting(2), "k", { batch: 2 });
  assert.deepEqual([await batched(), await batched()], ["0", "1"]);
});

/**
 * Makes `Date.now()` run with the real clock, `ms` ahead of it (set `ms` to
 * move it); `started` is the `performance.now()` it started at, and
 * `restore()` puts the real `Date.now` back.
 */
function shiftedClock() {
  const realNow = Date.now;
  const base = realNow();
  const clock = {
    ms: 0,
    started: performance.now(),
    restore: () => {
      Date.now = realNow;
    },
  };
  Date.now = () => base + clock.ms + (performance.now() - clock.started);
  return clock;
}

test("durableObjectNonce() with a batch: a call that joins a reservation late waits out what is left of its second, not a second of its own", async () => {
  // In a Worker, the call that started a reservation may be gone (its
  // request ended, its timer stopped): a call that joined 900 ms in must
  // give up 100 ms later by its own timer, not 1 s later.
  const { namespace, trips } = slowNamespace(
    new NonceCounter(memoryState()),
    ["never"],
  );
  const source = durableObjectNonce(namespace, "k", { batch: 100 });
  const clock = shiftedClock();
  try {
    // The waits of 500 ms or more never fire here: the call that started
    // the reservation (which waits a second) ends only when the other's
    // wait of about 100 ms ends. Timed instead (within 800 ms), a busy
    // machine could stall past the bound.
    await withHeldTimers(500, async () => {
      const a = source(); // starts the reservation that never settles
      clock.ms = 900; // 900 ms later, by the isolate's clock
      const b = source();
      const outcome = await within(Promise.all([a, b]), 5_000);
      assert.notEqual(
        outcome,
        "hung",
        "the calls waited a second of their own",
      );
    });
    assert.equal(trips(), 2);
  } finally {
    clock.restore();
  }
});

test("durableObjectNonce() with a batch: a reservation given up on that then fails fails no call still waiting on it", async () => {
  // The first reservation fails 1.1 s after it started; the second, which
  // the first call starts when it gives up at 1 s, answers at 1.5 s.
  const counter = new NonceCounter(memoryState());
  const { namespace, trips } = trippedNamespace(counter, async (n, reach) => {
    if (n === 0) {
      await sleep(1_100);
      return new Response("boom", { status: 500 });
    }
    const answer = await reach();
    await sleep(400);
    return answer;
  });
  const source = durableObjectNonce(namespace, "k", { batch: 100 });
  const clock = shiftedClock();
  try {
    const a = source(); // starts the first reservation; gives it up at 1 s
    // A call that joins it by a clock 5 s behind still waits on it when it
    // fails: that failure was given up on, and is no one's.
    clock.ms = -5_000;
    const b = source();
    const outcome = await within(Promise.allSettled([a, b]), 5_000);
    assert.notEqual(outcome, "hung");
    for (const result of outcome as PromiseSettledResult<string>[]) {
      assert.equal(
        result.status,
        "fulfilled",
        String((result as PromiseRejectedResult).reason),
      );
    }
    assert.equal(trips(), 2);
  } finally {
    clock.restore();
  }
});

test("durableObjectNonce() with a batch drops a late range, however high, while it still holds one to hand out", async () => {
  const { namespace, letThrough, trips } = gatedNamespace(
    new NonceCounter(memoryState()),
  );
  const source = durableObjectNonce(namespace, "k", { batch: 100 });
  // Given up on at 1 s: the nonce is the second reservation's first.
  const first = BigInt(await source());
  // The first comes now, with a range above the one held: not taken, so
  // the isolate holds one range at a time and uses it up in order.
  letThrough();
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(BigInt(await source()), first + 1n);
  assert.equal(trips(), 2);
});

test("durableObjectNonce() with a batch drops a late range below the nonces it issued, even when it holds no range to hand out", async () => {
  const counter = new NonceCounter(memoryState());
  // The first reservation's range is issued at once but comes 1.3 s later:
  // the call gives it up at 1 s and takes the second reservation's range,
  // which two calls use up before the first comes.
  const { namespace, trips } = slowNamespace(counter, [1_300]);
  const source = durableObjectNonce(namespace, "k", { batch: 2 });
  const a = BigInt(await source());
  const b = BigInt(await source());
  await new Promise((resolve) => setTimeout(resolve, 500)); // it comes, lower
  const c = BigInt(await source());
  assert.ok(isIncreasing([a, b, c]), `${a}, ${b}, ${c}`);
  assert.equal(trips(), 3, "the late range was dropped and a third reserved");
});

test("durableObjectNonce() with a batch drops a late range that starts at the last nonce it issued, even when it holds no range to hand out", async () => {
  // An object that reissued a nonce: the first reservation's range, given
  // up on and answered last, starts at the last nonce the second's gave.
  const ranges = [[11, 12], [10, 11], [20, 21]];
  let trips = 0;
  let answerLate = () => {};
  const late = new Promise<void>((resolve) => (answerLate = resolve));
  const namespace: DurableObjectNamespace = {
    idFromName: (name) => name,
    get: () => ({
      fetch: async () => {
        const n = trips++;
        if (n === 0) await late;
        const [first, last] = ranges[n];
        return Response.json({ first: String(first), last: String(last) });
      },
    }),
  };
  const source = durableObjectNonce(namespace, "k", { batch: 2 });
  await withHeldTimers(100, async (fire) => {
    const calls = [source(), source()];
    assert.equal(fire(), 2, "the calls' waits for the first reservation");
    const early = await within(Promise.all(calls), 5_000);
    assert.notEqual(early, "hung", "no nonce after 5 s");
    assert.deepEqual([...early as string[]].sort(), ["10", "11"]);
    answerLate();
    // Taken or dropped before any timer runs: nothing between its answer
    // and its range waits for one.
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(await source(), "20");
    assert.equal(trips, 3, "the late range was dropped and a third reserved");
  });
});

test("durableObjectNonce() with a batch clears the wait timers of the calls it served", async () => {
  // A timer left behind keeps a Node or Deno process alive for up to a
  // second, and in a Worker belongs to the request.
  const source = durableObjectNonce(
    namespaceOf(new NonceCounter(memoryState())),
    "k",
    { batch: 100 },
  );
  await withTimers(async (timers) => {
    const nonces = await Promise.all(Array.from({ length: 20 }, source));
    assert.equal(new Set(nonces).size, 20);
    assert.equal(timers.pending(), 0, "wait timers still pending");
  });
});
