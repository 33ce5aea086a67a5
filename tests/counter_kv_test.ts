// runtimes: deno — reason: Deno KV (Deno.openKv) and Deno child processes (Deno.execPath, Deno.Command)
// counterNonce() over a Deno KV counter in a temporary file, shared by
// several processes (a check-and-set loop: tests/_kv_counter.ts).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import {
  counterNonce,
  createNonceGenerator,
  EmbedClient,
} from "@kraken-embed/client";
import { createEmulator } from "@kraken-embed/client/emulator";
import { kvIncrement } from "./_kv_counter.ts";
import { API_KEY, SECRET, USER } from "./_fake_fetch.ts";
import { assertIncreasing } from "./_increasing.ts";

const CHILD = new URL("./_counter_child.ts", import.meta.url).pathname;
const CONFIG = new URL("../deno.json", import.meta.url).pathname;
const OFFSET = 1n << 53n;
const started = performance.now();
const counts = { processes: 0, nonces: 0, updates: 0 };
let dir = "";
let path = "";

async function child(args: string[]): Promise<bigint[]> {
  counts.processes++;
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--config", CONFIG, CHILD, ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(code, 0, new TextDecoder().decode(stderr));
  const { nonces } = JSON.parse(new TextDecoder().decode(stdout));
  return (nonces as string[]).map(BigInt);
}

before(async () => {
  dir = await Deno.makeTempDir({ prefix: "kv-nonce-" });
  path = `${dir}/nonces.sqlite3`;
});

after(async () => {
  if (dir) await Deno.remove(dir, { recursive: true });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `summary: counterNonce over Deno KV: ${counts.processes} processes, ${counts.nonces} nonces unique and increasing per process, ${counts.updates} updates accepted with nonce window 0 (${seconds} s)`,
  );
});

test("three processes drawing from one Deno KV counter at once: unique, increasing in each", async () => {
  const lists = await Promise.all(
    [1, 2, 3].map(() => child(["kv", path, "k1", "100", "4"])),
  );
  const all = lists.flat();
  counts.nonces += all.length;
  assert.equal(new Set(all).size, 300);
  lists.forEach((list, i) => assertIncreasing(list, `process ${i}`));
  const sorted = [...all].sort((a, b) => (a < b ? -1 : 1));
  // Every nonce is a value the counter issued. Not necessarily all of them:
  // a value that reaches its process after a larger one is dropped and
  // another drawn (README, "Nonces"), so the counter may end above 300.
  const kv = await Deno.openKv(path);
  try {
    const drawn = (await kv.get<Deno.KvU64>(["k1"])).value!.value;
    assert.ok(drawn >= 300n && drawn < 400n, `counter at ${drawn}`);
    assert.ok(sorted[0] >= OFFSET + 1n, String(sorted[0]));
    assert.ok(sorted[299] <= OFFSET + drawn, String(sorted[299]));
    // A later draw in this process comes after all of them.
    const next = await counterNonce(() => kvIncrement(kv, ["k1"]))();
    assert.equal(BigInt(next), OFFSET + drawn + 1n);
  } finally {
    kv.close();
  }
});

test("a key moves from clock nonces to a Deno KV counter with no Invalid nonce (window 0)", async () => {
  const emulator = createEmulator({
    credentials: [{ apiKey: API_KEY, apiSecret: SECRET }],
    users: [{ user: USER }],
    nonceWindow: 0,
  });
  const fetch = (input: string, init: RequestInit) =>
    emulator.fetch(new Request(input, init));
  const kv = await Deno.openKv(path);
  try {
    await new EmbedClient({
      apiKey: API_KEY,
      apiSecret: SECRET,
      nonce: createNonceGenerator(),
      fetch,
    }).users.update(USER, { language: "en" });
    const shared = counterNonce(() => kvIncrement(kv, ["k2"]));
    const clients = [1, 2].map(() =>
      new EmbedClient({
        apiKey: API_KEY,
        apiSecret: SECRET,
        nonce: shared,
        fetch,
      })
    );
    for (let i = 0; i < 20; i++) {
      await clients[i % 2].users.update(USER, { language: "fr" });
    }
  } finally {
    kv.close();
  }
  assert.equal(emulator.log.length, 21);
  assert.ok(emulator.log.every((entry) => entry.status === 200));
  counts.updates += emulator.log.length;
});
