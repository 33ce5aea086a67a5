/**
 * Runs tsc over the entry points into one build folder (ES modules or
 * CommonJS), then fixes what tsc leaves behind: `.ts` specifiers in emitted
 * .d.ts files (tsc rewrites them only in JavaScript).
 *
 * The tsc config is generated into a temp dir so that no tsconfig.json ever
 * sits in the repo, where Deno would pick it up.
 *
 * @module
 */

import { join, relative } from "node:path";
import { walkFiles } from "./walk.ts";

/** Which module system a build folder holds. */
export type Format = "esm" | "cjs";

/** What one tsc pass needs. */
export interface CompileOptions {
  /** Absolute path of the repo root (the rootDir of the emitted tree). */
  root: string;
  /** Absolute paths of the entry source files. */
  files: string[];
  /** Absolute path of the output folder. */
  outDir: string;
  format: Format;
  /** Include @types/node (only the CLI may use Node's APIs). */
  nodeTypes: boolean;
}

const TSC = "node_modules/.bin/tsc";

function configFor(options: CompileOptions, emit = true) {
  const esm = options.format === "esm";
  return {
    files: options.files,
    compilerOptions: {
      target: "ES2022",
      lib: ["ES2022", "DOM", "DOM.Iterable"],
      // NodeNext reads the format from the repo's package.json: ES modules.
      module: esm ? "NodeNext" : "CommonJS",
      moduleResolution: esm ? "NodeNext" : "Node10",
      esModuleInterop: true,
      strict: true,
      // As deno.json: the source must compile for a consumer who sets it.
      exactOptionalPropertyTypes: true,
      isolatedModules: true,
      skipLibCheck: true,
      allowImportingTsExtensions: true,
      rewriteRelativeImportExtensions: true,
      types: options.nodeTypes ? ["node"] : [],
      typeRoots: [join(options.root, "node_modules/@types")],
      pretty: false,
      ...(emit
        ? {
          declaration: true,
          noEmitOnError: true,
          newLine: "lf",
          rootDir: options.root,
          outDir: options.outDir,
        }
        : { noEmit: true }),
    },
  };
}

function hintFor(format: Format, diagnostics: string): string {
  if (format === "cjs" && /error TS(?:1378|1343|1309):/.test(diagnostics)) {
    return "\nhint: npm/script is CommonJS, which has no top-level await and " +
      "no import.meta; entry points must do without them " +
      "(e.g. main().then(...) rather than await main())";
  }
  if (
    /error TS(?:2304|2580|2591): Cannot find name '(?:Deno|process|Buffer|require)'/
      .test(diagnostics)
  ) {
    return "\nhint: outside src/cli/ the code must be runtime-neutral; " +
      "src/cli/ reaches Node and Deno alike through node: modules";
  }
  return "";
}

async function runTsc(label: string, options: CompileOptions, emit: boolean) {
  const temp = await Deno.makeTempDir({ prefix: "kraken-embed-tsc-" });
  try {
    const configPath = join(temp, `tsconfig.${label}.json`);
    await Deno.writeTextFile(
      configPath,
      JSON.stringify(configFor(options, emit)),
    );
    const { code, stdout, stderr } = await new Deno.Command(TSC, {
      args: ["-p", configPath],
      cwd: options.root,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const decoder = new TextDecoder();
    const diagnostics = (decoder.decode(stdout) + decoder.decode(stderr))
      .trim();
    if (code !== 0 || diagnostics !== "") {
      throw new Error(
        `tsc (${label}) failed with exit code ${code}:\n` +
          (diagnostics || "(no output)") + hintFor(options.format, diagnostics),
      );
    }
  } finally {
    await Deno.remove(temp, { recursive: true });
  }
}

// A relative module specifier ending in .ts inside from "...", import("...")
// or a side-effect import "...".
const TS_SPECIFIER =
  /((?:\bfrom|\bimport)\s*\(?\s*)(["'])(\.{1,2}\/[^"'\n]*?)\.ts\2/g;

/** Rewrites `./x.ts` module specifiers to `./x.js`; returns the new text. */
export function rewriteTsSpecifiers(text: string): string {
  return text.replace(
    TS_SPECIFIER,
    (_, head, quote, path) => `${head}${quote}${path}.js${quote}`,
  );
}

/**
 * Compiles the entry points (and everything they import) into `outDir`.
 *
 * @throws {Error} With tsc's diagnostics when tsc reports anything.
 * @returns The files written, relative to `outDir`.
 */
export async function compile(options: CompileOptions): Promise<string[]> {
  await runTsc(options.format, options, true);
  const written: string[] = [];
  for await (const path of walkFiles(options.outDir)) {
    if (path.endsWith(".d.ts")) {
      const text = await Deno.readTextFile(path);
      const fixed = rewriteTsSpecifiers(text);
      if (fixed !== text) await Deno.writeTextFile(path, fixed);
    }
    written.push(relative(options.outDir, path));
  }
  return written.sort();
}

/**
 * Type-checks entry points without Node's types, proving that they (and all
 * they import) use only what browsers and workers also have.
 *
 * @throws {Error} With tsc's diagnostics when tsc reports anything.
 */
export async function checkNeutral(root: string, files: string[]) {
  const options: CompileOptions = {
    root,
    files,
    outDir: "",
    format: "esm",
    nodeTypes: false,
  };
  await runTsc("neutral", options, false);
}
