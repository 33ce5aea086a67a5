// Runs tests/runtimes/worker.ts in workerd (through Miniflare) against the
// built npm/ package and checks its answers over HTTP on 127.0.0.1: the
// signing, validation and update routes, and NonceCounter as a real Durable
// Object (SQLite-backed, as the README configures it, and kept on disk so
// that a second Miniflare finds it) drawn from by two workers at once.
// The worker is bundled first: workerd cannot resolve bare imports itself.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { Miniflare } from "miniflare";
import { linkPackage } from "./_package_link.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "../..");
const outDir = join(root, "node_modules/.cache/kraken-embed/workerd");
const scriptPath = join(outDir, "worker.mjs");
const persist = mkdtempSync(join(tmpdir(), "kraken-embed-workerd-"));

const API_KEY = "worker-api-key-0123456789";
let mf;
let base;

function start() {
  const worker = { modules: true, scriptPath, compatibilityDate: "2025-01-01" };
  return new Miniflare({
    host: "127.0.0.1",
    port: 0,

    // A directory of ours, which dispose() leaves, so that the restart check's
    // second Miniflare finds the objects' storage.
    durableObjectsPersist: persist,
    workers: [
      {
        ...worker,
        name: "main",
        // SQLite-backed, as the README's migration (new_sqlite_classes).
        durableObjects: {
          NONCE: { className: "NonceCounter", useSQLite: true },
        },
        serviceBindings: { OTHER: "other" },
      },
      {
        // The same script in another isolate, bound to the first one's object.
        ...worker,
        name: "other",
        durableObjects: {
          NONCE: {
            className: "NonceCounter",
            scriptName: "main",
            useSQLite: true,
          },
        },
      },
    ],
  });
}

// A route's answer, as JSON. A worker that hangs fails its check, not the step.
async function get(path) {
  let response;
  try {
    response = await fetch(new URL(path, base), {
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    if (error.name !== "TimeoutError") throw error;
    throw new Error(`No answer to ${path} within 10 s`);
  }
  const body = await response.json();
  assert.equal(
    response.status,
    200,
    `The worker failed on ${path}: ${JSON.stringify(body.error)}`,
  );
  return body;
}

const byValue = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

function assertIncreasing(values, what) {
  for (let i = 1; i < values.length; i++) {
    assert.ok(
      BigInt(values[i]) > BigInt(values[i - 1]),
      `${what}: ${values[i]} after ${values[i - 1]}`,
    );
  }
}

function assertUnique(values, count) {
  assert.equal(values.length, count);
  assert.equal(new Set(values).size, count, "A nonce was issued twice");
}

const checks = {
  "GET /sign": async () => {
    const body = await get("/sign");
    assert.equal(
      body.signature,
      "4/dpxb3iT4tp/ZCVEwSnEsLxx0bqyhLpdfOpc6fn7OR8+UClSV5n9E6aSS8MPtnRfp32bAb0nmbRn6H8ndwLUQ==",
    );
  },
  "GET /validation": async () => {
    const body = await get("/validation");
    assert.deepEqual(body, {
      thrown: true,
      sent: 0,
      name: "EmbedValidationError",
      code: "ERR_EMBED_VALIDATION",
      isEmbedError: true,
      target: "patch",
      paths: [
        "residence.line1",
        "residence.city",
        "residence.postal_code",
        "residence.country",
        "phone_number",
      ],
    });
  },
  "GET /update": async () => {
    const body = await get("/update");
    assert.deepEqual(body.result, { result: "success" });
    assert.equal(body.requests, 1);
    assert.equal(body.method, "PATCH");
    assert.equal(
      body.url,
      "https://nexus.kraken.com/b2b/users/AA95%20N84G%20TEST%20XXXX",
    );
    assert.equal(body.headers["api-key"], API_KEY);
    assert.match(body.headers["api-nonce"], /^[1-9][0-9]*$/);
    assert.match(body.headers["api-sign"], /^[A-Za-z0-9+/]{86}==$/);
    assert.equal(body.headers["payward-version"], "2025-04-15");
    assert.equal(body.headers["content-type"], "application/json");
    assert.deepEqual(JSON.parse(body.body), {
      language: "en",
      full_name: { first_name: "Ada", last_name: "Lovelace" },
    });
    assert.equal(
      body.signatureValid,
      true,
      "API-Sign does not match the body sent",
    );
  },
  "durable object: 50 updates at once get unique nonces, increasing as drawn":
    async () => {
      const { issued, sent, results } = await get("/updates?name=updates&n=50");
      assertUnique(issued, 50);
      assertIncreasing(issued, "Drawn");
      // Every request sent a nonce the object issued, in whatever order.
      assert.deepEqual(sent.toSorted(), issued.toSorted());
      for (const result of results) {
        assert.deepEqual(result, { result: "success" });
      }
    },
  "durable object: answers out of order are dropped, not handed out":
    async () => {
      // Every other answer comes 20 ms late, after answers issued after it.
      const answer = await get("/nonces?name=overtaken&hold=20&n=40");
      assertUnique(answer.nonces, 40);
      assertIncreasing(answer.nonces, "Returned");
      assert.ok(answer.roundTrips > 40, "No answer was overtaken");
    },
  "durable object: two isolates drawing at once, batch 10": async () => {
    const t0 = Date.now();
    const query = "nonces?name=isolates&batch=10&n=100";
    const answers = await Promise.all(
      [`/${query}`, `/${query}`, `/other/${query}`, `/other/${query}`].map(get),
    );
    const t1 = Date.now();
    const isolates = [answers.slice(0, 2), answers.slice(2)];
    for (const [one, two] of isolates) assert.equal(one.isolate, two.isolate);
    assert.notEqual(answers[0].isolate, answers[2].isolate, "One isolate only");
    const all = answers.flatMap((answer) => answer.nonces.map(BigInt));
    assertUnique(all, 400);
    answers.forEach((answer, i) => {
      assertIncreasing(answer.nonces, `Request ${i}`);
    });
    for (const [i, both] of isolates.entries()) {
      // An isolate's calls share one reservation at a time, across its two
      // requests, and hand each range out whole: 200 draws, 20 ranges.
      const roundTrips = Math.max(both[0].roundTrips, both[1].roundTrips);
      assert.equal(roundTrips, 20, `Isolate ${i}: round trips`);
      const mine = both.flatMap((answer) => answer.nonces.map(BigInt))
        .sort(byValue);
      for (let at = 0; at < mine.length; at += 10) {
        assert.equal(
          mine[at + 9] - mine[at],
          9n,
          `Isolate ${i}: a range from ${mine[at]} not handed out whole`,
        );
      }
    }
    // The object follows the default generator's microsecond clock, and
    // counts on from its last nonce where that is ahead: every nonce lies
    // between the clock before and after, plus 1,000 and the nonces drawn.
    all.sort(byValue);
    const [lowest, highest] = [all[0], all.at(-1)];
    assert.ok(lowest >= BigInt(t0) * 1000n, `${lowest} is behind the clock`);
    assert.ok(
      highest <= BigInt(t1) * 1000n + 1000n + 400n,
      `${highest} is ahead of the clock`,
    );
  },
  "durable object: nonces increase in the order issued, whichever isolate asks":
    async () => {
      const issued = [];
      for (let i = 0; i < 10; i++) {
        const where = i % 2 === 0 ? "" : "/other";
        issued.push(...(await get(`${where}/nonces?name=order&n=1`)).nonces);
      }
      assertIncreasing(issued, "Issue order");
    },
  "durable object: calls waiting on a round trip whose request ended draw again after a second":
    async () => {
      // The first round trip's answer is held back on a timer of /leave's
      // request, which workerd cancels when that request ends; the calls of
      // the next request wait for it until a second after it started. (workerd
      // then warns that it dropped a continuation of the ended request: the
      // wake-up of its own call, when the next range comes.)
      const query = "name=left&batch=10&hold=100";
      const left = await get(`/leave?${query}`);
      const late = await get(`/nonces?${query}&n=3`);
      assert.equal(
        late.isolate,
        left.isolate,
        "Another isolate, another source",
      );
      const waited = late.at - left.started;
      assert.ok(waited >= 1000, `Nonces ${waited} ms after the round trip`);
      assert.equal(late.roundTrips, 2, "Not the one left behind and one more");
      const first = BigInt(late.nonces[0]);
      assert.deepEqual(
        late.nonces,
        [first, first + 1n, first + 2n].map(String),
      );
    },
  "durable object: a batch's range is handed out for a second, then dropped":
    async () => {
      const query = "/nonces?name=expiry&batch=10&n=1";
      const first = await get(query);
      const soon = await get(query);
      // The range arrived before Miniflare answered: a second after the
      // answer is more than a second after the arrival.
      await sleep(1050);
      const late = await get(query);
      const start = BigInt(first.nonces[0]);
      assert.deepEqual(
        [soon.nonces[0], soon.roundTrips],
        [String(start + 1n), 1],
        "The next request did not take from the range",
      );
      assert.equal(late.roundTrips, 2, "No new reservation after the second");
      assert.ok(BigInt(late.nonces[0]) > start + 9n, "The old range was used");
    },
};

// Last, as it replaces Miniflare: the object's last nonce is on disk, and the
// new one reads it before it serves a request.
const RESTART =
  "durable object: a restart keeps the last nonce, ahead of the clock";
async function restart() {
  // An hour ahead of the clock: a value lost in the restart would show.
  const floor = (BigInt(Date.now()) + 3_600_000n) * 1000n;
  const before = await get(`/nonces?name=restart&floor=${floor}&n=1`);
  assert.deepEqual(before.nonces, [String(floor)], "The floor was not issued");
  await mf.dispose();
  mf = start();
  base = await mf.ready;
  // Twenty calls at once share one reservation of the restarted object.
  const after = await get("/nonces?name=restart&batch=20&n=20");
  assert.notEqual(after.isolate, before.isolate, "The isolate did not restart");
  assert.deepEqual(
    after.nonces,
    Array.from({ length: 20 }, (_, i) => String(floor + 1n + BigInt(i))),
  );
}

let passed = 0;
let failed = 0;
async function run(name, check) {
  try {
    await check();
    passed++;
    return `ok   ${name}`;
  } catch (error) {
    failed++;
    return `FAIL ${name}: ${error.message}`;
  }
}

try {
  linkPackage(root);
  mkdirSync(outDir, { recursive: true });
  await esbuild.build({
    entryPoints: [join(here, "worker.ts")],
    outfile: scriptPath,
    bundle: true,
    format: "esm",
    platform: "browser",
    conditions: ["workerd", "worker"],
    target: "es2022",
    logLevel: "warning",
  });
  mf = start();
  base = await mf.ready;
  // Each check draws from an object of its own, so they run at once (two
  // wait out the library's one-second limits), and the restart after them.
  const lines = await Promise.all(
    Object.entries(checks).map(([name, check]) => run(name, check)),
  );
  for (const line of lines) console.log(line);
  console.log(await run(RESTART, restart));
} catch (error) {
  failed++;
  console.error(error.stack ?? error);
} finally {
  await mf?.dispose();
  rmSync(persist, { recursive: true, force: true });
}
console.log(
  `summary: ${passed} of ${
    Object.keys(checks).length + 1
  } worker checks passed in workerd`,
);
// exitCode rather than exit(): dispose() removes Miniflare's temporary directory
// in the background, and exiting at once would leave it in the system's tmp.
process.exitCode = failed === 0 ? 0 : 1;
