// Runs the Node tests (tests/runtimes/node.mjs, ES modules) again in the
// pinned Node LTS (scripts/_node_lts.mjs), so that the package is tested on
// the Node most users run as well as on the oldest it supports.
// `node tests/runtimes/node_lts.mjs`; the first run fetches that Node from
// npm (about 30 MB) into node_modules/.cache/.
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { nodeLts } from "../../scripts/_node_lts.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");

let binary;
try {
  binary = nodeLts(root);
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
const code = await new Promise((resolve) => {
  const child = spawn(binary, ["tests/runtimes/node.mjs", "esm"], {
    cwd: root,
    stdio: "inherit",
  });
  child.on("close", (status, signal) => resolve(status ?? (signal ? 1 : 0)));
});
process.exit(code);
