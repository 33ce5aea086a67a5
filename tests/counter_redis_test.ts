// runtimes: deno — reason: starts redis-server and Deno child processes (Deno.execPath, Deno.Command, Deno.serve)
// counterNonce() over a real Redis INCR: a redis-server started here on a
// free loopback port, and several processes sharing one key.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { createClient } from "redis";
import {
  counterNonce,
  createNonceGenerator,
  EmbedClient,
} from "@kraken-embed/client";
import { createEmulator } from "@kraken-embed/client/emulator";
import { API_KEY, SECRET, USER } from "./_fake_fetch.ts";
import { assertIncreasing } from "./_increasing.ts";
import { freePort } from "./_ports.ts";

const CHILD = new URL("./_counter_child.ts", import.meta.url).pathname;
const CONFIG = new URL("../deno.json", import.meta.url).pathname;
const OFFSET = 1n << 53n;
const WINDOW = 10_000;
const started = performance.now();
const counts = { processes: 0, nonces: 0, inTurn: 0, atOnce: 0 };
let redis: ChildProcess | undefined;
let url = "";
let dir = "";

/** Starts redis-server on `port`; resolves once it accepts connections. */
function startRedis(port: number): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn("redis-server", [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      "--appendonly",
      "no",
      "--dir",
      dir,
    ], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`redis-server did not start in 10 s:\n${output}`));
    }, 10_000);
    const done = (error?: Error) => {
      clearTimeout(timer);
      child.stdout!.removeAllListeners("data");
      if (error) reject(error);
      else resolve(child);
    };
    child.once("error", (error: NodeJS.ErrnoException) => {
      done(
        error.code === "ENOENT"
          ? new Error(
            "redis-server is not installed: this test needs it (Debian/Ubuntu: apt-get install -y redis-server)",
          )
          : error,
      );
    });
    child.stdout!.on("data", (chunk) => {
      output += chunk;
      if (output.includes("Ready to accept connections")) done();
    });
    child.stderr!.on("data", (chunk) => (output += chunk));
    child.once(
      "exit",
      (code) => done(new Error(`redis-server exited with ${code}:\n${output}`)),
    );
  });
}

/** Runs tests/_counter_child.ts; resolves to the nonces it printed. */
async function child(
  args: string[],
): Promise<{ nonces: bigint[]; updates: bigint[] }> {
  counts.processes++;
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--config", CONFIG, CHILD, ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(code, 0, new TextDecoder().decode(stderr));
  const printed = JSON.parse(new TextDecoder().decode(stdout));
  return {
    nonces: (printed.nonces as string[]).map(BigInt),
    updates: (printed.updates as string[]).map(BigInt),
  };
}

before(async () => {
  dir = await Deno.makeTempDir({ prefix: "redis-nonce-" });
  // The port can be taken between the probe and the start: try a few.
  for (let tries = 1;; tries++) {
    const port = await freePort();
    try {
      redis = await startRedis(port);
      url = `redis://127.0.0.1:${port}`;
      return;
    } catch (error) {
      if (tries === 3 || /not installed/.test(String(error))) throw error;
    }
  }
});

after(async () => {
  if (redis && redis.exitCode === null) {
    const exited = new Promise((resolve) => redis!.once("exit", resolve));
    redis.kill("SIGTERM");
    await exited;
  }
  if (dir) await Deno.remove(dir, { recursive: true });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `summary: counterNonce over redis: ${counts.processes} processes, ${counts.nonces} nonces unique and increasing per process, ${counts.inTurn} updates in turn accepted with nonce window 0 after clock nonces, ${counts.atOnce} updates from 3 processes at once accepted within a window of ${WINDOW} (${seconds} s)`,
  );
});

test("three processes sharing one Redis key: unique nonces, increasing in each, and their updates accepted within a window", async () => {
  // A counter nonce steps by one per draw, so the window must cover the
  // draws all processes make while one request is in flight (here up to
  // everything the other processes draw meanwhile, a few hundred).
  const emulator = createEmulator({
    credentials: [{ apiKey: API_KEY, apiSecret: SECRET }],
    users: [{ user: USER }],
    nonceWindow: WINDOW,
  });
  const controller = new AbortController();
  const { promise: listening, resolve } = Promise.withResolvers<number>();
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    signal: controller.signal,
    onListen: ({ port }) => resolve(port),
  }, emulator.fetch);
  const baseUrl = `http://127.0.0.1:${await listening}`;
  let runs;
  try {
    runs = await Promise.all(
      [1, 2, 3].map(() => child(["redis", url, "k1", "200", "4", baseUrl])),
    );
  } finally {
    controller.abort();
    await server.finished;
  }
  const all = runs.flatMap((run) => [...run.nonces, ...run.updates]);
  counts.nonces += all.length;
  assert.equal(all.length, 1200);
  assert.equal(new Set(all).size, 1200);
  runs.forEach((run, i) => {
    assertIncreasing([...run.nonces, ...run.updates], `process ${i}`);
  });
  // The counter went 1..1200, so together they used exactly those values,
  // all far above the microsecond clock.
  const sorted = [...all].sort((a, b) => (a < b ? -1 : 1));
  assert.equal(sorted[0], OFFSET + 1n);
  assert.equal(sorted[1199], OFFSET + 1200n);
  assert.ok(sorted[0] > BigInt(Date.now()) * 1000n * 2n);
  assert.equal(emulator.log.length, 600);
  for (const entry of emulator.log) {
    assert.equal(entry.status, 200, JSON.stringify(entry));
  }
  counts.atOnce += emulator.log.length;
});

test("a key moves from clock nonces to the Redis counter with no Invalid nonce (window 0)", async () => {
  const emulator = createEmulator({
    credentials: [{ apiKey: API_KEY, apiSecret: SECRET }],
    users: [{ user: USER }],
    nonceWindow: 0,
  });
  const fetch = (input: string, init: RequestInit) =>
    emulator.fetch(new Request(input, init));
  const connection = await createClient({ url }).connect();
  try {
    const before = new EmbedClient({
      apiKey: API_KEY,
      apiSecret: SECRET,
      nonce: createNonceGenerator(),
      fetch,
    });
    await before.users.update(USER, { language: "en" });
    const shared = counterNonce(() => connection.incr("k2"));
    const clients = [1, 2, 3].map(() =>
      new EmbedClient({
        apiKey: API_KEY,
        apiSecret: SECRET,
        nonce: shared,
        fetch,
      })
    );
    for (let i = 0; i < 30; i++) {
      await clients[i % 3].users.update(USER, { language: "fr" });
    }
  } finally {
    await connection.close();
  }
  assert.equal(emulator.log.length, 31);
  assert.ok(emulator.log.every((entry) => entry.status === 200));
  counts.inTurn += emulator.log.length;
});
