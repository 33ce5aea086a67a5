// runtimes: deno — reason: runs scripts/test.mjs as a process and reads /proc to find what it left running (Linux)
// The test command's own guard: a step that runs past TEST_STEP_TIMEOUT_S is
// stopped and fails the run, a bad limit is refused, and a signal to the
// runner stops the step it is running, which runs in a process group of its
// own, so that nothing is left behind.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

interface Run {
  code: number | null;
  signal: string | null;
  output: string;
}

function runner(
  steps: string[],
  env: Record<string, string>,
): Promise<Run> {
  const child = spawn("node", ["scripts/test.mjs", ...steps], {
    env: {
      ...process.env,
      TEST_LOG_DIR: mkdtempSync(join(tmpdir(), "test-runner-")),
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  return new Promise((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal, output }))
  );
}

// Processes whose environment holds `mark`: what a run started and left.
function leftBehind(mark: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const environ = readFileSync(`/proc/${entry}/environ`, "latin1");
      if (environ.includes(mark)) pids.push(Number(entry));
    } catch { /* gone, or not ours */ }
  }
  return pids;
}

test("a step that runs past TEST_STEP_TIMEOUT_S is stopped, with what it started, and fails the run", async () => {
  const mark = `TEST_RUNNER_MARK=${crypto.randomUUID()}`;
  const run = await runner(["type-check"], {
    TEST_STEP_TIMEOUT_S: "0.5",
    TEST_RUNNER_MARK: mark.split("=")[1],
  });
  assert.equal(run.code, 1, run.output);
  assert.match(run.output, /FAIL {2}type-check/);
  // Killed, not left to finish.
  assert.match(
    run.output,
    /stopped: the step ran past 0\.5 s \(TEST_STEP_TIMEOUT_S\) and ended by SIGKILL/,
  );
  assert.match(run.output, /0 passed, 1 failed/);
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.deepEqual(leftBehind(mark), []);
});

test("a step limit that is not a number of seconds from above 0 to 2147483 is refused", async () => {
  for (const limit of ["-1", "0", "Infinity", "3000000", "soon"]) {
    const run = await runner(["format"], { TEST_STEP_TIMEOUT_S: limit });
    assert.equal(run.code, 2, `${limit}: ${run.output}`);
    assert.match(run.output, /^TEST_STEP_TIMEOUT_S: expected seconds/m);
  }
});

test("SIGTERM or SIGHUP to the runner stops the step it is running", async () => {
  for (const [signal, code] of [["TERM", 143], ["HUP", 129]] as const) {
    const mark = `TEST_RUNNER_MARK=${crypto.randomUUID()}`;
    // Through a shell, which reports the runner's own exit status (Deno's
    // child_process reports a signal it sent rather than the code).
    const child = spawn("sh", [
      "-c",
      `node scripts/test.mjs "doc examples" & p=$!; sleep 1; kill -${signal} $p; wait $p; echo "rc=$?"`,
    ], {
      env: {
        ...process.env,
        TEST_LOG_DIR: mkdtempSync(join(tmpdir(), "test-runner-")),
        TEST_RUNNER_MARK: mark.split("=")[1],
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    await new Promise((resolve) => child.on("close", resolve));
    assert.match(output, new RegExp(`rc=${code}\\n`), `${signal}: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.deepEqual(leftBehind(mark), [], signal);
  }
});
