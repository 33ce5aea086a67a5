/**
 * `kraken-embed demo` (and `npm start`): the emulator on 127.0.0.1, the
 * client updating and reading back the seeded user over real HTTP, and one
 * request the emulator refuses, printed step by step. The secret and every
 * `API-Sign` value stay unprinted.
 *
 * @module
 */

import { EmbedClient } from "../../client/client.ts";
import { EmbedApiError } from "../../errors.ts";
import { createEmulator } from "../../emulator/mod.ts";
import { MAX_BODY_BYTES } from "../../emulator/raw_request.ts";
import type { UserPatch } from "../../schemas/user_patch.ts";
import { parseArgs, unexpectedArgument, UsageError } from "../args.ts";
import { httpProxyFor } from "../proxy.ts";
import { out, serve } from "../runtime.ts";
import { generateCredentials, SEED, SEEDED_USER } from "../seed.ts";

/** The command's help. */
export const HELP = `Usage: kraken-embed demo

Starts the emulator on 127.0.0.1 with a throwaway key and one user, then,
step by step: updates the user with EmbedClient over HTTP, reads it back,
shows the stored record before and after, and sends one request with a
tampered body to show how a refusal looks (EmbedApiError). Then it stops the
emulator. Offline; nothing to configure.

Options:
  -h, --help   show this help
`;

const PATCH: UserPatch = {
  phone: "+447700900123",
  occupation: "computers_and_it",
  residence: {
    line1: "1 Main Street",
    city: "Manchester",
    postal_code: "M1 1AA",
    country: "GB",
  },
  language: null,
};

const MAX_SHOWN = 100;

/** Shortens an API key for display: its first four characters. */
export function shortKey(key: string): string {
  return `${key.slice(0, 4)}…`;
}

/** A record, one field a line; marks what changed since `before`, if given. */
function fields(
  record: Record<string, unknown>,
  before?: Record<string, unknown>,
): string {
  const lines = Object.entries(record).map(([name, value]) => {
    const json = JSON.stringify(value);
    const changed = before !== undefined &&
      JSON.stringify(before[name]) !== json;
    return `   ${changed ? "*" : " "} ${name}: ${json}`;
  });
  for (const name of Object.keys(before ?? {})) {
    if (!(name in record)) lines.push(`   - ${name} (cleared)`);
  }
  return lines.join("\n");
}

function shown(text: string): string {
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
}

type Fetch = (input: string, init: RequestInit) => Promise<Response>;

/**
 * A fetch that prints each request (API-Sign redacted, API-Key shortened)
 * and its answer; `tamper` changes the body after it was signed.
 */
function tracingFetch(
  origin: string,
  tamper?: (body: string) => string,
): Fetch {
  return async (input, init) => {
    const signed = typeof init.body === "string" ? init.body : undefined;
    const sent = signed !== undefined && tamper ? tamper(signed) : signed;
    out(`   -> ${init.method} ${input.slice(origin.length)}\n`);
    new Headers(init.headers).forEach((value, name) => {
      const text = name === "api-sign"
        ? "[redacted]"
        : name === "api-key"
        ? shortKey(value)
        : value;
      out(`        ${name}: ${text}\n`);
    });
    if (sent !== undefined) {
      out(`        body: ${sent}\n`);
      if (sent !== signed) out(`        (signed body: ${signed})\n`);
    }
    const response = await fetch(input, { ...init, body: sent ?? null });
    out(`   <- ${response.status} ${shown(await response.clone().text())}\n`);
    return response;
  };
}

/** Runs the demo; resolves with the exit code. */
export async function demoCommand(argv: readonly string[]): Promise<number> {
  const parsed = parseArgs(argv, {}, "demo");
  const { flags } = parsed;
  if (flags.help) {
    out(HELP);
    return 0;
  }
  if (parsed.positionals.length > 0) {
    throw unexpectedArgument(parsed, "demo", "no arguments");
  }
  // The emulator's URL is plain http to this machine: behind a proxy that
  // the runtime would send it through, the demo could only fail.
  const proxy = httpProxyFor(new URL("http://127.0.0.1/"));
  if (proxy !== undefined) {
    throw new UsageError(
      `this runtime's fetch may send the demo's requests to 127.0.0.1 through ${proxy}: name 127.0.0.1 in NO_PROXY (NO_PROXY=localhost,127.0.0.1,::1, and no_proxy the same if set)`,
    );
  }
  const credential = generateCredentials();
  const emulator = createEmulator({ credentials: [credential], users: [SEED] });
  const server = await serve(emulator.handle, {
    hostname: "127.0.0.1",
    port: 0,
    maxBodyBytes: MAX_BODY_BYTES,
  });
  const client = (tamper?: (body: string) => string) =>
    new EmbedClient({
      ...credential,
      baseUrl: server.url,
      fetch: tracingFetch(server.url, tamper),
      maxRetries: 0,
    });
  const before = emulator.users.get(SEEDED_USER)!;

  try {
    out(
      `Kraken Embed demo: EmbedClient against the offline emulator, over HTTP\n\n` +
        `1. Started the emulator on ${server.url}\n` +
        `   API key ${
          shortKey(credential.apiKey)
        } and a throwaway secret (never printed),\n` +
        `   one user: ${SEEDED_USER}\n\n` +
        `2. The stored user before the update:\n${fields(before)}\n\n` +
        `3. client.users.update(): set phone, occupation and a new residence,\n` +
        `   clear language (null)\n`,
    );
    await client().users.update(SEEDED_USER, PATCH);
    out(`\n4. client.users.get() reads it back\n`);
    const { result } = await client().users.get(SEEDED_USER);
    out(
      `   state: ${result.status.state}, phone: ${result.phone}, ` +
        `language: ${
          "language" in result ? result.language : "(cleared)"
        }\n\n` +
        `5. The stored user after the update (* changed, - cleared):\n` +
        `${fields(emulator.users.get(SEEDED_USER)!, before)}\n\n` +
        `6. A refused request: sign one body, send another\n`,
    );
    try {
      await client((body) => body.replace("+447700900123", "+447700900999"))
        .users.update(SEEDED_USER, { phone: "+447700900123" });
      throw new Error("the emulator accepted a tampered body");
    } catch (error) {
      if (!(error instanceof EmbedApiError)) throw error;
      out(
        `   EmbedApiError: status ${error.status}, errors ${
          JSON.stringify(error.errors)
        }, ` +
          `traceId ${error.traceId}\n` +
          `   The signature covers the exact body bytes, so any change is refused.\n\n`,
      );
    }
  } finally {
    await server.close();
  }
  const nonces = new Set(emulator.log.map((entry) => entry.nonce));
  out(
    `7. Stopped the emulator. It received ${emulator.log.length} requests, ` +
      `${
        nonces.size === emulator.log.length
          ? "each with its own nonce"
          : "WITH A NONCE USED TWICE"
      }.\n`,
  );
  return 0;
}
