// The library as each runtime's benchmarks take it: the TypeScript source in
// Deno (the import map in deno.json), the built npm/esm in Node.
// (bench/_first_request.mjs imports it itself, to time the import.)

/** Whether this is Deno. */
export const isDeno = "Deno" in globalThis;

/** @type {typeof import("../mod.ts")} */
export const lib = isDeno
  ? await import("@kraken-embed/client")
  : await import(new URL("../npm/esm/mod.js", import.meta.url).href);
