// Runs tests/*_test.ts under Bun against the built npm/ package. Bun runs the
// TypeScript test files as they are; "@kraken-embed/client" resolves through
// node_modules to npm/, so the tests exercise what a Bun user installs.
import { spawn } from "node:child_process";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { linkPackage } from "./_package_link.mjs";
import { excludedSummary, printExcluded, selectTests } from "./_test_files.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const bun = join(root, "node_modules/.bin/bun");

try {
  const { files, excluded } = selectTests(root, "bun");
  printExcluded("bun", excluded);
  if (files.length === 0) throw new Error("no test file to run under bun");
  linkPackage(root);

  // Paths must start with ./ or bun test reads them as name filters.
  const args = [
    "test",
    "--timeout=60000",
    ...files.map((file) => `./${relative(root, file)}`),
  ];
  let output = "";
  const code = await new Promise((resolve) => {
    const child = spawn(bun, args, {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const forward = (stream) => (chunk) => {
      output += chunk;
      stream.write(chunk);
    };
    child.stdout.on("data", forward(process.stdout));
    child.stderr.on("data", forward(process.stderr));
    child.on("close", (status, signal) => resolve(status ?? (signal ? 1 : 0)));
  });

  const count = (word) =>
    Number(new RegExp(`^\\s*(\\d+) ${word}\\b`, "m").exec(output)?.[1] ?? 0);
  const [pass, fail, skip, todo] = ["pass", "fail", "skip", "todo"].map(count);
  const extra = [
    skip && `${skip} skipped`,
    todo && `${todo} todo`,
    fail && `${fail} failed`,
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
  if (code !== 0 || fail > 0) process.exit(1);
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
