// Checks the built npm/ package the way its users meet it: publint --strict,
// @arethetypeswrong/cli on the packed tarball, the file list `npm pack` would
// publish, bundle-size budgets, entry-point boundaries and the bin. Run after
// scripts/build_npm.ts; every check runs, and the exit code is non-zero if
// any failed.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { checkBins } from "./_checks/bin.mjs";
import { checkBoundaries } from "./_checks/boundaries.mjs";
import { checkBudgets } from "./_checks/bundle_budgets.mjs";
import { checkConsumerTypes } from "./_checks/consumer_types.mjs";
import { checkMinifiedNames } from "./_checks/minified_names.mjs";
import { checkPublint, checkTypes } from "./_checks/lint_package.mjs";
import { checkPackList, packTarball } from "./_checks/pack.mjs";
import { checkReadmeSizes } from "./_checks/readme_sizes.mjs";
import { linkPackage } from "../tests/runtimes/_package_link.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const npmDir = join(root, "npm");
if (!existsSync(join(npmDir, "package.json"))) {
  console.error(
    "npm/ is not built: run node_modules/.bin/deno run -A scripts/build_npm.ts first",
  );
  process.exit(1);
}
const { exports: exportsMap, bin } = JSON.parse(
  readFileSync(join(npmDir, "package.json"), "utf8"),
);

const failures = [];
const summary = [];
async function step(name, check) {
  try {
    const problems = await check();
    if (problems.length > 0) {
      failures.push(...problems.map((problem) => `${name}: ${problem}`));
      console.log(`FAIL ${name}\n  ${problems.join("\n  ")}`);
    } else console.log(`ok   ${name}`);
  } catch (error) {
    failures.push(`${name}: ${error.message}`);
    console.log(`FAIL ${name}: ${error.stack ?? error}`);
  }
}

const temp = mkdtempSync(join(tmpdir(), "kraken-embed-pack-"));
try {
  await step(
    "npm pack --dry-run lists only the build, README.md, LICENSE and package.json",
    async () => {
      const { problems, count } = await checkPackList(npmDir);
      summary.push(`pack ${count} files`);
      return problems;
    },
  );
  await step("publint --strict", async () => {
    const problems = await checkPublint(npmDir);
    summary.push(
      problems.length === 0
        ? "publint clean"
        : `publint ${problems.length} messages`,
    );
    return problems;
  });
  await step("attw on the packed tarball", async () => {
    const tarball = await packTarball(npmDir, temp);
    const { problems, report } = await checkTypes(root, tarball);
    console.log(report.split("\n").map((line) => `  ${line}`).join("\n"));
    summary.push(problems.length === 0 ? "attw clean" : "attw problems");
    return problems;
  });
  await step(
    "tsc type-checks the compile-time tests against npm/ types",
    async () => {
      linkPackage(root);
      const { problems, checked } = await checkConsumerTypes(root);
      summary.push(
        problems.length === 0
          ? `types checked by tsc (${checked.join(", ")})`
          : "types rejected by tsc",
      );
      return problems;
    },
  );
  await step("bundle budgets", async () => {
    linkPackage(root);
    const { problems, measured, sizes } = await checkBudgets(root);
    summary.push(`bundle ${measured.join("; ")}`);
    return [...problems, ...checkReadmeSizes(root, sizes)];
  });
  await step("error names survive minification", () => {
    linkPackage(root);
    return checkMinifiedNames(root);
  });
  await step("entry point boundaries", () => checkBoundaries(root, exportsMap));
  await step("package.json resolves through the exports", () => {
    linkPackage(root);
    const resolved = createRequire(join(root, "package.json")).resolve(
      "@kraken-embed/client/package.json",
    );
    const { name } = JSON.parse(readFileSync(resolved, "utf8"));
    return name === "@kraken-embed/client"
      ? []
      : [`@kraken-embed/client/package.json resolved to ${resolved} (${name})`];
  });
  if (bin) {
    await step("bin runs under Node", () => checkBins(npmDir, bin));
  }
} finally {
  rmSync(temp, { recursive: true, force: true });
}

console.log(`summary: ${summary.join("; ")}`);
if (failures.length > 0) {
  console.log(
    `${failures.length} problem${failures.length === 1 ? "" : "s"}:\n  ${
      failures.join("\n  ")
    }`,
  );
  process.exit(1);
}
