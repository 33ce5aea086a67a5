/**
 * `kraken-embed users update|get`: the user endpoints through `EmbedClient`,
 * printing the answer's JSON.
 *
 * @module
 */

import { duplicateKey } from "../duplicate_key.ts";
import { EmbedClient } from "../../client/client.ts";
import type { CallOptions } from "../../client/users.ts";
import type { UserPatch } from "../../schemas/user_patch.ts";
import { lineText } from "../../issue_path.ts";
import { parseArgs, UsageError } from "../args.ts";
import { credentials, readText, sendingBaseUrl } from "../config.ts";
import { onStop, out, Stopped } from "../runtime.ts";

/** The command's help. */
export const HELP = `Usage:
  kraken-embed users update <IIBAN> --data FILE|- [--base-url URL] [--allow-insecure-http]
  kraken-embed users get <IIBAN> [--base-url URL] [--allow-insecure-http]

update  PATCH /b2b/users/{IIBAN} with the JSON patch in FILE, or stdin (-);
        the patch is checked against UserPatchSchema before it is sent (a
        key given twice in one object is refused)
get     GET /b2b/users/{IIBAN}

Both print the answer's JSON. Quote the IIBAN: "AA95 N84G TEST XXXX".

Options:
  --data FILE|-    the patch (update only)
  --base-url URL   default $KRAKEN_EMBED_BASE_URL, else https://nexus.kraken.com;
                   https, or http to localhost, 127.0.0.0/8 or [::1] (not
                   through a proxy in HTTP_PROXY: set NO_PROXY for it)
  --allow-insecure-http
                   let the base URL be http to any host (an emulator in another
                   container): the request then travels unencrypted
  -h, --help       show this help

Environment: KRAKEN_EMBED_API_KEY, KRAKEN_EMBED_API_SECRET (never printed).
`;

function client(flags: Record<string, string>): EmbedClient {
  return new EmbedClient({
    ...credentials(),
    // Checked here first, so that a refusal names the flag or variable.
    baseUrl: sendingBaseUrl(flags).href,
    allowInsecureHttp: flags["allow-insecure-http"] !== undefined,
  });
}

/** Runs the command; resolves with the exit code. */
export async function usersCommand(argv: readonly string[]): Promise<number> {
  const [action, ...rest] = argv;
  if (action === undefined) throw new UsageError('expected "update" or "get"');
  if (action === "--help" || action === "-h") {
    out(HELP);
    return 0;
  }
  if (action !== "update" && action !== "get") {
    // Not quoted: it may be a secret pasted in the wrong place.
    throw new UsageError('unknown action: expected "update" or "get"');
  }
  const { flags, positionals } = parseArgs(rest, {
    "base-url": "string",
    "allow-insecure-http": "boolean",
    ...(action === "update" ? { data: "string" as const } : {}),
  }, `users ${action}`);
  if (flags.help) {
    out(HELP);
    return 0;
  }
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0
        ? "expected the user's IIBAN"
        : `expected one IIBAN, got ${positionals.length} arguments (quote an IIBAN with spaces)`,
    );
  }
  const [user] = positionals;
  const embed = client(flags);
  let request = (options: CallOptions): Promise<unknown> =>
    embed.users.get(user, options);
  if (action === "update") {
    if (flags.data === undefined) {
      throw new UsageError("--data FILE|- is required: the JSON patch");
    }
    const text = await readText(flags.data, "--data");
    let patch: UserPatch;
    try {
      // A byte order mark, as Windows editors write, is not part of the
      // JSON; the client serializes the patch afresh anyway. (`sign --body`
      // keeps it: there the bytes are what is signed.)
      patch = JSON.parse(text.startsWith("\uFEFF") ? text.slice(1) : text);
    } catch {
      throw new UsageError("--data is not valid JSON");
    }
    const twice = duplicateKey(text);
    if (twice !== undefined) {
      throw new UsageError(
        `--data gives ${twice} twice in one object, of which JSON keeps the last only: give it once`,
      );
    }
    request = (options) => embed.users.update(user, patch, options);
  }
  // Ctrl+C or SIGTERM while the request is out aborts it, so that the error
  // says whether it may have taken effect (main.ts exits 128 + the signal).
  const stop = new AbortController();
  const unlisten = onStop((signal) => stop.abort(new Stopped(signal)));
  let answer: unknown;
  try {
    answer = await request({ signal: stop.signal });
  } finally {
    unlisten();
  }
  // JSON escapes only C0 controls: what else a terminal would act on or
  // show as other words (C1 controls, DEL, line separators, direction
  // overrides) is written as an escape too, line by line as lineText does,
  // which can only be in a string, so the output is the same JSON.
  const lines = JSON.stringify(answer, null, 2).split("\n");
  out(
    `${lines.map((line) => lineText(line, Infinity)).join("\n")}\n`,
    action === "update"
      ? "the update took effect (Kraken answered it)"
      : undefined,
  );
  return 0;
}
