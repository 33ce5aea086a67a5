// Runs tests/*_test.ts under Bun against the built npm/ package. Bun runs the
// TypeScript test files as they are; "@kraken-embed/client" resolves through
// node_modules to npm/, so the tests exercise what a Bun user installs.
import { spawn } from "node:child_process";
import { appendFileSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { linkPackage } from "./_package_link.mjs";
import { excludedSummary, printExcluded, selectTests } from "./_test_files.mjs";
import { bunFailures, describeFailures } from "../../scripts/_failures.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const bun = join(root, "node_modules/.bin/bun");

try {
  const { files, excluded } = selectTests(root, "bun");
  printExcluded("bun", excluded);
  if (files.length === 0) throw new Error("no test file to run under bun");
  linkPackage(root);

  // bun test runs its files one after another; Node's runner runs as many
  // at once as there are cores. So do the same here: one bun process per
  // core, each given a share of the files, the largest first, each file to
  // the share with the fewest bytes so far (a file's size stands in for its
  // duration). Each process's output is printed whole when it ends.
  const shares = Array.from(
    { length: Math.max(1, Math.min(availableParallelism(), files.length)) },
    () => ({ bytes: 0, files: [] }),
  );
  const sized = files.map((file) => ({ file, bytes: statSync(file).size }))
    .sort((a, b) => b.bytes - a.bytes);
  for (const { file, bytes } of sized) {
    const share = shares.reduce((a, b) => (b.bytes < a.bytes ? b : a));
    share.bytes += bytes;
    share.files.push(file);
  }
  const runs = await Promise.all(
    shares.map((share, i) => runBun(share.files, i + 1)),
  );
  const output = runs.map((run) => run.output).join("\n");
  const code = runs.find((run) => run.code !== 0)?.code ?? 0;
  // A process that ended without bun's closing line ran less than it was
  // given, whatever its exit code.
  const unfinished = runs.filter((run) =>
    !/^Ran \d+ tests? across/m.test(run.output)
  );
  if (unfinished.length > 0) {
    throw new Error(
      `bun test ended without its summary: ${
        unfinished.map((run) => run.log).join(", ")
      }`,
    );
  }

  // Each process ends with its own " 12 pass", " 0 fail" lines.
  const count = (word) =>
    [...output.matchAll(new RegExp(`^\\s*(\\d+) ${word}\\b`, "gm"))]
      .reduce((sum, match) => sum + Number(match[1]), 0);
  const [pass, fail, skip, todo] = ["pass", "fail", "skip", "todo"].map(count);
  const extra = [
    skip && `${skip} skipped`,
    todo && `${todo} todo`,
    // Each failed test named: the step's line in `npm test` shows this.
    fail && `${fail} failed${describeFailures(bunFailures(output))}`,
  ]
    .filter(Boolean).map((text) => `, ${text}`).join("");
  console.log(
    `summary: ${files.length} file${
      files.length === 1 ? "" : "s"
    }, ${pass} test${pass === 1 ? "" : "s"} passed${extra}${
      excludedSummary(excluded)
    }`,
  );
  if (pass + fail === 0) throw new Error("no test ran under bun");
  // exitCode, not exit(): what was written to a pipe is flushed first.
  if (code !== 0 || fail > 0) process.exitCode = 1;
} catch (error) {
  console.error(error.message);
  process.exitCode = 1;
}

/**
 * Runs `bun test` on some files, and prints its output whole when it ends
 * (two processes' lines interleaved would put a failure under the other's
 * file). As it comes, the output also goes to a log of its own, which shows
 * how far a process got if the step is stopped for hanging.
 */
function runBun(files, share) {
  // Paths must start with ./ or bun test reads them as name filters.
  const args = [
    "test",
    "--timeout=60000",
    ...files.map((file) => `./${relative(root, file)}`),
  ];
  const logDir = process.env.TEST_LOG_DIR || join(root, ".test-logs");
  mkdirSync(logDir, { recursive: true });
  const log = join(logDir, `bun_share_${share}.log`);
  writeFileSync(log, "");
  return new Promise((resolve) => {
    const chunks = [];
    const child = spawn(bun, args, {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const take = (chunk) => {
      chunks.push(chunk);
      appendFileSync(log, chunk);
    };
    child.stdout.on("data", take);
    child.stderr.on("data", take);
    child.on("close", (status, signal) => {
      // Decoded whole: a chunk may end inside a character.
      const output = Buffer.concat(chunks).toString("utf8");
      process.stdout.write(output);
      resolve({ output, log, code: status ?? (signal ? 1 : 0) });
    });
  });
}
