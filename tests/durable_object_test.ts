// NonceCounter under Miniflare: three workers (three isolates) bound to one
// Durable Object draw nonces at once, send updates to one emulator with no
// nonce window, and the object keeps its place across a restart.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { Miniflare, Response as MiniflareResponse } from "miniflare";
import { createNonceGenerator, EmbedClient } from "@kraken-embed/client";
import { createEmulator, type Emulator } from "@kraken-embed/client/emulator";
import { API_KEY, SECRET, USER } from "./_fake_fetch.ts";
import { assertIncreasing } from "./_increasing.ts";

const WORKERS = ["w1", "w2", "w3"];
const persist = mkdtempSync(join(tmpdir(), "nonce-counter-"));
let script = "";
let emulator: Emulator;
let mf: Miniflare;
const counts = { drawn: 0, inTurn: 0, atOnce: 0 };
const started = performance.now();

function newEmulator(nonceWindow: number): Emulator {
  return createEmulator({
    credentials: [{ apiKey: API_KEY, apiSecret: SECRET }],
    users: [{ user: USER }],
    nonceWindow,
  });
}

// Every worker's outbound fetch lands here, in this process: the current
// emulator answers, and the answer goes back as Miniflare's own Response.
async function outbound(request: { url: string }): Promise<MiniflareResponse> {
  const req = request as unknown as Request;
  const answer = await emulator.fetch(
    new Request(req.url, {
      method: req.method,
      headers: req.headers,
      body: req.method === "GET" ? null : await req.text(),
    }),
  );
  return new MiniflareResponse(await answer.text(), {
    status: answer.status,
    headers: Object.fromEntries(answer.headers),
  });
}

function start(): Miniflare {
  return new Miniflare({
    host: "127.0.0.1",
    durableObjectsPersist: persist,
    workers: WORKERS.map((name, i) => ({
      name,
      modules: true,
      script,
      compatibilityDate: "2025-04-01",
      bindings: { WORKER: name, API_KEY, API_SECRET: SECRET },
      // The object lives in the first worker; the others reach it by name.
      durableObjects: {
        NONCE: i === 0
          ? "NonceCounter"
          : { className: "NonceCounter", scriptName: WORKERS[0] },
      },
      outboundService: outbound as never,
    })),
  });
}

async function call(worker: string, path: string): Promise<unknown> {
  const fetcher = await mf.getWorker(worker) as unknown as {
    fetch(url: string): Promise<{ status: number; text(): Promise<string> }>;
  };
  const response = await fetcher.fetch(`http://worker${path}`);
  const text = await response.text();
  assert.equal(response.status, 200, `${worker} ${path}: ${text}`);
  return JSON.parse(text);
}

async function draw(
  worker: string,
  n: number,
  batch = 1,
): Promise<bigint[]> {
  const { nonces } = await call(worker, `/nonces?n=${n}&batch=${batch}`) as {
    nonces: string[];
  };
  counts.drawn += nonces.length;
  return nonces.map(BigInt);
}

before(async () => {
  const { outputFiles } = await esbuild.build({
    entryPoints: [
      fileURLToPath(new URL("./_nonce_worker.ts", import.meta.url)),
    ],
    bundle: true,
    format: "esm",
    platform: "neutral",
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["module", "main"],
    target: "es2022",
    write: false,
  });
  script = outputFiles[0].text;
  await esbuild.stop();
  emulator = newEmulator(0);
  mf = start();
  await mf.ready;
});

after(async () => {
  await mf?.dispose();
  rmSync(persist, { recursive: true, force: true });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `summary: durable object: ${WORKERS.length} workers, ${counts.drawn} nonces drawn (unique, increasing per worker and in issue order), ${counts.inTurn} updates in turn accepted with nonce window 0, ${counts.atOnce} at once within a 60 s window, no reissue after a restart (${seconds} s)`,
  );
});

test("three workers drawing at once get unique nonces, increasing in each worker", async () => {
  const lists = await Promise.all(WORKERS.map((w) => draw(w, 100)));
  const all = lists.flat();
  assert.equal(new Set(all).size, all.length);
  lists.forEach((list, i) => assertIncreasing(list, WORKERS[i]));
});

test("nonces increase in the order the object issues them, whichever worker asks", async () => {
  const issued: bigint[] = [];
  for (let i = 0; i < 30; i++) {
    issued.push(...await draw(WORKERS[i % WORKERS.length], 1));
  }
  assertIncreasing(issued, "issue order");
  // Above the microsecond clock, like the default generator's.
  assert.ok(issued[0] >= BigInt(Date.now() - 60_000) * 1000n);
});

test("batches: each isolate hands out its own reserved range, never a value twice", async () => {
  const rounds = await Promise.all(
    WORKERS.flatMap((w) => [draw(w, 60, 25), draw(w, 60, 25)]),
  );
  const all = rounds.flat();
  assert.equal(new Set(all).size, all.length);
  rounds.forEach((list, i) => assertIncreasing(list, `request ${i}`));
});

test("updates from three workers in turn are all accepted by one emulator with nonce window 0", async () => {
  emulator = newEmulator(0);
  // The key was used with the default microsecond generator first.
  const local = new EmbedClient({
    apiKey: API_KEY,
    apiSecret: SECRET,
    nonce: createNonceGenerator(),
    fetch: (input, init) => emulator.fetch(new Request(input, init)),
  });
  await local.users.update(USER, { language: "en" });
  for (let i = 0; i < 15; i++) {
    const { failed } = await call(
      WORKERS[i % WORKERS.length],
      "/update?n=2",
    ) as { failed: string[] };
    assert.deepEqual(failed, []);
  }
  assert.equal(emulator.log.length, 31);
  for (const entry of emulator.log) {
    assert.equal(entry.status, 200, JSON.stringify(entry));
  }
  counts.inTurn += emulator.log.length;
});

test("updates from three workers at once are all accepted within a nonce window", async () => {
  // Issue order is not arrival order: with requests in flight at once, the
  // key needs a window. The object's nonces follow the microsecond clock,
  // so the window is a time: here a minute, far more than any request takes.
  emulator = newEmulator(60_000_000);
  const results = await Promise.all(
    WORKERS.map((w) => call(w, "/update?n=20&concurrency=5")),
  ) as { failed: string[] }[];
  for (const { failed } of results) assert.deepEqual(failed, []);
  assert.equal(emulator.log.length, 60);
  assert.ok(emulator.log.every((entry) => entry.status === 200));
  const nonces = emulator.log.map((entry) => entry.nonce);
  assert.equal(new Set(nonces).size, 60);
  counts.atOnce += emulator.log.length;
});

test("the object never reissues a value after a restart, even ahead of the clock", async () => {
  let last = 0n;
  // About 20 seconds of microseconds ahead: a lost value would show.
  for (let i = 0; i < 20; i++) {
    const range = await call(WORKERS[1], "/reserve?count=1000000") as {
      last: string;
    };
    last = BigInt(range.last);
  }
  assert.ok(last > BigInt(Date.now()) * 1000n + 10_000_000n);
  await mf.dispose();
  mf = start();
  await mf.ready;
  const [next] = await draw(WORKERS[2], 1);
  assert.equal(next, last + 1n);
});
