/**
 * Recursive file listing for the build scripts (Deno's std/fs is on JSR,
 * which these machines cannot reach).
 *
 * @module
 */

import { join } from "node:path";

/**
 * Yields the absolute path of every file under `dir`, depth first.
 *
 * @param dir The folder to walk.
 */
export async function* walkFiles(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) yield* walkFiles(path);
    else if (entry.isFile) yield path;
  }
}
