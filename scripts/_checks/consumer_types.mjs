// The package's types as a TypeScript user gets them: the compile-time tests
// (FILES below) type-checked by tsc against the built npm/ .d.ts files,
// through "@kraken-embed/client"'s exports map, with node16 and with bundler
// resolution, with node16 and no `dom` lib (only @types/node 20's globals, as
// in a Node project built on @tsconfig/node20), and the key type's checks
// with Workers' types alone and with no WebCrypto declared at all. Deno checks the same files against the source;
// this catches a .d.ts that says something else, or needs a global it lacks.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "./run.mjs";

const FILES = [
  "tests/schema_compat_test.ts",
  "tests/schemas_types_test.ts",
  "tests/crypto_key_types_test.ts",
];
const SETTINGS = [
  { name: "node16", module: "node16", resolution: "node16", lib: "es2022,dom" },
  {
    name: "bundler",
    module: "esnext",
    resolution: "bundler",
    lib: "es2022,dom",
  },
  {
    name: "node16 without dom",
    module: "node16",
    resolution: "node16",
    lib: "es2022",
  },
  // Workers' own types, without Node's or the dom lib: only the key type's
  // checks, which need no test runner.
  {
    name: "Workers' types",
    module: "esnext",
    resolution: "bundler",
    lib: "es2022",
    types: "@cloudflare/workers-types",
    files: ["tests/_key_types.ts"],
  },
  // No WebCrypto declared at all (no `dom` lib, no type packages, as
  // TypeScript 6's `tsc --init` leaves `types` empty) and the declarations
  // not checked: the key type must not become `any` there.
  {
    name: "no web globals, skipLibCheck",
    module: "esnext",
    resolution: "bundler",
    lib: "es2022",
    types: null,
    files: ["tests/_no_web_globals.ts"],
  },
];

/** @returns {Promise<{ problems: string[], checked: string[] }>} */
export async function checkConsumerTypes(root) {
  const problems = [];
  const checked = [];
  // A folder with no type packages in it, for `--typeRoots`: tsc's `--types`
  // cannot be given an empty list.
  const noTypes = await mkdtemp(join(tmpdir(), "no-types-"));
  try {
    for (const setting of SETTINGS) {
      const problem = await checkSetting(root, setting, noTypes);
      if (problem) problems.push(problem);
      else checked.push(setting.name);
    }
  } finally {
    await rm(noTypes, { recursive: true, force: true });
  }
  return { problems, checked };
}

// Type-checks `setting`'s files as a consumer would: what tsc said when it
// rejects them, otherwise undefined.
async function checkSetting(root, setting, noTypes) {
  const { name, module, resolution, lib } = setting;
  const { code, stdout, stderr } = await run(
    join(root, "node_modules/.bin/tsc"),
    [
      "--noEmit",
      // The tests import their helpers as Deno does, by .ts path.
      "--allowImportingTsExtensions",
      "--strict",
      // As strict as a consumer may be: an optional option may be given
      // as undefined (\`baseUrl: process.env.KRAKEN_EMBED_BASE_URL\`).
      "--exactOptionalPropertyTypes",
      "--module",
      module,
      "--moduleResolution",
      resolution,
      "--target",
      "es2022",
      "--lib",
      lib,
      ...(setting.types === null
        ? ["--typeRoots", noTypes, "--skipLibCheck"]
        : ["--types", setting.types ?? "node"]),
      ...(setting.files ?? FILES),
    ],
    { cwd: root },
  );
  if (code !== 0) {
    return `tsc (${name}) rejects the package's types:\n    ${
      (stdout + stderr).trim().split("\n").join("\n    ")
    }`;
  }
}
