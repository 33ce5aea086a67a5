/**
 * The package's entry points, read from deno.json "exports", so that a new
 * subpath export reaches the npm build without touching the build script.
 *
 * @module
 */

/** One entry point of the package, as deno.json exports it. */
export interface Entry {
  /** The export subpath: `.`, `./emulator`, `./cli`. */
  subpath: string;
  /** The source file relative to the repo root, without `./`: `src/emulator/mod.ts`. */
  source: string;
  /** The built file relative to a build folder, without extension: `src/emulator/mod`. */
  stem: string;
}

/**
 * Lists the entry points of a parsed deno.json.
 *
 * @param config The parsed deno.json.
 * @returns One entry per export, `.` first.
 */
export function entriesOf(config: { exports?: unknown }): Entry[] {
  const raw = config.exports;
  const map: Record<string, unknown> = typeof raw === "string"
    ? { ".": raw }
    : raw !== null && typeof raw === "object"
    ? raw as Record<string, unknown>
    : {};
  const entries: Entry[] = [];
  for (const [subpath, target] of Object.entries(map)) {
    if (typeof target !== "string" || !/^\.\/.+\.ts$/.test(target)) {
      throw new Error(
        `deno.json exports ${
          JSON.stringify(subpath)
        }: expected a "./path.ts" string, got ${JSON.stringify(target)}`,
      );
    }
    if (
      subpath !== "." && !/^\.\/[a-z0-9_-]+(?:\/[a-z0-9_-]+)*$/i.test(subpath)
    ) {
      throw new Error(
        `deno.json exports: unsupported subpath ${JSON.stringify(subpath)}`,
      );
    }
    const source = target.slice(2);
    entries.push({ subpath, source, stem: source.slice(0, -3) });
  }
  if (!entries.some((entry) => entry.subpath === ".")) {
    throw new Error('deno.json exports has no "." entry point');
  }
  return entries.sort((
    a,
    b,
  ) => (a.subpath === "." ? -1 : b.subpath === "." ? 1 : 0));
}
