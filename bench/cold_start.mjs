// Cold start: a fresh process's time to its first signed request, beside the
// same runtime's time for an empty script, in Node, Deno and workerd
// (Miniflare). Runs alternate (empty, library, empty, ...) and the table shows
// medians. `node bench/cold_start.mjs [--json] [--runs N] [--node <path>]...`;
// each --node adds that Node binary's row after the running Node's.
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { Miniflare } from "miniflare";
import { median } from "./_timing.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const deno = join(root, "node_modules/.bin/deno");
const runsFlag = process.argv.indexOf("--runs");
const RUNS = runsFlag === -1 ? 5 : Number(process.argv[runsFlag + 1]);

function run(command, args) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.stderr.on("data", (chunk) => (err += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      const wallMs = performance.now() - started;
      if (code !== 0) {
        reject(
          new Error(`${command} ${args.join(" ")} exited ${code}:\n${err}`),
        );
      } else {
        resolve({ wallMs, out });
      }
    });
  });
}

async function processRuntime(name, command, prefix) {
  const empty = [];
  const library = [];
  const inside = [];
  // One run of each first, not counted: compile caches and the page cache.
  await run(command, [...prefix, "bench/_empty.mjs"]);
  await run(command, [...prefix, "bench/_first_request.mjs"]);
  for (let i = 0; i < RUNS; i++) {
    empty.push((await run(command, [...prefix, "bench/_empty.mjs"])).wallMs);
    const { wallMs, out } = await run(command, [
      ...prefix,
      "bench/_first_request.mjs",
    ]);
    library.push(wallMs);
    inside.push(JSON.parse(out));
  }
  return {
    runtime: name,
    emptyMs: median(empty),
    libraryMs: median(library),
    importMs: median(inside.map((r) => r.importMs)),
    firstRequestMs: median(inside.map((r) => r.firstRequestMs)),
    importToFirstRequestMs: median(
      inside.map((r) => r.importMs + r.firstRequestMs),
    ),
  };
}

async function workerd() {
  const outDir = join(root, ".bench");
  mkdirSync(outDir, { recursive: true });
  const scriptPath = join(outDir, "worker.mjs");
  await esbuild.build({
    entryPoints: [join(root, "bench/_worker.mjs")],
    outfile: scriptPath,
    bundle: true,
    format: "esm",
    platform: "browser",
    minify: true,
    alias: { "@kraken-embed/client": join(root, "npm/esm/mod.js") },
    logLevel: "silent",
  });
  const empty = 'export default { fetch: () => new Response("ok") };';
  async function start(options) {
    const started = performance.now();
    const mf = new Miniflare({
      modules: true,
      compatibilityDate: "2025-01-01",
      host: "127.0.0.1",
      port: 0,
      ...options,
    });
    try {
      await mf.ready;
      const ready = performance.now();
      const response = await mf.dispatchFetch("http://localhost/");
      const text = await response.text();
      const answered = performance.now();
      if (!response.ok) throw new Error(`the worker answered ${text}`);
      return { readyMs: ready - started, totalMs: answered - started };
    } finally {
      await mf.dispose();
    }
  }
  const runs = { empty: [], library: [] };
  await start({ script: empty });
  for (let i = 0; i < RUNS; i++) {
    runs.empty.push(await start({ script: empty }));
    runs.library.push(await start({ scriptPath }));
  }
  return {
    runtime: "workerd (Miniflare)",
    emptyMs: median(runs.empty.map((r) => r.totalMs)),
    libraryMs: median(runs.library.map((r) => r.totalMs)),
    // What the library adds inside workerd: the first request's dispatch
    // after the runtime is up (the module itself is evaluated at startup).
    firstRequestMs: median(runs.library.map((r) => r.totalMs - r.readyMs)),
    emptyFirstRequestMs: median(runs.empty.map((r) => r.totalMs - r.readyMs)),
  };
}

// Other Nodes to time beside the one running this: `--node <path>`, repeatable.
const otherNodes = process.argv.flatMap((arg, i) =>
  arg === "--node" ? [process.argv[i + 1]] : []
);
const nodeMajor = (binary) =>
  execFileSync(binary, ["--version"], { encoding: "utf8" }).trim()
    .replace(/^v/, "").split(".")[0];

const results = [];
// One after the other, so that no two runtimes share the CPU.
for (const binary of [process.execPath, ...otherNodes]) {
  results.push(await processRuntime(`node ${nodeMajor(binary)}`, binary, []));
}
results.push(
  await processRuntime("deno", deno, ["run", "-A", "--config", "deno.json"]),
);
results.push(await workerd());

if (process.argv.includes("--json")) {
  console.log(JSON.stringify({ runs: RUNS, results }));
} else {
  const ms = (value) => `${value.toFixed(1)} ms`;
  for (const r of results) {
    console.log(
      `${r.runtime.padEnd(20)} empty ${ms(r.emptyMs).padStart(9)}  ` +
        `to first signed request ${ms(r.libraryMs).padStart(9)}` +
        (r.importToFirstRequestMs === undefined
          ? `  (dispatch of the first request ${
            ms(r.firstRequestMs)
          }, empty worker ${ms(r.emptyFirstRequestMs)})`
          : `  (in process: import ${ms(r.importMs)} + first request ${
            ms(r.firstRequestMs)
          })`),
    );
  }
}
