/**
 * `createEmulator()`: an offline stand-in for the Embed endpoints this
 * library covers, behind a standard fetch handler.
 *
 * @module
 */

import { type Answer, failure, toResponse } from "./answer.ts";
import { Authenticator, type EmulatorCredential } from "./auth.ts";
import { type Fault, FaultQueue, type ResolvedFault, wait } from "./faults.ts";
import { createHandler, type Turn } from "./handler.ts";
import {
  type EmulatorLogEntry,
  loggedKey,
  loggedNonce,
  loggedTarget,
  RequestLog,
} from "./log.ts";
import { rawHead, type RawRequest, readBody } from "./raw_request.ts";
import { checkRawRequest } from "./check_raw_request.ts";
import { wellFormed } from "./target.ts";
import { type EmulatorUsers, type UserSeed, UserStore } from "./store.ts";
import { unknownKey } from "../issue_path.ts";
import { optionValues } from "../option_values.ts";
import { API_VERSION, DEFAULT_API_VERSION } from "../client/options.ts";

/**
 * Options of {@linkcode createEmulator}.
 *
 * @example Two keys, one user, a nonce window of one second of microseconds
 * ```ts
 * import type { EmulatorOptions } from "@kraken-embed/client/emulator";
 *
 * const options: EmulatorOptions = {
 *   credentials: [
 *     { apiKey: "worker-a", apiSecret: "c2VjcmV0LWE=" },
 *     { apiKey: "worker-b", apiSecret: "c2VjcmV0LWI=" },
 *   ],
 *   users: [{ user: "AA95 N84G TEST XXXX" }],
 *   nonceWindow: 1_000_000,
 * };
 * ```
 */
export interface EmulatorOptions {
  /** The API keys and base64 secrets the emulator accepts (at least one). */
  credentials: readonly EmulatorCredential[];
  /** The users that exist from the start. Default none. */
  users?: readonly UserSeed[] | undefined;
  /**
   * How far below the highest nonce a key has used a new nonce may be (less
   * than this far: with 10 and a highest of 100, 91 passes and 90 does not),
   * so that requests sent in parallel may arrive out of order (Kraken's "nonce
   * window"). Each nonce is still accepted once. Default 0: every nonce
   * must be above the last one accepted for its key. In the unit of the
   * nonces: microseconds for the client's default nonce source.
   *
   * To bound memory, each key remembers at most 100,000 used nonces within
   * the window. Past that, the lowest is forgotten, and from then on every
   * nonce at or below the highest forgotten one is refused: a key may be
   * refused more than the window alone would refuse, but a nonce is never
   * accepted twice.
   */
  nonceWindow?: number | bigint | undefined;
  /**
   * The API versions the emulator takes in `Payward-Version` (or the
   * authentication guide's `Kraken-Version`). A request that sends another
   * is refused with 400 `EGeneral:Invalid arguments:Payward-Version` (or
   * `:Kraken-Version`, whichever header was sent), before
   * its key is checked, consuming no nonce; one that sends neither gets the
   * default, as the reference says. Default `["2025-04-15"]`, the only
   * version the reference lists: add a newer one here to test a client whose
   * `apiVersion` asks for it.
   */
  apiVersions?: readonly string[] | undefined;
}

/**
 * An emulator made by {@linkcode createEmulator}.
 *
 * @example Checking what a test sent
 * ```ts
 * import { createEmulator } from "@kraken-embed/client/emulator";
 *
 * const emulator = createEmulator({
 *   credentials: [{ apiKey: "test-key", apiSecret: "c2VjcmV0LWJ5dGVz" }],
 * });
 * const response = await emulator.fetch(new Request("http://emulator.test/b2b/assets"));
 * console.log(response.status); // 404: not an endpoint the emulator covers
 * console.log(emulator.log.at(-1)?.status); // 404
 * ```
 */
export interface Emulator {
  /**
   * The fetch handler: answers one request. Already bound, so it can be
   * passed as it is to `Deno.serve`, `Bun.serve`, a Worker's `fetch`, or a
   * client's `fetch` option (through `new Request(input, init)`).
   *
   * The signature is checked over the request target found in
   * `request.url`, taken as it is: Deno.serve keeps the target as received,
   * while Bun.serve, a Worker and a `Request` built from a URL hand it
   * normalized (dot segments resolved; a space, quotes and non-ASCII
   * characters percent-encoded), so a target holding those is checked in
   * that form. The target is the path and query, from where the URL's host
   * and port end (at the first `/`, `?` or `#`), without the fragment. A
   * URL whose authority is not a host and optional port (userinfo, a space,
   * `\`), or a `Host` header that is not one (Deno.serve builds
   * `request.url` from it, so the path could start anywhere), is answered
   * 400 `EGeneral:Bad request`, as {@linkcode Emulator.handle} answers it.
   * An adapter that knows the raw target uses {@linkcode Emulator.handle}
   * instead.
   *
   * Takes one `Request`, not a fetch's `(input, init)`: the returned promise
   * rejects with a TypeError, and nothing is logged, for anything else.
   */
  readonly fetch: (request: Request) => Promise<Response>;
  /**
   * Answers one request given as its raw parts: the target exactly as on the
   * request line and the exact body bytes. For adapters such as node:http.
   *
   * A fragment (`#...`) is dropped from the target, as `fetch` drops it, so
   * the signature covers the target without it under every server. A
   * target that does not start with `/`, or a `Host` header that is not a
   * host and optional port, is malformed: answered 400
   * `EGeneral:Bad request` and logged, ahead of any queued fault, with no
   * nonce consumed.
   *
   * The returned promise rejects with a TypeError naming the field, and
   * nothing is logged, for a `request` that is not a {@linkcode RawRequest}
   * (a name it does not have, headers without a `get()`, a body that is not
   * a `Uint8Array`, of whatever realm); and for headers whose `get()`
   * answers other than a string, `null` or `undefined` (`undefined` is read
   * as a header not sent).
   */
  readonly handle: (request: RawRequest) => Promise<Response>;
  /** The users as stored now, as frozen copies. */
  readonly users: EmulatorUsers;
  /** Every request received, oldest first, at most the latest 10,000. */
  readonly log: readonly EmulatorLogEntry[];
  /**
   * Answers the next `count` requests (whatever their route) with `fault`
   * instead of handling them: no nonce is consumed, no user changes, and
   * the log marks them `fault: true`. With `handled: true`, each is handled
   * first (its nonce consumed, a valid patch applied) and its answer then
   * replaced with the fault's. Calls queue up in order. A malformed
   * request (400 `EGeneral:Bad request`) takes none.
   *
   * @param count How many requests: an integer from 1 to 1,000,000.
   * @param fault Status (default 503), Retry-After, body, delay.
   * @throws {TypeError} For a count that is not such an integer, or a
   * malformed fault.
   */
  failNext(count: number, fault?: Fault): void;
}

const BAD_REQUEST = "EGeneral:Bad request";

// A Request, also one made with another copy of the runtime's globals (a
// vm context, an iframe), which fails instanceof but carries the tag.
function isRequest(value: unknown): value is Request {
  return value instanceof Request ||
    Object.prototype.toString.call(value) === "[object Request]";
}

function windowOf(value: number | bigint | undefined): bigint {
  if (value === undefined) return 0n;
  if (
    (typeof value === "bigint" && value >= 0n) ||
    (typeof value === "number" && Number.isSafeInteger(value) && value >= 0)
  ) {
    return BigInt(value);
  }
  throw new TypeError("nonceWindow: Expected a non-negative integer");
}

// The options, as both refusals of a malformed options object name them.
const OPTIONS_SHAPE = "{ credentials, users?, nonceWindow?, apiVersions? }";

function versionsOf(value: unknown): readonly string[] {
  if (value === undefined) return [DEFAULT_API_VERSION];
  if (
    !Array.isArray(value) || value.length === 0 ||
    !value.every((version) =>
      typeof version === "string" && API_VERSION.test(version)
    )
  ) {
    throw new TypeError(
      'apiVersions: Expected a non-empty array of versions like "2025-04-15"',
    );
  }
  return [...value];
}

// A turn has a judge of its own; a fault has none but one other code may
// have set on Object.prototype, which must not take it for a turn.
function isTurn(admitted: ResolvedFault | Turn): admitted is Turn {
  return Object.hasOwn(admitted, "judge");
}

/**
 * Creates an offline emulator of `PATCH /b2b/users/{user}` (Update User) and
 * `GET /b2b/users/{user}` (Get User) that checks `API-Key`, `API-Sign` and
 * `API-Nonce` as the service does and validates bodies with the library's
 * own `UserPatchSchema`. Every answer but an injected fault's (whose body
 * is yours) is JSON in Kraken's form (`{"result": ...}` or
 * `{"error": [...]}`) with an `x-trace-id` header; a
 * bad request is a 4xx, never a 500. It uses only WebCrypto and
 * Request/Response, so it runs in Deno, Node, Bun and Workers.
 *
 * @param options Credentials, seeded users and the nonce window.
 * @returns The emulator: its fetch handler, users, log and fault injection.
 * @throws {TypeError} For malformed options or an unknown option name; a secret is never quoted.
 *
 * @example The client against the emulator, in process
 * ```ts
 * import { EmbedClient } from "@kraken-embed/client";
 * import { createEmulator } from "@kraken-embed/client/emulator";
 *
 * const credentials = { apiKey: "test-key", apiSecret: "c2VjcmV0LWJ5dGVz" };
 * const emulator = createEmulator({
 *   credentials: [credentials],
 *   users: [{ user: "AA95 N84G TEST XXXX", language: "en" }],
 * });
 * const client = new EmbedClient({
 *   ...credentials,
 *   fetch: (input, init) => emulator.fetch(new Request(input, init)),
 * });
 * await client.users.update("AA95 N84G TEST XXXX", { phone: "+447700900123" });
 * console.log(emulator.users.get("AA95 N84G TEST XXXX")?.phone); // "+447700900123"
 * ```
 *
 * @example Serving it
 * ```ts ignore
 * import { createEmulator } from "@kraken-embed/client/emulator";
 *
 * const emulator = createEmulator({
 *   credentials: [{ apiKey: "test-key", apiSecret: "c2VjcmV0LWJ5dGVz" }],
 * });
 * Deno.serve({ hostname: "127.0.0.1", port: 8787 }, emulator.fetch); // Deno
 * Bun.serve({ hostname: "127.0.0.1", port: 8787, fetch: emulator.fetch }); // Bun
 * export default { fetch: emulator.fetch }; // Cloudflare Workers
 * ```
 */
export function createEmulator(given: EmulatorOptions): Emulator {
  if (typeof given !== "object" || given === null) {
    throw new TypeError(
      `options: Expected ${OPTIONS_SHAPE}`,
    );
  }
  const names: (keyof EmulatorOptions)[] = [
    "credentials",
    "users",
    "nonceWindow",
    "apiVersions",
  ];
  const unknown = unknownKey(given, names);
  if (unknown !== undefined) {
    throw new TypeError(
      `${unknown}: Unknown option; expected ${OPTIONS_SHAPE}`,
    );
  }
  // Not what other code set on Object.prototype.
  const options = optionValues(given, names);
  const versions = versionsOf(options.apiVersions);
  const auth = new Authenticator(
    // Refused by the constructor when missing or not an array.
    options.credentials as readonly EmulatorCredential[],
    windowOf(options.nonceWindow),
  );
  const store = new UserStore(options.users);
  const arrive = createHandler(auth, store, versions);
  const faults = new FaultQueue();
  const log = new RequestLog();

  // Logs one request with what it was answered, and makes the Response.
  const record = (
    raw: RawRequest,
    answer: Answer,
    at: string,
    fault: boolean,
  ): Response => {
    const traceId = crypto.randomUUID();
    // Made before the entry is logged: the log holds only answers given.
    const response = toResponse(answer, traceId);
    const apiKey = raw.headers.get("api-key");
    const nonce = raw.headers.get("api-nonce");
    log.add({
      at,
      method: raw.method,
      path: loggedTarget(raw.target),
      apiKey: apiKey === null
        ? undefined
        : loggedKey(apiKey, auth.knows(apiKey)),
      nonce: nonce === null ? undefined : loggedNonce(nonce),
      status: answer.status,
      errors: answer.errors,
      traceId,
      fault,
    });
    return response;
  };

  // What a request gets when it arrives, before its body is read, so that
  // both go by arrival order: the fault queued for it, or else its turn to
  // be judged among the requests with its key or to its user
  // (src/emulator/handler.ts). `undefined` for a malformed one:
  // no telling which path was meant, or signed over, so it is refused like
  // a body that cannot be read, whatever fault is queued.
  const admit = (received: RawRequest): ResolvedFault | Turn | undefined => {
    // Its turn by the target as judged: without a fragment, its user's.
    const formed = wellFormed(received);
    if (!formed) return undefined;
    const fault = faults.take();
    if (fault && !fault.handled) return fault;
    const turn = arrive(formed.headers.get("api-key"), formed.target);
    return fault ? handledThen(turn, fault) : turn;
  };

  // The turn of a request a `handled` fault is queued for: judged as usual
  // (nonce consumed, patch applied), then answered with the fault, after
  // its delay. Not judged, it gives its fault back.
  const handledThen = (turn: Turn, fault: ResolvedFault): Turn => ({
    async judge(raw) {
      await turn.judge(raw);
      if (fault.delayMs > 0) await wait(fault.delayMs, raw.signal);
      return fault;
    },
    leave() {
      turn.leave();
      faults.giveBack(fault);
    },
    fault: true,
  });

  // Hands a request's turn, or its fault, to the next request.
  const release = (admitted: ResolvedFault | Turn): void => {
    if (isTurn(admitted)) admitted.leave();
    else faults.giveBack(admitted);
  };

  const answer = async (
    received: RawRequest,
    admitted: ResolvedFault | Turn | undefined,
    at: string,
  ): Promise<Response> => {
    // Asked again, now that the body is read: the request as judged is a
    // copy when its target loses a fragment, made with the body it has.
    const raw = admitted && wellFormed(received);
    if (!raw) {
      // Malformed only now (its headers changed while its body was read):
      // its turn or its fault goes to the next, as for a broken body.
      if (admitted) release(admitted);
      return record(received, failure(400, [BAD_REQUEST]), at, false);
    }
    if (isTurn(admitted!)) {
      return record(
        raw,
        await admitted.judge(raw),
        at,
        Object.hasOwn(admitted, "fault"),
      );
    }
    // raw.signal may be a getter that reads request.signal: only when needed.
    if (admitted!.delayMs > 0) await wait(admitted!.delayMs, raw.signal);
    return record(raw, admitted!, at, true);
  };

  return {
    fetch: async (request) => {
      if (!isRequest(request)) {
        throw new TypeError(
          "request: Expected a Request; as a client's fetch, pass (input, init) => emulator.fetch(new Request(input, init))",
        );
      }
      const at = new Date().toISOString();
      const raw = rawHead(request);
      const admitted = admit(raw);
      try {
        if (admitted) await readBody(request, raw);
      } catch {
        // The body stream broke off, or cannot be read: nothing to judge,
        // and its fault or its turn goes to the next.
        if (admitted) release(admitted);
        return record(raw, failure(400, [BAD_REQUEST]), at, false);
      }
      return await answer(raw, admitted, at);
    },
    // What an adapter hands in is checked; what fetch made from a Request
    // is not.
    handle: async (received) => {
      const raw = checkRawRequest(received);
      const at = new Date().toISOString();
      return await answer(raw, admit(raw), at);
    },
    // Its reading methods only: the store itself has the live records and
    // update(), which skips the checks a request goes through.
    users: Object.freeze({
      get: (user: string) => store.get(user),
      list: () => store.list(),
    }),
    get log() {
      return log.entries;
    },
    failNext(count, fault) {
      faults.add(count, fault);
    },
  };
}
