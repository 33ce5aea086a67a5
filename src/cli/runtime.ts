/**
 * Everything the CLI needs from its runtime: arguments, environment, stdin,
 * files, output, signals, exit and an HTTP server. It is the one CLI file
 * that touches the process, through `node:` modules, which Node, Deno and
 * Bun all provide.
 *
 * @module
 */

import { realpathSync } from "node:fs";
import { readFile as readFileBytes } from "node:fs/promises";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { concat } from "../emulator/raw_request.ts";
import {
  type RawHandler,
  type RunningServer,
  serveRaw,
} from "./http_adapter.ts";

export type { RunningServer };

/**
 * Whether the module of `meta` is the program being run, rather than a
 * module imported by another: Deno, Bun and recent Node say so in
 * `import.meta.main`; elsewhere (Node 20, through the npm bin's symlink) the
 * script Node was given resolves to this file.
 */
export function isProgram(meta: ImportMeta): boolean {
  const { main } = meta as { main?: unknown };
  if (typeof main === "boolean") return main;
  const script = process.argv[1];
  if (script === undefined || !meta.url.startsWith("file:")) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(meta.url));
  } catch {
    return false;
  }
}

/** The command-line arguments after the script. */
export function args(): string[] {
  return process.argv.slice(2);
}

/** An environment variable, or `undefined` when unset or empty. */
export function env(name: string): string | undefined {
  const value = process.env[name];
  return value === undefined || value === "" ? undefined : value;
}

/** Reads all of stdin. */
export async function readStdin(): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Uint8Array);
  return concat(chunks);
}

/** Reads a whole file. */
export async function readFile(path: string): Promise<Uint8Array> {
  return new Uint8Array(await readFileBytes(path));
}

let pipeWatched = false;

/** Writes to stdout. */
export function out(text: string): void {
  if (!pipeWatched) {
    pipeWatched = true;
    // `kraken-embed demo | head`: the reader left, so the output is no longer
    // wanted. End quietly, as Unix tools do, rather than with a stack trace.
    process.stdout.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EPIPE") process.exit(0);
      throw error;
    });
  }
  process.stdout.write(text);
}

/** Writes to stderr. */
export function err(text: string): void {
  process.stderr.write(text);
}

/** Calls `listener` once on the first SIGINT or SIGTERM; returns a function that stops listening. */
export function onStop(listener: () => void): () => void {
  const once = () => {
    stop();
    listener();
  };
  const stop = () => {
    process.off("SIGINT", once);
    process.off("SIGTERM", once);
  };
  process.on("SIGINT", once);
  process.on("SIGTERM", once);
  return stop;
}

/** Ends the process with `code` once stdout and stderr are flushed. */
export function exit(code: number): void {
  process.stdout.write("", () => {
    process.stderr.write("", () => process.exit(code));
  });
}

/** Serves `handler` over HTTP/1.1 with node:http. */
export function serve(
  handler: RawHandler,
  options: { hostname: string; port: number; maxBodyBytes: number },
): Promise<RunningServer> {
  return serveRaw(handler, options);
}
