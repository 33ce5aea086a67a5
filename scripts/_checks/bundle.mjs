// One esbuild bundle of a snippet that imports the built package, as a
// browser or worker app would: minified ES module, valibot included, sizes
// measured raw and gzipped.
import { gzipSync } from "node:zlib";
import * as esbuild from "esbuild";

/** The name esbuild gives the snippet in its metafile. */
export const ENTRY = "budget-entry.js";

export const formatBytes = (bytes) => bytes.toLocaleString("en-US");

/**
 * @param {string} root The repo root, where "@kraken-embed/client" resolves.
 * @param {string} contents The snippet, e.g. `export { signRequest } from "@kraken-embed/client";`.
 */
export async function bundle(root, contents) {
  const result = await esbuild.build({
    stdin: { contents, resolveDir: root, loader: "js", sourcefile: ENTRY },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  const text = result.outputFiles[0].contents;
  return {
    bytes: text.byteLength,
    gzipped: gzipSync(text).byteLength,
    metafile: result.metafile,
    output: Object.values(result.metafile.outputs)[0],
  };
}
