// The project's one test command (`npm test`): every check, one line each,
// and a non-zero exit if any fails. Runs under Node so that it works right
// after `npm ci`, before anything else is built.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import {
  denoFailures,
  describeFailures,
  failureExcerpt,
} from "./_failures.mjs";
import { NODE_LTS } from "./_node_lts.mjs";

const deno = "node_modules/.bin/deno";
const steps = [
  ["format", deno, ["fmt", "--check"]],
  ["lint", deno, ["lint"]],
  ["type-check", deno, [
    "check",
    "--config",
    "deno.json",
    "mod.ts",
    "src/",
    "tests/",
    "scripts/",
    "bench/",
  ]],
  ["doc lint", "node", ["scripts/doc_lint.mjs"]],
  // Each example is a module of its own, run by a worker per core (on two
  // cores, half the time).
  ["doc examples", deno, [
    "test",
    "--doc",
    "--parallel",
    "--config",
    "deno.json",
    "mod.ts",
    "src/",
  ]],
  // The README's TypeScript examples, each block as a module of its own,
  // against this checkout (`jsr:@kraken-embed/client` and the npm name both
  // resolve to it through deno.json): an example that no longer compiles
  // fails the run.
  ["readme examples", deno, [
    "check",
    "--config",
    "deno.json",
    "--doc-only",
    "README.md",
  ]],
  ["jsr dry run", deno, ["publish", "--dry-run", "--allow-dirty"]],
  ["deno tests", deno, [
    "test",
    "-A",
    "--config",
    "deno.json",
    "--coverage=coverage",
    "--parallel",
    "tests/",
  ]],
  ["coverage ≥ 95%", "node", ["scripts/coverage_gate.mjs"]],
  ["npm build", deno, ["run", "-A", "scripts/build_npm.ts"]],
  ["node esm", "node", ["tests/runtimes/node.mjs", "esm"]],
  ["node cjs", "node", ["tests/runtimes/node.mjs", "cjs"]],
  [`node ${NODE_LTS.split(".")[0]} esm`, "node", [
    "tests/runtimes/node_lts.mjs",
  ]],
  ["bun", "node", ["tests/runtimes/bun.mjs"]],
  ["workerd", "node", ["tests/runtimes/workerd.mjs"]],
  ["package checks", "node", ["scripts/package_checks.mjs"]],
];

const only = process.argv.slice(2);
// Where each step's output goes (TEST_LOG_DIR: for a test of this runner,
// which must not overwrite the logs of the run it is part of).
const logDir = process.env.TEST_LOG_DIR || ".test-logs";
mkdirSync(logDir, { recursive: true });

// A step that hangs (a test waiting on a promise that never settles: Deno's
// test runner has no per-test timeout, Node's and Bun's have one of 60 s) is
// stopped, with its process group, after this many seconds, and fails the
// run, rather than holding CI until its own limit. The longest step, the
// Deno tests, takes 81 to 114 s on a 2-core machine.
const STEP_TIMEOUT_S = stepTimeout(process.env.TEST_STEP_TIMEOUT_S);
let running;
// The step runs in a group of its own, which a signal to this process's
// group (Ctrl-C, `timeout`, a hangup) does not reach: pass it on.
for (
  const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143], ["SIGHUP", 129]]
) {
  process.on(signal, () => process.exit(code));
}
process.on("exit", () => {
  if (running) killGroup(running);
});

function stepTimeout(text) {
  if (text === undefined || text === "") return 900;
  const seconds = Number(text);
  // setTimeout's largest delay, in seconds; above it a timer fires at once.
  if (!(seconds > 0 && seconds <= 2_147_483)) {
    console.error(
      `TEST_STEP_TIMEOUT_S: expected seconds above 0, at most 2147483, got ${
        JSON.stringify(text)
      }`,
    );
    process.exit(2);
  }
  return seconds;
}

function killGroup(child) {
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch { /* already gone */ }
}

function run(name, command, args) {
  return new Promise((resolve) => {
    const started = performance.now();
    // Its own process group, so that a timeout stops what it started too.
    const child = spawn(command, args, {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, NO_COLOR: "1" },
      detached: true,
    });
    running = child;
    let output = "";
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child);
    }, STEP_TIMEOUT_S * 1000);
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      running = undefined;
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      if (timedOut) {
        output += `\nstopped: the step ran past ${STEP_TIMEOUT_S} s ` +
          `(TEST_STEP_TIMEOUT_S) and ended by ${
            signal ?? `exit ${code}`
          }; a test in it hangs\n`;
      }
      resolve({ name, ok: code === 0 && !timedOut, seconds, output });
    });
  });
}

const FAILED = /\b\d+ failed\b/;
let failed = 0;
let passed = 0;
for (const [name, command, args] of steps) {
  if (only.length > 0 && !only.includes(name)) continue;
  if (!existsSync(command) && command !== "node") {
    console.log(`FAIL  ${name}: ${command} is missing (run npm ci first)`);
    failed++;
    continue;
  }
  const result = await run(name, command, args);
  const file = `${logDir}/${name.replace(/[^a-z0-9]+/gi, "_")}.log`;
  writeFileSync(file, result.output);
  // A summary that counts failed tests (it names them too) leads.
  const summary = result.output.split("\n").filter((line) =>
    line.startsWith("summary: ")
  ).map((line) => line.slice(9)).sort((a, b) =>
    Number(FAILED.test(b)) - Number(FAILED.test(a))
  );
  // Deno's own closing line ("ok | 246 passed | 0 failed (1m0s)") leads, so
  // the count of tests run is the first thing the step's line says.
  const denoTotal = result.output.match(
    /^(?:ok|FAILED) \| (\d+) passed \| (\d+) failed/m,
  );
  if (denoTotal) {
    // A failed test's name and error come right after the count: the part
    // of a CI log that is shown may hold this line and not the lines below.
    summary.unshift(
      `${denoTotal[1]} tests passed${
        denoTotal[2] === "0" ? "" : `, ${denoTotal[2]} FAILED`
      }${describeFailures(denoFailures(result.output))}`,
    );
  }
  console.log(
    `${result.ok ? "ok  " : "FAIL"}  ${name} (${result.seconds} s)${
      summary.length ? ": " + summary.join("; ") : ""
    }`,
  );
  if (result.ok) passed++;
  else {
    failed++;
    console.log(
      failureExcerpt(result.output, 60).map((line) => `      ${line}`).join(
        "\n",
      ),
    );
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
