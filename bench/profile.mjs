// Where a Node process running full-patch updates one at a time spends its
// samples, by owner (bench/README.md): the library's own modules, its schemas
// and valibot, WebCrypto's JavaScript and native set-up, the fetch double
// (undici's Response and web streams), the garbage collector, and idle time
// waiting for WebCrypto's thread. Runs the case `d_full` of bench/_cases.mjs
// (or the one named) under V8's CPU profiler in a child process, against the
// built package:
//
//   node bench/profile.mjs [case] [updates]     (after npm run bench or the npm build)
//   "$(node scripts/_node_lts.mjs)" bench/profile.mjs   (the same, in the pinned Node LTS)
//
// Samples are taken every 50 µs; a function's "self" samples are charged to
// the file it is in (native code to the JavaScript function that called it).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";

const [, , which = "d_full", countText = "60000"] = process.argv;

if (process.env.KRAKEN_EMBED_PROFILE_CHILD === "1") {
  const { createCases } = await import("./_cases.mjs");
  const { lib } = await import("./_lib.mjs");
  const cases = await createCases(lib);
  const call = cases[which];
  if (call === undefined) throw new Error(`no case ${which}`);
  for (let i = 0; i < 10_000; i++) await call();
  for (let i = 0; i < Number(countText); i++) await call();
  process.exit(0);
}

const dir = mkdtempSync(join(tmpdir(), "kraken-embed-profile-"));
try {
  const child = spawnSync(process.execPath, [
    "--cpu-prof",
    `--cpu-prof-dir=${dir}`,
    "--cpu-prof-interval=50",
    fileURLToPath(import.meta.url),
    which,
    countText,
  ], {
    stdio: "inherit",
    env: { ...process.env, KRAKEN_EMBED_PROFILE_CHILD: "1" },
  });
  if (child.status !== 0) process.exit(child.status ?? 1);
  const file = readdirSync(dir).find((name) => name.endsWith(".cpuprofile"));
  const profile = JSON.parse(readFileSync(join(dir, file), "utf8"));
  report(profile);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/** The owner a sample's function belongs to, from its name and file. */
function ownerOf({ functionName, url }) {
  if (functionName === "(idle)") return "idle: waiting for WebCrypto's thread";
  if (functionName === "(garbage collector)") return "garbage collector";
  if (url.includes("/npm/esm/src/schemas/") || url.includes("/valibot/")) {
    return "validation: the schemas and valibot";
  }
  if (url.includes("/npm/esm/src/")) {
    return "the library's own code (nonce, signing, sending, answer)";
  }
  if (url.startsWith("node:internal/crypto/")) {
    return "WebCrypto's calls: arguments, job set-up (native included)";
  }
  if (
    url.includes("undici") || url.includes("webstreams") ||
    url.includes("/bench/_cases.mjs")
  ) {
    return "the fetch double: new Response() and text()";
  }
  if (url === "" && functionName === "(program)") {
    return "V8 and Node themselves (program)";
  }
  return "other: JSON, encoding, timers, promises, built-ins";
}

function report(profile) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const counts = new Map();
  /** Per owner, samples per function, for the three it names. */
  const functions = new Map();
  for (const id of profile.samples) {
    const { callFrame } = byId.get(id);
    const owner = ownerOf(callFrame);
    counts.set(owner, (counts.get(owner) ?? 0) + 1);
    const name = `${callFrame.functionName || "(anonymous)"} ${
      callFrame.url.split("/").slice(-2).join("/")
    }`;
    const own = functions.get(owner) ?? new Map();
    own.set(name, (own.get(name) ?? 0) + 1);
    functions.set(owner, own);
  }
  const total = profile.samples.length;
  console.log(
    `node ${process.version}, ${Number(countText).toLocaleString("en-US")} ` +
      `calls of ${which} after 10,000 to warm up: ${total} samples`,
  );
  const share = (count) => `${(100 * count / total).toFixed(1).padStart(5)}%`;
  for (const [owner, count] of [...counts].sort((a, b) => b[1] - a[1])) {
    console.log(`${share(count)}  ${owner}`);
    const top = [...functions.get(owner)].sort((a, b) => b[1] - a[1]);
    for (const [name, n] of top.slice(0, 3)) {
      if (name.startsWith("(")) continue;
      console.log(`         ${share(n)}  ${name}`);
    }
  }
}
