// The error classes keep their names in a minified bundle, as a Worker or a
// browser app ships them: a minifier renames classes, so a name read from
// the class would come out as "v" in logs and `String(error)`.
import * as esbuild from "esbuild";

const CLASSES = {
  EmbedConfigError: 'new lib.EmbedConfigError("field", "message")',
  EmbedValidationError:
    'new lib.EmbedValidationError("patch", [{ path: "", message: "m" }])',
  EmbedApiError: 'new lib.EmbedApiError("message", { status: 500 })',
  EmbedTimeoutError: "new lib.EmbedTimeoutError(100, 1)",
  EmbedNetworkError: 'new lib.EmbedNetworkError(1, new TypeError("reset"))',
  EmbedAbortError: 'new lib.EmbedAbortError("reason")',
};

/**
 * @param {string} root The repo root, where "@kraken-embed/client" resolves.
 * @returns {Promise<string[]>} Problems found.
 */
export async function checkMinifiedNames(root) {
  const contents = `import * as lib from "@kraken-embed/client";
export const names = [${Object.values(CLASSES).map((make) => `${make}.name`)}];
export const renamed = lib.EmbedConfigError.name;`;
  const result = await esbuild.build({
    stdin: { contents, resolveDir: root, loader: "js" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    write: false,
    logLevel: "silent",
  });
  const code = result.outputFiles[0].text;
  const { names, renamed } = await import(
    `data:text/javascript;base64,${Buffer.from(code).toString("base64")}`
  );
  const problems = [];
  // The check can see a renamed class: the bundle did rename them.
  if (renamed === "EmbedConfigError") {
    problems.push("the minified bundle kept the class names: nothing tested");
  }
  Object.keys(CLASSES).forEach((expected, i) => {
    if (names[i] !== expected) {
      problems.push(`${expected} is named ${JSON.stringify(names[i])}`);
    }
  });
  return problems;
}
