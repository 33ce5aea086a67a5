#!/usr/bin/env node
/**
 * `kraken-embed`, the command-line companion of `@kraken-embed/client`:
 * `emulator`, `sign`, `users update|get` and `demo`. Run it with
 * `deno run -A jsr:@kraken-embed/client/cli <command>` or, from npm,
 * `npx kraken-embed <command>`.
 *
 * Exit codes: 0 success, 1 an error from the API or the network (or output
 * that cannot be written), 2 a usage error or input refused before anything
 * was sent.
 *
 * @module
 */

import {
  EmbedConfigError,
  EmbedError,
  EmbedNetworkError,
  EmbedValidationError,
  redact,
} from "../errors.ts";
import { lineText } from "../issue_path.ts";
import { UsageError } from "./args.ts";
import { credentialValues } from "./config.ts";
import { demoCommand } from "./commands/demo.ts";
import { emulatorCommand } from "./commands/emulator.ts";
import { signCommand } from "./commands/sign.ts";
import { usersCommand } from "./commands/users.ts";
import { args, err, exit, isProgram, out, Stopped } from "./runtime.ts";
import { networkDetail } from "./network_detail.ts";
import { VERSION } from "./version.ts";

const HELP = `Usage: kraken-embed <command> [options]

Commands:
  emulator [--port N]                       serve the offline Embed emulator on 127.0.0.1
  sign --method M --path P [--body FILE|-]  print a request's auth headers and a curl command
  users update <IIBAN> --data FILE|-        update a user (PATCH /b2b/users/{IIBAN})
  users get <IIBAN>                         read a user (GET /b2b/users/{IIBAN})
  demo                                      the client against the emulator, step by step

Environment:
  KRAKEN_EMBED_API_KEY, KRAKEN_EMBED_API_SECRET   credentials (sign, users)
  KRAKEN_EMBED_BASE_URL                           base URL (default https://nexus.kraken.com)

Run "kraken-embed <command> --help" (or -h, or "kraken-embed help <command>")
for a command's options, "kraken-embed --version" (or -V) for the version.

Exit status: 0 success; 1 an error from the API or the network (or the
emulator's port in use, or output that cannot be written: after an update,
its line says the update took effect); 2 a usage error or input refused
before anything was sent.
`;

const COMMANDS: Record<string, (argv: readonly string[]) => Promise<number>> = {
  emulator: emulatorCommand,
  sign: signCommand,
  users: usersCommand,
  demo: demoCommand,
};

// A message as one line of stderr, for a message can quote outside text (a
// library error quoting an answer or a fetch's error): a line break (with
// the spaces around it) and a tab become a space, and the rest is escaped as the
// library's messages escape outside text (lineText, uncut: a terminal's
// escape, a direction override). Split rather than matched around the break:
// a regular expression is quadratic in a run of spaces.
function oneLine(text: string): string {
  const lines = text.split(/[\n\r\u2028\u2029]/).map((line) => line.trim());
  return lineText(
    lines.filter((line) => line !== "").join(" ").replaceAll("\t", " "),
    Infinity,
  );
}

/** Runs one command line; resolves with the exit code, having printed any error on one line. */
async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === "--help" || name === "-h" || name === "help") {
    // `help sign`, as git takes it: that command's help.
    const [topic, ...more] = rest;
    // `help --help`, `-h -h`: help on help is the help.
    if (
      topic === undefined ||
      (more.length === 0 && (topic === "--help" || topic === "-h"))
    ) {
      out(HELP);
      return 0;
    }
    const action = more.length === 0 ||
      (topic === "users" && more.length === 1 &&
        (more[0] === "update" || more[0] === "get"));
    if (action && Object.hasOwn(COMMANDS, topic)) {
      return await main([topic, ...more, "--help"]);
    }
    err(
      `kraken-embed ${name}: expected nothing, or a command after it (emulator, sign, users, users update, users get, demo)\n`,
    );
    return 2;
  }
  if (name === "--version" || name === "-V") {
    if (rest.length > 0) {
      err(`kraken-embed ${name}: expected nothing after it\n`);
      return 2;
    }
    out(`kraken-embed ${VERSION}\n`);
    return 0;
  }
  const command = name !== undefined && Object.hasOwn(COMMANDS, name)
    ? COMMANDS[name]
    : undefined;
  if (command === undefined) {
    // The name typed is not quoted: it may be a secret pasted in the wrong
    // place, and the list of commands says more.
    err(
      `kraken-embed: ${
        name === undefined ? "missing command" : "unknown command"
      }: expected emulator, sign, users or demo (see kraken-embed --help)\n`,
    );
    return 2;
  }
  try {
    return await command(rest);
  } catch (error) {
    const prefix = `kraken-embed ${name}`;
    if (error instanceof UsageError) {
      err(
        `${prefix}: ${
          oneLine(error.message)
        } (see kraken-embed ${name} --help)\n`,
      );
      return 2;
    }
    if (
      error instanceof EmbedValidationError || error instanceof EmbedConfigError
    ) {
      err(`${prefix}: ${oneLine(error.message)}\n`);
      return 2;
    }
    if (error instanceof EmbedError) {
      // Every answer's, oldest first: an earlier attempt's that may have
      // acted is the one to ask Kraken about.
      const ids = error.traceIds?.length
        ? error.traceIds
        : "traceId" in error && error.traceId
        ? [error.traceId]
        : [];
      // A header's bytes 0x80-0x9F arrive as C1 controls: escaped.
      const trace = ids.length
        ? ` (x-trace-id ${lineText(ids.join(", "), Infinity)})`
        : "";
      // "fetch failed" alone does not say why: the reason is in its causes.
      const why = error instanceof EmbedNetworkError
        ? networkDetail(error, credentialValues())
        : "";
      // What a program reads in mayHaveTakenEffect, said to a person when
      // the message does not say it already (an earlier attempt's, a
      // timeout's or a dropped connection's).
      const effect = error.mayHaveTakenEffect &&
          !error.message.includes("may have taken effect")
        ? "; the request may have taken effect: check before sending it again"
        : "";
      // The message quotes the runtime's error, which may quote the URL: a
      // credential put in the base URL by mistake is not printed from it.
      const said = redact(error.message, ...credentialValues());
      // Aborted on Ctrl+C or SIGTERM (users.ts): said first, and the exit
      // code a shell gives a process that signal ended.
      const stopped = error.cause instanceof Stopped ? error.cause : undefined;
      err(
        `${prefix}: ${stopped ? `${stopped.message}: ` : ""}${
          oneLine(said)
        }${why}${effect}${trace}\n`,
      );
      return stopped?.exitCode ?? 1;
    }
    err(
      `${prefix}: ${
        oneLine(error instanceof Error ? error.message : String(error))
      }\n`,
    );
    return 1;
  }
}

// Only as the program: imported, the module does nothing.
if (isProgram(import.meta)) main(args()).then(exit);
