// Runs tests/*_test.ts under Node against the built npm/ package, as ES modules
// (`node tests/runtimes/node.mjs esm`) or CommonJS (`... cjs`). Node 20 cannot
// run TypeScript, so esbuild compiles each test file to one .mjs or .cjs file
// that keeps "@kraken-embed/client" and every other package external: the
// package then loads through its "import" or "require" export. import.meta.url
// is pinned to the source file's URL, so paths relative to it still resolve.
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism } from "node:os";
import { basename, dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import * as esbuild from "esbuild";
import { linkPackage } from "./_package_link.mjs";
import { excludedSummary, printExcluded, selectTests } from "./_test_files.mjs";
import { describeFailures, nodeTapFailures } from "../../scripts/_failures.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;

async function compileTest(file, format, outDir) {
  const ext = format === "esm" ? ".mjs" : ".cjs";
  const outfile = join(outDir, basename(file).replace(/\.ts$/, ext));
  try {
    const { metafile } = await esbuild.build({
      entryPoints: [file],
      outfile,
      bundle: true,
      format,
      platform: "node",
      target: "node20",
      packages: "external",
      // ES modules are strict; esbuild's CommonJS output is not, unless asked.
      banner: format === "cjs" ? { js: '"use strict";' } : undefined,
      define: {
        "import.meta.url": JSON.stringify(pathToFileURL(file).href),
        "import.meta.filename": JSON.stringify(file),
        "import.meta.dirname": JSON.stringify(dirname(file)),
      },
      metafile: true,
      logLevel: "silent",
    });
    // A test that imports ../src/ directly tests the source here, not the build.
    const fromSource = Object.keys(metafile.inputs)
      .filter((input) => /^(?:src\/|mod\.ts$)/.test(input));
    return { outfile, fromSource };
  } catch (error) {
    const messages = (error.errors ?? []).map((e) =>
      `${e.location?.file ?? file}:${e.location?.line ?? 0}: ${e.text}`
    );
    const hint = messages.some((m) => /top-level await/i.test(m))
      ? "\n  CommonJS has no top-level await: move it into the tests, or mark" +
        ' the file "// runtimes: deno, node-esm, bun — reason: top-level await"'
      : "";
    throw new Error(
      `cannot compile ${relative(root, file)} to ${format}:\n  ` +
        (messages.join("\n  ") || error.message) + hint,
    );
  }
}

function runNodeTest(files, tapFile) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [
      "--test",
      `--test-concurrency=${availableParallelism()}`,
      "--test-timeout=60000",
      "--test-reporter=spec",
      "--test-reporter-destination=stdout",
      "--test-reporter=tap",
      `--test-reporter-destination=${tapFile}`,
      ...files,
    ], { cwd: root, stdio: "inherit" });
    child.on("close", (status, signal) => resolve(status ?? (signal ? 1 : 0)));
  });
}

function readCounts(tapFile) {
  let tap = "";
  try {
    tap = readFileSync(tapFile, "utf8");
  } catch {
    // Node stopped before reporting; its exit code says why.
  }
  const count = (name) =>
    Number(new RegExp(`^# ${name} (\\d+)$`, "m").exec(tap)?.[1] ?? 0);
  const names = ["tests", "pass", "fail", "cancelled", "skipped", "todo"];
  return {
    ...Object.fromEntries(names.map((name) => [name, count(name)])),
    failures: nodeTapFailures(tap),
  };
}

async function main(format) {
  const runtime = `node-${format}`;
  // Under node_modules: packages resolve from the repo's node_modules, and no
  // tool (git, deno fmt, deno lint) looks at the compiled copies.
  const outDir = join(root, "node_modules/.cache/kraken-embed", runtime);
  const { files, excluded } = selectTests(root, runtime);
  printExcluded(runtime, excluded);
  if (files.length === 0) {
    throw new Error(`no test file to run under ${runtime}`);
  }
  linkPackage(root);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });

  const compiled = await Promise.all(
    files.map((file) => compileTest(file, format, outDir)),
  );
  const fromSource = compiled.filter((c) => c.fromSource.length > 0);
  for (const { outfile, fromSource: inputs } of fromSource) {
    console.log(
      `note: ${basename(outfile)} tests source files, not the package: ${
        inputs.join(", ")
      }`,
    );
  }

  const tapFile = join(outDir, "results.tap");
  const code = await runNodeTest(compiled.map((c) => c.outfile), tapFile);
  const { tests, pass, fail, cancelled, skipped, todo, failures } = readCounts(
    tapFile,
  );
  const extra = [
    skipped && `${skipped} skipped`,
    todo && `${todo} todo`,
    // Each failed test named: the step's line in `npm test` shows this.
    fail && `${fail} failed${describeFailures(failures)}`,
    cancelled && `${cancelled} cancelled`,
    fromSource.length &&
    `${plural(fromSource.length, "file")} also import src/ directly`,
  ].filter(Boolean).map((text) => `, ${text}`).join("");
  console.log(
    `summary: ${plural(files.length, "file")}, ${plural(pass, "test")} passed` +
      extra + excludedSummary(excluded),
  );
  if (tests === 0) throw new Error(`no test ran under ${runtime}`);
  return code === 0 && fail === 0 && cancelled === 0;
}

const format = process.argv[2];
if (format !== "esm" && format !== "cjs") {
  console.error("usage: node tests/runtimes/node.mjs esm|cjs");
  process.exit(2);
}
try {
  if (!await main(format)) process.exit(1);
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
