/**
 * `kraken-embed emulator`: serves the emulator on 127.0.0.1 with throwaway
 * credentials and one seeded user, printing one line per request, until
 * SIGINT or SIGTERM.
 *
 * @module
 */

import { API_VERSION } from "../../client/options.ts";
import { createEmulator } from "../../emulator/mod.ts";
import { loggedTarget } from "../../emulator/log.ts";
import { MAX_BODY_BYTES } from "../../emulator/raw_request.ts";
import { parseArgs, unexpectedArgument, UsageError } from "../args.ts";
import { BASE_URL_VARIABLE, KEY_VARIABLE, SECRET_VARIABLE } from "../config.ts";
import { keepServing, onStop, out, serve } from "../runtime.ts";
import { generateCredentials, SEED, SEEDED_USER } from "../seed.ts";

/** The port when `--port` is not given. */
export const DEFAULT_PORT = 8787;

/** The command's help. */
export const HELP =
  `Usage: kraken-embed emulator [--port N] [--nonce-window N] [--api-versions V,...]

Serves an offline emulator of PATCH and GET /b2b/users/{user} on 127.0.0.1.
It checks API-Key, API-Sign and API-Nonce as the service does, validates
bodies with the library's schemas, and prints one line per request. It prints
a throwaway API key and secret made for this run, and the seeded user.
Stop it with Ctrl+C (SIGINT) or SIGTERM.

Options:
  --port N           the port to listen on (default ${DEFAULT_PORT}; 0 picks a free one;
                     not one fetch refuses, such as 6000 or 6666)
  --nonce-window N   accept nonces less than N below the highest seen, once each (default 0)
  --api-versions V,...
                     the Payward-Version values taken (default 2025-04-15;
                     without 2025-04-15, a request without the header is
                     refused too; sign, users and demo send 2025-04-15)
  -h, --help         show this help
`;

// The value is not quoted in the refusal: a secret pasted after the flag
// would reach stderr.
function integer(value: string, option: string, max: bigint): bigint {
  if (!/^\d{1,20}$/.test(value) || BigInt(value) > max) {
    throw new UsageError(`${option} expects an integer from 0 to ${max}`);
  }
  return BigInt(value);
}

// The Fetch standard's "bad ports", which fetch refuses to connect to (Node
// and Deno say "bad port"; Bun connects): an emulator served on one could be
// reached by no client.
const BAD_PORTS = new Set([
  1,
  7,
  9,
  11,
  13,
  15,
  17,
  19,
  20,
  21,
  22,
  23,
  25,
  37,
  42,
  43,
  53,
  69,
  77,
  79,
  87,
  95,
  101,
  102,
  103,
  104,
  109,
  110,
  111,
  113,
  115,
  117,
  119,
  123,
  135,
  137,
  139,
  143,
  161,
  179,
  389,
  427,
  465,
  512,
  513,
  514,
  515,
  526,
  530,
  531,
  532,
  540,
  548,
  554,
  556,
  563,
  587,
  601,
  636,
  989,
  990,
  993,
  995,
  1719,
  1720,
  1723,
  2049,
  3659,
  4045,
  4190,
  5060,
  5061,
  6000,
  6566,
  6665,
  6666,
  6667,
  6668,
  6669,
  6679,
  6697,
  10080,
]);

/** The error strings of an answer's body, comma-separated; "" when none. */
function errorsIn(text: string): string {
  try {
    const { error } = JSON.parse(text);
    return Array.isArray(error) ? error.join(", ") : "";
  } catch {
    return "";
  }
}

/** Runs the command; resolves with the exit code once stopped. */
export async function emulatorCommand(
  argv: readonly string[],
): Promise<number> {
  const parsed = parseArgs(argv, {
    port: "string",
    "nonce-window": "string",
    "api-versions": "string",
  }, "emulator");
  const { flags } = parsed;
  if (flags.help) {
    out(HELP);
    return 0;
  }
  if (parsed.positionals.length > 0) {
    throw unexpectedArgument(parsed, "emulator");
  }
  const port = Number(
    integer(flags.port ?? String(DEFAULT_PORT), "--port", 65535n),
  );
  if (BAD_PORTS.has(port)) {
    throw new UsageError(
      `--port ${port} is a port fetch does not connect to (the Fetch standard's bad ports): choose another`,
    );
  }
  const nonceWindow = integer(
    flags["nonce-window"] ?? "0",
    "--nonce-window",
    (1n << 64n) - 1n,
  );
  const apiVersions = flags["api-versions"]?.split(",");
  if (
    apiVersions !== undefined &&
    !apiVersions.every((version) => API_VERSION.test(version))
  ) {
    throw new UsageError(
      "--api-versions expects versions like 2025-04-15, separated by commas",
    );
  }
  const credential = generateCredentials();
  const emulator = createEmulator({
    credentials: [credential],
    users: [SEED],
    nonceWindow,
    apiVersions,
  });

  // Its log's reader may leave (a harness reads the banner and closes the
  // pipe): the emulator serves on.
  keepServing();
  // Listen for the signals before the banner: a script may send one as soon as it reads it.
  let unlisten = () => {};
  const stopped = new Promise<void>((
    resolve,
  ) => (unlisten = onStop(() => resolve())));
  let server;
  try {
    server = await serve(async (raw) => {
      const response = await emulator.handle(raw);
      const errors = errorsIn(await response.clone().text());
      out(
        `${raw.method} ${loggedTarget(raw.target)} -> ${response.status}${
          errors ? ` ${errors}` : ""
        }\n`,
      );
      return response;
    }, { hostname: "127.0.0.1", port, maxBodyBytes: MAX_BODY_BYTES });
  } catch (error) {
    unlisten();
    const code = (error as { code?: string }).code;
    if (code === "EADDRINUSE") {
      throw new Error(
        `port ${port} is in use: pick another with --port, or --port 0 for any free one`,
      );
    }
    throw error;
  }

  out(
    `Kraken Embed emulator listening on ${server.url}\n\n` +
      `Throwaway credentials, made for this run only:\n` +
      `  export ${BASE_URL_VARIABLE}=${server.url}\n` +
      `  export ${KEY_VARIABLE}=${credential.apiKey}\n` +
      `  export ${SECRET_VARIABLE}=${credential.apiSecret}\n\n` +
      `Seeded user: ${SEEDED_USER}\n` +
      `Try: kraken-embed users get "${SEEDED_USER}"\n` +
      `Nonce window: ${nonceWindow}. Stop with Ctrl+C.\n\n`,
  );

  await stopped;
  await server.close();
  out("Emulator stopped.\n");
  return 0;
}
