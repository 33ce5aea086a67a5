// Each entry point's module graph stays where it belongs: every entry but
// ./cli bundles for browsers and workers (no Node built-ins), and the main
// entry never reaches src/emulator/, src/cli/ or another entry point's file,
// so users of the client never pay for them.
import { bundle, ENTRY, formatBytes } from "./bundle.mjs";

// The import chain from the snippet to the first file matching `pattern`.
function chainTo(metafile, pattern) {
  const parents = new Map([[ENTRY, undefined]]);
  const queue = [ENTRY];
  while (queue.length > 0) {
    const file = queue.shift();
    if (pattern.test(file)) {
      const chain = [file];
      while (parents.get(chain[0])) chain.unshift(parents.get(chain[0]));
      return chain.join(" -> ");
    }
    for (const { path } of metafile.inputs[file]?.imports ?? []) {
      if (!parents.has(path)) {
        parents.set(path, file);
        queue.push(path);
      }
    }
  }
  return undefined;
}

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * @param {string} root The repo root.
 * @param {Record<string, any>} exportsMap npm/package.json "exports".
 * @returns {Promise<string[]>} Problems found.
 */
export async function checkBoundaries(root, exportsMap) {
  // Entry points (./package.json is exported as a plain file).
  const subpaths = Object.keys(exportsMap).filter((subpath) =>
    typeof exportsMap[subpath] === "object"
  );
  const foreign = [
    ["src/emulator/", /(?:^|\/)src\/emulator\//],
    ["src/cli/", /(?:^|\/)src\/cli\//],
    ...subpaths.filter((subpath) => subpath !== ".").map((subpath) => {
      const file = exportsMap[subpath].import.default.slice(2);
      return [`${subpath} (${file})`, new RegExp(`(?:^|/)${escape(file)}$`)];
    }),
  ];
  const problems = [];
  for (const subpath of subpaths.filter((s) => s !== "./cli")) {
    const specifier = subpath === "."
      ? "@kraken-embed/client"
      : `@kraken-embed/client/${subpath.slice(2)}`;
    try {
      const { gzipped, metafile } = await bundle(
        root,
        `export * from "${specifier}";`,
      );
      console.log(
        `bundle of all of ${specifier}: ${formatBytes(gzipped)} B gz, ` +
          "no Node built-ins",
      );
      if (subpath !== ".") continue;
      for (const [name, pattern] of foreign) {
        const chain = chainTo(metafile, pattern);
        if (chain) problems.push(`the main entry pulls in ${name}: ${chain}`);
      }
    } catch (error) {
      const messages = (error.errors ?? []).map((e) =>
        `${e.location?.file ?? ""}: ${e.text}`
      );
      problems.push(
        `${specifier} does not bundle for browsers and workers:\n    ` +
          (messages.join("\n    ") || error.message),
      );
    }
  }
  return problems;
}
