/**
 * Injected failures: the next requests get a chosen status, Retry-After,
 * body and delay instead of being handled. A faulted request consumes no
 * nonce and changes no user, unless its fault says it is `handled` first.
 *
 * @module
 */

/**
 * What the next requests get instead of being handled, for
 * {@linkcode Emulator.failNext}.
 *
 * @example A rate limit, then a proxy's HTML page, then a slow 503, then an update applied whose answer is lost
 * ```ts
 * import type { Fault } from "@kraken-embed/client/emulator";
 *
 * const limited: Fault = { status: 429, retryAfter: 1 };
 * const html: Fault = { status: 502, body: "<html>Bad gateway</html>" };
 * const slow: Fault = { status: 503, delayMs: 2_000 };
 * const lost: Fault = { status: 504, handled: true };
 * ```
 */
export interface Fault {
  /**
   * The HTTP status, 200 to 599. Default 503. A 204, 205 or 304 answer has
   * no body (and takes none).
   */
  status?: number | undefined;
  /** The Retry-After header, sent as given: seconds (a non-negative integer up to 2^53 - 1), an HTTP date, or any other printable ASCII text up to 256 characters without a space at either end (which `Headers` would trim), to test a malformed one. Default: none. */
  retryAfter?: number | string | undefined;
  /**
   * The body: a string is sent as it is (`text/plain`), anything else,
   * `null` included, as JSON. Default, for a fault not `handled`:
   * `{"error":["EAPI:Rate limit exceeded"]}` for 429, none for 204, 205 and
   * 304, and `{"error":["EService:Unavailable"]}` otherwise: Kraken's
   * refusals, which tell a client that nothing was taken in. For a
   * `handled` one, which did act, a gateway's text instead (`text/plain`
   * "The gateway lost the service's answer"; none for 204, 205 and 304):
   * given a refusal's body, a handled fault tells the client what did not
   * happen, and it resends. So does one with a 4xx status, whatever its
   * body: a 4xx says the request was refused (use a 5xx, 502 or 504).
   */
  body?: unknown;
  /**
   * How long to wait before answering, in milliseconds, from 0 to 600,000.
   * Default 0.
   */
  delayMs?: number | undefined;
  /**
   * `true`: the request is handled as usual first (its key, signature and
   * nonce checked, the nonce consumed, a valid patch applied), and then its
   * answer, whatever it was, is replaced by this fault's, after `delayMs`:
   * a gateway that failed after the service acted, the case a client reports
   * with `mayHaveTakenEffect: true` (its body, unless given, a gateway's
   * text, not a Kraken refusal). Default `false`: nothing is handled.
   */
  handled?: boolean | undefined;
}

/** A fault with its defaults filled in: the answer, how long to wait before giving it, and whether the request is handled first. */
export interface ResolvedFault extends Answer {
  delayMs: number;
  handled: boolean;
}

import type { Answer } from "./answer.ts";
import { unknownKey } from "../issue_path.ts";
import { isPlainObject } from "../is_plain_object.ts";
import { optionValues } from "../option_values.ts";

// Printable ASCII, without a space at either end, which Headers would trim:
// the header is sent as given, or not taken.
const HEADER_VALUE = /^[\x21-\x7e](?:[\x20-\x7e]{0,254}[\x21-\x7e])?$/;
// The body of a `handled` fault given none: a gateway's text, which a client
// reads as an answer lost after the service may have acted, where a Kraken
// refusal (`EService:Unavailable`, the default of a fault not handled) would
// tell it that nothing was taken in, and have it resend what was applied.
const HANDLED_FAULT_BODY = "The gateway lost the service's answer";

// The statuses whose answer has no body (the Fetch standard's "null body
// status", 101 and 103 aside): a Response with a body and one of them throws.
const NO_BODY = [204, 205, 304];

function resolveFault(fault: Fault): ResolvedFault {
  if (!isPlainObject(fault)) {
    throw new TypeError(
      "fault: Expected a plain object { status?, retryAfter?, body?, delayMs?, handled? }",
    );
  }
  // A misspelt `stauts` must not leave the default 503 in its place.
  const names: (keyof Fault)[] = [
    "status",
    "retryAfter",
    "body",
    "delayMs",
    "handled",
  ];
  const unknown = unknownKey(fault, names);
  if (unknown !== undefined) {
    throw new TypeError(
      `fault.${unknown}: Unknown option; expected { status?, retryAfter?, body?, delayMs?, handled? }`,
    );
  }
  const { status = 503, retryAfter, body, delayMs = 0, handled = false } =
    optionValues(fault, names);
  if (typeof handled !== "boolean") {
    throw new TypeError("fault.handled: Expected true or false");
  }
  if (!Number.isInteger(status) || status < 200 || status > 599) {
    throw new TypeError("fault.status: Expected an integer from 200 to 599");
  }
  if (typeof delayMs !== "number" || !(delayMs >= 0 && delayMs <= 600_000)) {
    throw new TypeError("fault.delayMs: Expected a number from 0 to 600000");
  }
  const headers: Record<string, string> = {};
  if (retryAfter !== undefined) {
    const text = typeof retryAfter === "number"
      ? String(retryAfter)
      : retryAfter;
    if (
      typeof text !== "string" || !HEADER_VALUE.test(text) ||
      (typeof retryAfter === "number" &&
        !(Number.isSafeInteger(retryAfter) && retryAfter >= 0))
    ) {
      throw new TypeError(
        "fault.retryAfter: Expected a non-negative integer of seconds or an HTTP date",
      );
    }
    headers["retry-after"] = text;
  }
  if (NO_BODY.includes(status)) {
    if (body !== undefined) {
      throw new TypeError(
        `fault.body: A ${status} answer has no body; leave body out`,
      );
    }
    return { status, headers, body: null, errors: [], delayMs, handled };
  }
  const text = body === undefined && handled ? HANDLED_FAULT_BODY : body;
  if (typeof text === "string") {
    headers["content-type"] = "text/plain; charset=utf-8";
    return { status, headers, body: text, errors: [], delayMs, handled };
  }
  // Only a missing body gets the default: `null` is a JSON body of its own.
  const value = body !== undefined ? body : {
    error: [
      status === 429 ? "EAPI:Rate limit exceeded" : "EService:Unavailable",
    ],
  };
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    // A bigint or a cycle: refused below.
  }
  if (json === undefined) {
    throw new TypeError("fault.body: Expected a string or a JSON value");
  }
  headers["content-type"] = "application/json";
  // The log's errors are read from the JSON the answer sends, so they say
  // what a client reads: an entry that is no string as its JSON text (not
  // String()'s "[object Object]", nor a throw for an object without a
  // prototype or with a toString of its own), an error list only if the
  // body owns one.
  const sent: unknown = JSON.parse(json);
  const error = typeof sent === "object" && sent !== null &&
      Object.hasOwn(sent, "error")
    ? (sent as { error: unknown }).error
    : undefined;
  const errors = Array.isArray(error)
    ? error.map((entry) =>
      typeof entry === "string" ? entry : JSON.stringify(entry)
    )
    : [];
  return { status, headers, body: json, errors, delayMs, handled };
}

/** The faults waiting for the next requests, first in first out. */
export class FaultQueue {
  readonly #queue: Array<{ fault: ResolvedFault; left: number }> = [];

  /**
   * Queues `fault` for the next `count` requests, after those already queued.
   *
   * @throws {TypeError} For a count that is not an integer from 1 to
   * 1,000,000, or a malformed fault.
   */
  add(count: number, fault: Fault = {}): void {
    if (!Number.isInteger(count) || count < 1 || count > 1_000_000) {
      throw new TypeError("count: Expected an integer from 1 to 1000000");
    }
    this.#queue.push({ fault: resolveFault(fault), left: count });
  }

  /** The fault for the request that just arrived, if any. */
  take(): ResolvedFault | undefined {
    const next = this.#queue[0];
    if (next === undefined) return undefined;
    if (--next.left === 0) this.#queue.shift();
    return next.fault;
  }

  /** Gives back a fault taken by a request not answered with it: first again. */
  giveBack(fault: ResolvedFault): void {
    const next = this.#queue[0];
    if (next?.fault === fault) next.left++;
    else this.#queue.unshift({ fault, left: 1 });
  }
}

/** Waits `ms` milliseconds, or less if `signal` fires first; never rejects. */
export function wait(ms: number, signal?: AbortSignal): Promise<void> {
  // An adapter's `signal` that is no AbortSignal cuts nothing short, rather
  // than failing in the timer, where nothing could catch it.
  if (typeof signal?.addEventListener !== "function") signal = undefined;
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}
