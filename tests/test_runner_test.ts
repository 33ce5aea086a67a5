// runtimes: deno — reason: runs scripts/test.mjs as a process and reads /proc to find what it left running (Linux)
// The test command's own guard: a step that runs past TEST_STEP_TIMEOUT_S is
// stopped and fails the run, a bad limit is refused, and a signal to the
// runner stops the step it is running, which runs in a process group of its
// own, so that nothing is left behind.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import {
  bunFailures,
  denoFailures,
  describeFailures,
  failureExcerpt,
  nodeTapFailures,
} from "../scripts/_failures.mjs";

interface Run {
  code: number | null;
  signal: string | null;
  output: string;
}

function runner(
  steps: string[],
  env: Record<string, string>,
  cwd = ".",
): Promise<Run> {
  const child = spawn("node", [resolve("scripts/test.mjs"), ...steps], {
    cwd,
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

// A test file (node:test) with one test that passes and three that fail:
// on an assertion, on a thrown error of two lines, in a step.
const FAILING_TESTS = [
  'import { test } from "node:test";',
  'import assert from "node:assert/strict";',
  'test("passes", () => {});',
  'test("compares", () => assert.equal(1, 2, "it\'s not two"));',
  'test("throws", () => {',
  '  throw new TypeError("first line\\nsecond line");',
  "});",
  'test("has steps", async (t) => {',
  '  await t.test("a step", () => assert.fail("the step\'s failure"));',
  "});",
  "",
].join("\n");

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

test("a failed Deno test is named, with its error's first line, on the step's line, and its error is printed whole below it", async () => {
  // A project of its own whose tests/ holds failures, run by the step as is.
  const project = mkdtempSync(join(tmpdir(), "test-runner-project-"));
  symlinkSync(resolve("node_modules"), join(project, "node_modules"));
  writeFileSync(join(project, "deno.json"), "{}\n");
  mkdirSync(join(project, "tests"));
  writeFileSync(
    join(project, "tests", "a_test.ts"),
    FAILING_TESTS,
  );
  const run = await runner(["deno tests"], {}, project).finally(() =>
    rmSync(project, { recursive: true })
  );
  assert.equal(run.code, 1, run.output);
  const line = run.output.split("\n").find((l) => l.startsWith("FAIL  "));
  assert.match(
    line ?? "",
    /^FAIL {2}deno tests \([\d.]+ s\): 1 tests passed, 3 FAILED \(compares => \.\/tests\/a_test\.ts:4:1: AssertionError: it's not two; throws => \.\/tests\/a_test\.ts:5:1: TypeError: first line; has steps \.\.\. a step => \.\/tests\/a_test\.ts:9:\d+: AssertionError: the step's failure\)$/,
    run.output,
  );
  // Below it the errors, whole (the second line of one, the other's
  // comparison), and the list of failures; not the tests that passed.
  const below = run.output.slice(run.output.indexOf(line!) + line!.length);
  assert.match(below, /^ {6} ERRORS $/m);
  assert.match(below, /^ {6}second line$/m);
  assert.match(below, /^ {6}1 !== 2$/m);
  assert.match(below, /^ {6} FAILURES $/m);
  assert.doesNotMatch(below, /passes \.\.\. ok/);
  assert.match(run.output, /0 passed, 1 failed\n$/);
});

test("a long list of errors is cut to keep the list of failures whole; other output keeps its last lines", () => {
  const errors = Array.from({ length: 100 }, (_, i) => `error line ${i}`);
  const list = [
    " FAILURES ",
    "",
    "a => ./tests/a_test.ts:1:1",
    "b => ./tests/a_test.ts:2:1",
    "",
    "FAILED | 7 passed | 2 failed (1s)",
    "",
  ];
  const output = ["x ... ok", "", " ERRORS ", "", ...errors, "", ...list].join(
    "\n",
  );
  const excerpt = failureExcerpt(output, 20);
  assert.equal(excerpt.length, 20);
  assert.deepEqual(excerpt.slice(0, 4), [
    " ERRORS ",
    "",
    "error line 0",
    "error line 1",
  ]);
  assert.equal(excerpt[12], "[91 lines of errors more in the step's log]");
  assert.deepEqual(excerpt.slice(13), list);
  // Short enough: all of it from ERRORS on.
  assert.deepEqual(failureExcerpt(output, 200), output.split("\n").slice(2));
  assert.deepEqual(denoFailures(output), [
    { test: "a => ./tests/a_test.ts:1:1", error: undefined },
    { test: "b => ./tests/a_test.ts:2:1", error: undefined },
  ]);
  const other = Array.from({ length: 100 }, (_, i) => `line ${i}`).join("\n");
  assert.deepEqual(failureExcerpt(other, 3), ["line 97", "line 98", "line 99"]);
  assert.deepEqual(denoFailures(other), []);
});

test("the Node and Bun steps name each failed test with its file and its error's first line", async () => {
  const dir = mkdtempSync(join(tmpdir(), "test-runner-failures-"));
  const file = join(dir, "some_test.mjs");
  writeFileSync(
    file,
    FAILING_TESTS,
  );
  const output = (command: string, args: string[]) =>
    new Promise<string>((done) => {
      const child = spawn(command, args, {
        cwd: dir,
        stdio: ["ignore", "pipe", "pipe"],
      });
      let text = "";
      child.stdout.on("data", (chunk) => (text += chunk));
      child.stderr.on("data", (chunk) => (text += chunk));
      child.on("close", () => done(text));
    });
  try {
    const tap = await output("node", [
      "--test",
      "--test-reporter=tap",
      file,
    ]);
    const fromNode = nodeTapFailures(tap);
    assert.deepEqual(fromNode, [
      {
        test: "compares (some_test.mjs:4:1)",
        error: "AssertionError: it's not two",
      },
      { test: "throws (some_test.mjs:5:1)", error: "TypeError: first line" },
      {
        // The step, not the test that failed only because of it.
        test: "a step (some_test.mjs:9:11)",
        error: "AssertionError: the step's failure",
      },
    ], tap);
    assert.equal(
      describeFailures(fromNode.slice(0, 2)),
      " (compares (some_test.mjs:4:1): AssertionError: it's not two; " +
        "throws (some_test.mjs:5:1): TypeError: first line)",
    );
    const bun = await output(resolve("node_modules/.bin/bun"), [
      "test",
      "./some_test.mjs",
    ]);
    assert.deepEqual(bunFailures(bun), [
      {
        test: "compares (some_test.mjs)",
        error: "AssertionError: it's not two",
      },
      { test: "throws (some_test.mjs)", error: "TypeError: first line" },
      {
        test: "has steps (some_test.mjs)",
        error: "AssertionError: the step's failure",
      },
    ], bun);
    // With many files, Bun lists the failures again at its end (seen in a
    // run of this project's tests): each is counted once.
    const recap = bun.replace(
      /^ \d+ pass$/m,
      "3 tests failed:\n(fail) compares [0.10ms]\n(fail) throws\n\n$&",
    );
    assert.notEqual(recap, bun);
    assert.deepEqual(bunFailures(recap), bunFailures(bun));
    // Two runs' output one after the other: the second's failures count.
    assert.equal(bunFailures(`${recap}\n${bun}`).length, 6);
    assert.equal(describeFailures([]), "");
  } finally {
    rmSync(dir, { recursive: true });
  }
});
