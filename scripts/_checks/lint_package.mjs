// publint --strict over npm/ and @arethetypeswrong/cli over the packed tarball:
// any publint message at all, or any attw problem in node10, node16 (CJS and
// ESM) or bundler resolution, fails the check.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { publint } from "publint";
import { formatMessage } from "publint/utils";
import { run } from "./run.mjs";

/**
 * Lints npm/ as `publint --strict` does. publint packs the folder with npm
 * itself: only then can it tell a file that exists from one that is published.
 *
 * @returns {Promise<string[]>} One line per publint message, suggestions included.
 */
export async function checkPublint(npmDir) {
  const pkg = JSON.parse(readFileSync(join(npmDir, "package.json"), "utf8"));
  const { messages } = await publint({
    pkgDir: npmDir,
    level: "suggestion",
    strict: true,
    pack: "npm",
  });
  return messages.map((message) =>
    `publint ${message.type}: ${
      formatMessage(message, pkg, { color: false }) ?? message.code
    }`
  );
}

/**
 * Runs attw's strict profile (node10, node16 from CJS and from ESM, bundler).
 *
 * @returns {Promise<{ problems: string[], report: string }>}
 */
export async function checkTypes(root, tarball) {
  const attw = join(root, "node_modules/.bin/attw");
  const { code, stdout, stderr } = await run(attw, [
    tarball,
    "--profile",
    "strict",
    "--format",
    "ascii",
    "--no-emoji",
    "--no-color",
  ]);
  const report = (stdout + stderr).trim();
  return {
    problems: code === 0
      ? []
      : [`attw found problems (exit code ${code}); see its report above`],
    report,
  };
}
