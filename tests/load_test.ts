// runtimes: deno — reason: runs the client in a Deno child process started with --v8-flags=--expose-gc, to measure its heap after garbage collection
// Load: one API key, 100 users, 10,000 updates with 200 in flight at once,
// against the emulator over loopback HTTP (node:http around emulator.fetch,
// here) from an EmbedClient in a child process (tests/_load_child.ts). Each
// user has two update chains writing disjoint fields, each chain one update
// at a time, so every user's final stored state is well defined: the last
// acknowledged write of each chain. Then the same load through a nonce
// window of 0, once with maxConcurrency: 1 (no invalid nonce) and once
// without it (invalid nonces, each retried once by the client): the control
// that shows this test can fail.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { createEmulator, type Emulator } from "@kraken-embed/client/emulator";
import { API_KEY, SECRET } from "./_fake_fetch.ts";
import { serveFetch } from "./_serve.ts";
import type { LoadConfig, LoadReport } from "./_load_child.ts";

const CHILD = new URL("./_load_child.ts", import.meta.url).pathname;
const CONFIG = new URL("../deno.json", import.meta.url).pathname;
const USERS = Array.from(
  { length: 100 },
  (_, i) => `AA95 N84G LOAD ${String(i).padStart(4, "0")}`,
);
const UPDATES = 10_000;
const IN_FLIGHT = USERS.length * 2;
// Wide enough for any reordering between signing and the emulator's check
// (measured below, and reported), in microseconds: the client's nonce unit.
const NONCE_WINDOW_US = 5_000_000;
const HEAP_LIMIT_MB = 10;
const started = performance.now();
const summaries: string[] = [];

after(() => {
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`summary: load: ${summaries.join("; ")} (${seconds} s)`);
});

/** What the server side saw: every request, before and after the emulator judged it. */
interface ServerStats {
  requests: number;
  invalidNonces: number;
  otherRefusals: Record<string, number>;
  duplicateNonces: number;
  /** How far below the highest nonce seen so far a nonce arrived, in µs. */
  maxReorderUs: bigint;
}

async function serveEmulator(emulator: Emulator) {
  const stats: ServerStats = {
    requests: 0,
    invalidNonces: 0,
    otherRefusals: {},
    duplicateNonces: 0,
    maxReorderUs: 0n,
  };
  const seen = new Set<string>();
  let highest = 0n;
  const served = await serveFetch(async (request) => {
    stats.requests++;
    const text = request.headers.get("api-nonce") ?? "";
    if (seen.has(text)) stats.duplicateNonces++;
    seen.add(text);
    const nonce = BigInt(text);
    if (nonce > highest) highest = nonce;
    else if (highest - nonce > stats.maxReorderUs) {
      stats.maxReorderUs = highest - nonce;
    }
    const response = await emulator.fetch(request);
    if (response.status !== 200) {
      const { error } = await response.clone().json() as { error: string[] };
      if (response.status === 401 && error.includes("EAPI:Invalid nonce")) {
        stats.invalidNonces++;
      } else {
        const key = `${response.status} ${error}`;
        stats.otherRefusals[key] = (stats.otherRefusals[key] ?? 0) + 1;
      }
    }
    return response;
  });
  return { stats, served };
}

async function runChild(config: LoadConfig): Promise<LoadReport> {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--v8-flags=--expose-gc",
      "--config",
      CONFIG,
      CHILD,
      JSON.stringify(config),
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(code, 0, new TextDecoder().decode(stderr));
  return JSON.parse(new TextDecoder().decode(stdout));
}

/** Starts an emulator with the load's users, runs the child against it, stops it. */
async function load(
  options: { updates: number; nonceWindow: number; maxConcurrency?: number },
) {
  const emulator = createEmulator({
    credentials: [{ apiKey: API_KEY, apiSecret: SECRET }],
    users: USERS.map((user) => ({ user })),
    nonceWindow: options.nonceWindow,
  });
  const { stats, served } = await serveEmulator(emulator);
  try {
    const report = await runChild({
      baseUrl: served.url,
      apiKey: API_KEY,
      apiSecret: SECRET,
      users: USERS,
      updates: options.updates,
      warmupPerChain: 1,
      maxConcurrency: options.maxConcurrency,
    });
    return { emulator, stats, report };
  } finally {
    await served.close();
  }
}

/** Every user's stored record holds the last acknowledged write of each of its chains. */
function assertFinalState(emulator: Emulator, report: LoadReport): void {
  for (const user of USERS) {
    const stored = emulator.users.get(user);
    assert.ok(stored, user);
    // A chain none of whose writes was acknowledged left its fields unset.
    const { a, b } = report.last[user] ?? {};
    assert.equal(stored.phone, a?.phone, `${user}: phone`);
    assert.equal(
      stored.tos_version_accepted,
      a?.tos_version_accepted,
      `${user}: tos_version_accepted`,
    );
    assert.deepEqual(stored.residence, b?.residence, `${user}: residence`);
  }
}

const mb = (bytes: number) => bytes / 1024 / 1024;

test(`${UPDATES} updates, ${USERS.length} users, ${IN_FLIGHT} in flight, one key, nonce window ${NONCE_WINDOW_US} µs: no invalid nonce, final states as acknowledged, heap flat`, async () => {
  const { emulator, stats, report } = await load({
    updates: UPDATES,
    nonceWindow: NONCE_WINDOW_US,
  });
  assert.equal(report.measuredUpdates, UPDATES);
  assert.equal(report.maxInFlight, IN_FLIGHT);
  assert.deepEqual(report.failures, {});
  assert.equal(report.acknowledged, report.updates);
  assert.equal(stats.invalidNonces, 0);
  assert.deepEqual(stats.otherRefusals, {});
  assert.equal(stats.duplicateNonces, 0);
  // No invalid nonce and no other failure: not a single retry was needed.
  assert.equal(stats.requests, report.updates);
  assert.ok(stats.maxReorderUs < BigInt(NONCE_WINDOW_US));
  assertFinalState(emulator, report);
  assert.ok(report.gcExposed, "the child could not collect garbage");
  const heapMb = mb(report.heapAfterBytes - report.heapBeforeBytes);
  assert.ok(heapMb < HEAP_LIMIT_MB, `heap grew by ${heapMb.toFixed(1)} MB`);
  summaries.push(
    `${report.measuredUpdates} updates, ${USERS.length} users, ${report.maxInFlight} in flight, ${stats.invalidNonces} invalid nonces, heap +${
      heapMb.toFixed(1)
    } MB, ${
      Math.round(report.measuredUpdates / report.seconds)
    } req/s (heap of the client's process after GC; nonces reordered by up to ${
      (Number(stats.maxReorderUs) / 1000).toFixed(1)
    } ms, window ${NONCE_WINDOW_US / 1_000_000} s)`,
  );
});

test(`maxConcurrency: 1 with nonce window 0: the same load, no invalid nonce`, async () => {
  const { emulator, stats, report } = await load({
    updates: UPDATES,
    nonceWindow: 0,
    maxConcurrency: 1,
  });
  assert.equal(report.measuredUpdates, UPDATES);
  assert.deepEqual(report.failures, {});
  assert.equal(stats.invalidNonces, 0);
  assert.deepEqual(stats.otherRefusals, {});
  assert.equal(stats.duplicateNonces, 0);
  assert.equal(stats.requests, report.updates);
  assert.equal(stats.maxReorderUs, 0n);
  assertFinalState(emulator, report);
  summaries.push(
    `maxConcurrency 1, window 0: ${report.measuredUpdates} updates, ${stats.invalidNonces} invalid nonces, ${
      Math.round(report.measuredUpdates / report.seconds)
    } req/s`,
  );
});

test("control: without maxConcurrency, nonce window 0 refuses reordered nonces, and the client retries each once", async () => {
  const updates = 2_000;
  const { emulator, stats, report } = await load({
    updates,
    nonceWindow: 0,
  });
  assert.equal(report.measuredUpdates, updates);
  assert.ok(stats.invalidNonces > 0, "no nonce arrived out of order");
  // Fewer than 10,000 requests: the emulator's log holds them all.
  const logged = emulator.log.filter((entry) =>
    entry.status === 401 && entry.errors.includes("EAPI:Invalid nonce")
  );
  assert.equal(logged.length, stats.invalidNonces);
  assert.equal(emulator.log.length, stats.requests);
  assert.equal(stats.duplicateNonces, 0);
  // Each update's first invalid-nonce answer is retried once, a second one
  // is reported: requests - updates = invalid answers - failed updates.
  const failed = report.updates - report.acknowledged;
  assert.equal(stats.requests - report.updates, stats.invalidNonces - failed);
  for (const key of Object.keys(report.failures)) {
    assert.equal(key, "ERR_EMBED_API 401 EAPI:Invalid nonce");
  }
  // A refused update changed nothing: the stored state is still the last
  // acknowledged write of each chain.
  assertFinalState(emulator, report);
  summaries.push(
    `control without maxConcurrency, window 0: ${updates} updates, ${stats.invalidNonces} invalid nonces, ${
      stats.invalidNonces - failed
    } retried into success, ${failed} failed`,
  );
});
