// The package's executables start under Node as npm links them: through the
// shebang, from the built ES module, and `--help` exits 0.
import { accessSync, constants, readFileSync } from "node:fs";
import { join } from "node:path";
import { run } from "./run.mjs";

/**
 * @param {string} npmDir The built package.
 * @param {Record<string, string> | undefined} bins npm/package.json "bin".
 * @returns {Promise<string[]>} Problems found.
 */
export async function checkBins(npmDir, bins) {
  const problems = [];
  for (const [name, target] of Object.entries(bins ?? {})) {
    // `npm publish` "corrects" a leading ./, warning that the bin "was
    // invalid and removed" (`npm pack` says nothing).
    if (target.startsWith("./")) {
      problems.push(
        `${name}: ${target} starts with ./, which npm publish rewrites`,
      );
    }
    const path = join(npmDir, target);
    if (!readFileSync(path, "utf8").startsWith("#!/usr/bin/env node\n")) {
      problems.push(
        `${name}: ${target} does not start with #!/usr/bin/env node`,
      );
      continue;
    }
    try {
      accessSync(path, constants.X_OK);
    } catch {
      problems.push(`${name}: ${target} is not executable`);
      continue;
    }
    const { code, stdout, stderr } = await run(path, ["--help"]);
    if (code !== 0) {
      problems.push(
        `${name} --help exited with ${code}:\n    ${
          (stderr || stdout).trim().split("\n").slice(0, 10).join("\n    ")
        }`,
      );
    } else console.log(`${name} --help: ${stdout.split("\n")[0]}`);
  }
  return problems;
}
