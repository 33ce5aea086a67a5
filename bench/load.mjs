// Heap and concurrency checks of users.update against the canned fetch, for
// Deno (the source) and Node (npm/esm):
//
//   node --expose-gc --no-flush-bytecode bench/load.mjs
//   deno run -A --config deno.json --v8-flags=--expose-gc,--no-flush-bytecode bench/load.mjs
//
// - heap: 100,000 updates (in waves of 100) grow the heap by less than 2 MB
//   (2,000,000 bytes of `heapUsed`) once garbage is collected. Without
//   --no-flush-bytecode, V8 throws away the bytecode of functions that have
//   not run for a while (the runtime's start-up code) between the two
//   measurements, which took 1.3 MB off the second in Node 24 and would hide
//   a leak of that size;
// - concurrency: 1,000 updates at once finish at least twice as fast as 1,000
//   one after the other (signing is not serialized); a client with
//   maxConcurrency: 1 is timed too, to show that it serializes them. The
//   floor of bench/_cases.mjs (the two crypto.subtle calls alone) is run the
//   same two ways, and so are the floor followed by the canned fetch, and
//   that after validating and serializing the patch (`least`: what every
//   update must do): what the runtime itself gains from concurrency on this
//   machine, for the work an update cannot skip, a reference for what the
//   client can (not a bound: timed apart, and without the client's work done
//   while WebCrypto's thread hashes). So is a bare client
//   (`bare`: the client without its timeout, retries and checks of the
//   answer), for what the client's own safety takes from the gain.
//
// With --json it prints the numbers for bench/run.mjs.
import process from "node:process";
import { cannedClient, createCases, FULL_PATCH, USER } from "./_cases.mjs";
import { isDeno, lib } from "./_lib.mjs";
import { allAtOnce, median, oneAtATime } from "./_timing.mjs";

const gc = /** @type {(() => void) | undefined} */ (globalThis.gc);
if (gc === undefined) {
  throw new Error(
    "gc() is not exposed: run node with --expose-gc, deno with --v8-flags=--expose-gc",
  );
}
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
async function heapAfterGc() {
  // Three times, with a turn of the event loop after each: what a collection
  // freed may release more (finalizers, timers' lists) on the next.
  for (let i = 0; i < 3; i++) {
    gc();
    await tick();
  }
  const { heapUsed, external } = process.memoryUsage();
  return { heapUsed, external };
}

const client = cannedClient(lib);
const update = () => client.users.update(USER, FULL_PATCH);

async function waves(total, width) {
  for (let done = 0; done < total; done += width) {
    await Promise.all(Array.from({ length: width }, update));
  }
}

// Heap: warm up first, so that JIT code, the imported key and the
// runtime's own lazily built state are in the baseline.
const UPDATES = 100_000;
await waves(5_000, 100);
const heapBefore = await heapAfterGc();
const started = performance.now();
await waves(UPDATES, 100);
const heapSeconds = (performance.now() - started) / 1000;
const heapAfter = await heapAfterGc();

// Concurrency: sequential and concurrent runs alternate, nine rounds. Each
// speedup is the median of the rounds' own ratios: a round's sequential and
// concurrent runs follow each other, so a slow minute on a shared machine
// lands on both rather than on one (the times are medians over rounds). Which
// of the two runs first alternates too: always first, the sequential runs
// took the machine's slow start after the benchmark before (in Deno, right
// after `deno bench`), which counts in the speedup's favour.
const N = 1_000;
const { a: floor, a_fetch: floorAndFetch, least, bare } = await createCases(
  lib,
);
const sequential = (call) => oneAtATime(call, N);
const concurrent = (call) => allAtOnce(call, N);
const serial = cannedClient(lib, { maxConcurrency: 1 });
const updateSerially = () => serial.users.update(USER, FULL_PATCH);
await concurrent(updateSerially);
await concurrent(floor);
await concurrent(floorAndFetch);
await concurrent(least);
await concurrent(bare);
const times = {
  sequential: [],
  concurrent: [],
  maxConcurrency1: [],
  floorSequential: [],
  floorConcurrent: [],
  floorAndFetchSequential: [],
  floorAndFetchConcurrent: [],
  leastSequential: [],
  leastConcurrent: [],
  bareSequential: [],
  bareConcurrent: [],
};
const ROUNDS = 9;
// `call` one at a time and all at once, the first of the two by the round.
async function pair(round, call, sequentialKey, concurrentKey) {
  const one = () =>
    sequential(call).then((ms) => times[sequentialKey].push(ms));
  const all = () =>
    concurrent(call).then((ms) => times[concurrentKey].push(ms));
  if (round % 2 === 0) {
    await one();
    await all();
  } else {
    await all();
    await one();
  }
}
for (let round = 0; round < ROUNDS; round++) {
  await pair(round, update, "sequential", "concurrent");
  times.maxConcurrency1.push(await concurrent(updateSerially));
  await pair(round, floor, "floorSequential", "floorConcurrent");
  await pair(
    round,
    floorAndFetch,
    "floorAndFetchSequential",
    "floorAndFetchConcurrent",
  );
  await pair(round, least, "leastSequential", "leastConcurrent");
  await pair(round, bare, "bareSequential", "bareConcurrent");
}
const speedup = (sequentialTimes, concurrentTimes) =>
  median(sequentialTimes.map((ms, round) => ms / concurrentTimes[round]));

const result = {
  runtime: isDeno ? `deno ${Deno.version.deno}` : `node ${process.version}`,
  heap: {
    updates: UPDATES,
    beforeBytes: heapBefore.heapUsed,
    afterBytes: heapAfter.heapUsed,
    growthBytes: heapAfter.heapUsed - heapBefore.heapUsed,
    // Off the heap (ArrayBuffers' contents and the like): shown, not judged.
    externalGrowthBytes: heapAfter.external - heapBefore.external,
    seconds: heapSeconds,
  },
  concurrency: {
    updates: N,
    sequentialMs: median(times.sequential),
    concurrentMs: median(times.concurrent),
    maxConcurrency1Ms: median(times.maxConcurrency1),
    floorSequentialMs: median(times.floorSequential),
    floorConcurrentMs: median(times.floorConcurrent),
    floorAndFetchSequentialMs: median(times.floorAndFetchSequential),
    floorAndFetchConcurrentMs: median(times.floorAndFetchConcurrent),
    leastSequentialMs: median(times.leastSequential),
    leastConcurrentMs: median(times.leastConcurrent),
    bareSequentialMs: median(times.bareSequential),
    bareConcurrentMs: median(times.bareConcurrent),
    rounds: ROUNDS,
    speedup: speedup(times.sequential, times.concurrent),
    floorSpeedup: speedup(times.floorSequential, times.floorConcurrent),
    floorAndFetchSpeedup: speedup(
      times.floorAndFetchSequential,
      times.floorAndFetchConcurrent,
    ),
    leastSpeedup: speedup(times.leastSequential, times.leastConcurrent),
    bareSpeedup: speedup(times.bareSequential, times.bareConcurrent),
  },
};

if (process.argv.includes("--json")) {
  console.log(JSON.stringify(result));
} else {
  const { heap, concurrency } = result;
  const mb = (bytes) => (bytes / 1e6).toFixed(2);
  console.log(
    `${result.runtime}: heap ${mb(heap.beforeBytes)} MB -> ${
      mb(heap.afterBytes)
    } MB after ${UPDATES.toLocaleString("en-US")} updates (${
      mb(heap.growthBytes)
    } MB, external ${mb(heap.externalGrowthBytes)} MB, ${
      heap.seconds.toFixed(1)
    } s)`,
  );
  console.log(
    `${N} updates: sequential ${concurrency.sequentialMs.toFixed(0)} ms, ` +
      `concurrent ${concurrency.concurrentMs.toFixed(0)} ms (${
        concurrency.speedup.toFixed(2)
      }x), maxConcurrency 1 ${
        concurrency.maxConcurrency1Ms.toFixed(0)
      } ms; the floor alone ${concurrency.floorSequentialMs.toFixed(0)} ms -> ${
        concurrency.floorConcurrentMs.toFixed(0)
      } ms; the floor then the canned fetch ${
        concurrency.floorAndFetchSequentialMs.toFixed(0)
      } ms -> ${
        concurrency.floorAndFetchConcurrentMs.toFixed(0)
      } ms; what every update must do ${
        concurrency.leastSequentialMs.toFixed(0)
      } ms -> ${concurrency.leastConcurrentMs.toFixed(0)} ms; a bare client ${
        concurrency.bareSequentialMs.toFixed(0)
      } ms -> ${concurrency.bareConcurrentMs.toFixed(0)} ms`,
  );
}
