/**
 * Everything the CLI needs from its runtime: arguments, environment, stdin,
 * files, output, signals, exit and an HTTP server. It is the one CLI file
 * that touches the process, through `node:` modules, which Node, Deno and
 * Bun all provide (and, for a server's log under Deno, Deno's own stdout).
 *
 * @module
 */

import { createReadStream, realpathSync } from "node:fs";
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
  // `node main` runs main.js: Node adds the extension the path lacks.
  for (const path of [script, `${script}.js`]) {
    try {
      return realpathSync(path) === realpathSync(fileURLToPath(meta.url));
    } catch {
      // No such file: the next, or not the program.
    }
  }
  return false;
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

/**
 * An environment variable as set, an empty one as `""`; `undefined` when it
 * is not set.
 */
export function envAsSet(name: string): string | undefined {
  return process.env[name];
}

/**
 * The most a body read from stdin or a file may hold: 16 MiB, far above any
 * request's (the emulator refuses one over 64 KiB), and far below what would
 * take a machine's memory (`--data /dev/zero`, or a pipe that never ends).
 */
export const MAX_INPUT_BYTES = 16 * 1024 * 1024;

/** What reading a body past {@linkcode MAX_INPUT_BYTES} throws. */
export class InputTooLarge extends RangeError {}

// All of a stream, stopped (and the stream destroyed) past the most.
async function readAll(stream: AsyncIterable<unknown>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Uint8Array).length;
    if (size > MAX_INPUT_BYTES) throw new InputTooLarge();
    chunks.push(chunk as Uint8Array);
  }
  return concat(chunks);
}

/**
 * Reads all of stdin.
 *
 * @throws {InputTooLarge} Past {@linkcode MAX_INPUT_BYTES}.
 */
export function readStdin(): Promise<Uint8Array> {
  return readAll(process.stdin);
}

/**
 * Reads a whole file.
 *
 * @throws {InputTooLarge} Past {@linkcode MAX_INPUT_BYTES}.
 */
export function readFile(path: string): Promise<Uint8Array> {
  return readAll(createReadStream(path));
}

let pipeWatched = false;
let outputFailed = false;
let readerLeft = false;
let serving = false;

/**
 * Makes this process a server's (the emulator's): its output is a log, and
 * a reader that leaves (`kraken-embed emulator | head -4`, a test harness
 * that read the banner and closed the pipe) no longer ends it. It serves
 * on without the log, and once stopped it ends without waiting more than a
 * second for output no one reads.
 */
export function keepServing(): void {
  serving = true;
  // The same reader may have stderr too (`2>&1 | head -4`), or close it as
  // well: the notice below, or any line after, must not end the server.
  process.stderr.on("error", () => {});
}

// Output that cannot be written. `kraken-embed demo | head`: the reader
// left, so the output is no longer wanted: end quietly, as Unix tools do
// (a server serves on). Anything else (a full disk): one line on stderr,
// and the run ends with 1 whatever the command returns, so
// `users get ... > user.json && ...` does not go on with a file that lacks
// the output. Either way nothing more is written. Node reports it as an
// 'error' event, or to a write's callback; Deno throws from write().
function outputFailure(error: unknown): void {
  const { code, message } = (error ?? {}) as NodeJS.ErrnoException;
  if (code === "EPIPE" && !serving) process.exit(0);
  if (outputFailed || readerLeft) return;
  if (code === "EPIPE") {
    readerLeft = true;
    notice(
      "kraken-embed: the output's reader left: serving on without the log",
    );
    return;
  }
  outputFailed = true;
  process.exitCode = 1;
  notice(
    `kraken-embed: ${
      outputAfter ? `${outputAfter}, but ` : ""
    }cannot write the output: ${String(message)}`,
  );
}

// What had happened when the output was written: said beside a failure to
// write it, so that the exit code 1 is not read as the request's failure.
let outputAfter: string | undefined;

// One line on stderr, which may fail too (its reader gone as well): then it
// is lost, and nothing else.
function notice(line: string): void {
  try {
    process.stderr.write(`${line}\n`);
  } catch {
    // Deno throws from write().
  }
}

// Writes to stdout not yet called back, and what to do when there are none.
let pending = 0;
let drained: (() => void) | undefined;

/**
 * Writes to stdout; a failure to write makes the run end with 1.
 *
 * @param text What to write.
 * @param after What had happened when it is written, said beside a failure
 * to write it (`the update took effect`).
 */
export function out(text: string, after?: string): void {
  if (outputFailed || readerLeft) return;
  outputAfter = after;
  if (!pipeWatched) {
    pipeWatched = true;
    process.stdout.on("error", outputFailure);
  }
  let done = false;
  const written = (error?: unknown) => {
    if (done) return;
    done = true;
    if (error) outputFailure(error);
    if (--pending === 0) drained?.();
  };
  pending++;
  if (serving && denoStdout !== undefined) {
    logUnder(denoStdout, text, written);
    return;
  }
  try {
    process.stdout.write(text, written);
  } catch (error) {
    written(error);
  }
}

// Deno's stdout, where there is one. Its node:process stdout writes to a pipe
// while the event loop waits: a server's log piped to a reader that stopped
// reading (`| less`, paused) stopped the server answering, and SIGTERM went
// unheard. Deno's own stdout writes from another thread, so a server's log
// goes through it there, in order.
const denoStdout = (globalThis as {
  Deno?: { stdout: { write(bytes: Uint8Array): Promise<number> } };
}).Deno?.stdout;
let logged = Promise.resolve();
const encoder = new TextEncoder();

function logUnder(
  stdout: NonNullable<typeof denoStdout>,
  text: string,
  written: (error?: unknown) => void,
): void {
  const bytes = encoder.encode(text);
  logged = logged.then(async () => {
    for (let at = 0; at < bytes.length;) {
      at += await stdout.write(bytes.subarray(at));
    }
  }).then(() => written(), written);
}

/** Writes to stderr. */
export function err(text: string): void {
  process.stderr.write(text);
}

/** The signals that stop a command: Ctrl+C's, and a service manager's. */
export type StopSignal = "SIGINT" | "SIGTERM";

/**
 * Calls `listener` once on the first SIGINT or SIGTERM, with its name;
 * returns a function that stops listening (a second one then ends the
 * process as it would have).
 */
export function onStop(listener: (signal: StopSignal) => void): () => void {
  // Node, Deno and Bun all call a listener with the signal's name.
  const once = (signal: StopSignal) => {
    stop();
    listener(signal);
  };
  const stop = () => {
    process.off("SIGINT", once);
    process.off("SIGTERM", once);
  };
  process.on("SIGINT", once);
  process.on("SIGTERM", once);
  return stop;
}

/**
 * Why a command's request was aborted: a signal, whose exit code is the
 * shell's for a process that signal ended (128 + its number).
 */
export class Stopped extends Error {
  /** @param signal The signal received. */
  constructor(readonly signal: StopSignal) {
    super(`stopped by ${signal}`);
  }

  /** 130 for SIGINT, 143 for SIGTERM. */
  get exitCode(): number {
    return this.signal === "SIGINT" ? 130 : 143;
  }
}

/**
 * Ends the process with `code` once what was written to stdout is flushed
 * (each write called back: an empty write's callback can come before an
 * earlier write's error, in Bun), or with 1 when the output could not be
 * written.
 */
export function exit(code: number): void {
  const end = () =>
    process.stderr.write("", () => process.exit(outputFailed ? 1 : code));
  // Kept if the process ends before the writes are called back (Deno does
  // not call one back after a write that failed).
  process.exitCode = outputFailed ? 1 : code;
  if (pending === 0 || outputFailed) end();
  else {
    drained = end;
    // A server's log piped to a reader that stopped reading: its writes
    // never finish.
    if (serving) setTimeout(end, 1000);
  }
}

/** Serves `handler` over HTTP/1.1 with node:http. */
export function serve(
  handler: RawHandler,
  options: { hostname: string; port: number; maxBodyBytes: number },
): Promise<RunningServer> {
  return serveRaw(handler, options);
}
