/**
 * The published package.json, derived from deno.json (identity), package.json
 * (the valibot version) and the entry points, so the two manifests never
 * disagree.
 *
 * @module
 */

import type { Entry } from "./entries.ts";

/** What the npm manifest is made from. */
export interface ManifestInput {
  /** The parsed deno.json. */
  deno: Record<string, unknown>;
  /** The runtime dependencies, name to version, from the root package.json. */
  dependencies: Record<string, string>;
  entries: Entry[];
  /** The built stem of the `kraken-embed` executable (`src/cli/main`), if any. */
  bin?: string | undefined;
}

const IDENTITY = [
  "name",
  "version",
  "description",
  "license",
  "repository",
  "keywords",
];
const REQUIRED = ["name", "version", "description", "license"];

function conditions(entry: Entry) {
  return {
    import: {
      types: `./esm/${entry.stem}.d.ts`,
      default: `./esm/${entry.stem}.js`,
    },
    require: {
      types: `./script/${entry.stem}.d.ts`,
      default: `./script/${entry.stem}.js`,
    },
  };
}

/**
 * Builds the npm package.json.
 *
 * @throws {Error} When deno.json lacks a name, version, description or license.
 */
export function packageJson(input: ManifestInput): Record<string, unknown> {
  const manifest: Record<string, unknown> = {};
  for (const key of IDENTITY) {
    if (input.deno[key] !== undefined) manifest[key] = input.deno[key];
    else if (REQUIRED.includes(key)) {
      throw new Error(`deno.json has no "${key}"`);
    }
  }
  const main = input.entries.find((entry) => entry.subpath === ".")!;
  const subpaths = input.entries.filter((entry) => entry !== main);
  Object.assign(manifest, {
    type: "module",
    // For resolvers that predate "exports" (node10, old bundlers).
    main: `./script/${main.stem}.js`,
    module: `./esm/${main.stem}.js`,
    types: `./script/${main.stem}.d.ts`,
    exports: {
      ...Object.fromEntries(
        input.entries.map((entry) => [entry.subpath, conditions(entry)]),
      ),
      // For tools that read the installed version.
      "./package.json": "./package.json",
    },
  });
  if (subpaths.length > 0) {
    // node10 type resolution ignores "exports"; this maps `pkg/emulator` for it.
    manifest.typesVersions = {
      "*": Object.fromEntries(
        subpaths.map((
          entry,
        ) => [entry.subpath.slice(2), [`./script/${entry.stem}.d.ts`]]),
      ),
    };
  }
  if (input.bin) {
    // No leading "./": `npm publish` "corrects" it, warning that the bin
    // "was invalid and removed".
    manifest.bin = { "kraken-embed": `esm/${input.bin}.js` };
  }
  Object.assign(manifest, {
    files: ["esm/", "script/"],
    sideEffects: false,
    engines: { node: ">=20" },
    dependencies: input.dependencies,
  });
  return manifest;
}
