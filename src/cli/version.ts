/**
 * The package's version, as deno.json gives it (npm/package.json is built
 * from deno.json): what `kraken-embed --version` prints. tests/cli_test.ts
 * holds it to deno.json's.
 *
 * @module
 */

/** The version of `@kraken-embed/client` this CLI belongs to. */
export const VERSION = "0.1.0";
