/**
 * Reading an answer: success, Kraken's `{"error": [...]}` (with any status),
 * other JSON, or a body that is not JSON at all.
 *
 * @module
 */

import * as v from "valibot";
import {
  EmbedApiError,
  head,
  keepable,
  redact,
  SPELLED,
  tookEffect,
} from "../errors.ts";
import { cut, cutPath, issuePath, lineText } from "../issue_path.ts";
import { EVERY_ISSUE } from "../schemas/_every_issue.ts";
import type { ValibotSchema } from "../schemas/schema.ts";
import { headerOf } from "./header_of.ts";
import { SHORT_TEXTS } from "./personal.ts";
import type { EmbedFetchResponse } from "./options.ts";
import type { Heard } from "./transport.ts";

/** A successful answer's parsed body, with what an error about it would need. */
export interface Answer {
  body: Record<string, unknown>;
  status: number;
  /** Read for an error only: a success does not pay for `Headers.get`. */
  headers: EmbedFetchResponse["headers"];
  attempts: number;
  /**
   * The body's text, and the credentials the call sent (its API key and
   * every attempt's API-Sign): for an error's excerpt only.
   */
  text: string;
  sent: readonly (string | RegExp | undefined)[];
  /** Whether the request only read (a GET): see {@linkcode readAnswer}. */
  reading: boolean;
  /** Whether its 2xx answer may echo the user's record: see {@linkcode readAnswer}. */
  guarded: boolean;
  /** Adds to `sent` what else an error must leave out: see {@linkcode readAnswer}. */
  hide?: (() => void) | undefined;
}

/** What {@linkcode readAnswer} concluded. */
export type Reading =
  | { ok: true; answer: Answer }
  | {
    ok: false;
    /** Its `mayHaveTakenEffect` set when the answer does not show a refusal. */
    error: EmbedApiError;
    invalidNonce: boolean;
  };

const BODY_EXCERPT = 500;
// How many of the answer's `error` entries are kept, and how much of each
// (more than a message quotes): a body of a million would cost seconds of
// redaction past the timeout, blocking the process, and one entry of
// megabytes would go wherever the error is logged.
const MAX_ERRORS = 100;
const ENTRY_LENGTH = 1000;
// A 2xx answer was accepted: whatever its body, the request may have taken
// effect, which a caller about to retry must know. So may one of another
// status that holds a result.
const ACTED = ": the request was accepted and may have taken effect";
const HOLDS_RESULT =
  ": the answer holds a result, so the request may have taken effect";
// A 5xx (but Kraken's own 503, which says the request was not processed):
// the service failed, perhaps after acting.
const FAILED = ": the service failed, and the request may have taken effect";
// Any other status that does not refuse: a redirect (a 303 says "done, see
// there"), a 1xx, a browser's opaque redirect (0).
const UNSURE = ": the request may have taken effect";

/**
 * Whether `status` refuses the request, so that it was not acted on: a 4xx,
 * a proxy's as well as Kraken's. (A 503 does only with Kraken's error list,
 * which the caller checks.) Internal, not exported by the package.
 */
export function refuses(status: number): boolean {
  return status > 399 && status < 500;
}

// What an error's message adds when the request may have taken effect.
function unsure(status: number): string {
  return status > 499 ? FAILED : UNSURE;
}

// Quoted like the body: a proxy or a service that echoes the request's
// headers into it must not put a credential or megabytes into an error.
export function traceIdOf(
  headers: EmbedFetchResponse["headers"],
  sent: readonly (string | RegExp | undefined)[],
): string | undefined {
  const id = headerOf(headers, "x-trace-id");
  return id === null ? undefined : excerptOf(id, sent);
}

// What an error keeps of a body: not one that may hold personal data
// (`withheld`) and is JSON, or starts as JSON does (a record cut short, a
// NaN that Python's json.dumps writes, JSON text encoded again).
function bodyOf(
  text: string,
  sent: readonly (string | RegExp | undefined)[],
  withheld: boolean,
  isJson: boolean,
): string | undefined {
  return withheld && (isJson || /^\s*[[{"]/.test(text))
    ? undefined
    : excerptOf(text, sent);
}

// The body's first characters, leaving out the request's credentials in
// case a proxy's error page or a service echoes them. Redacted before the
// cut, which could halve a credential, which would then no longer match;
// but not the whole text, where a page of 50 MB took 190 ms a call: its
// start, with room after the excerpt for a spelled text (SPELLED) or a
// credential's longest form that begins in it (an API key's, 1,024
// characters at most, percent-encoded: 3,072). A form the room halves
// stays in the room's last part, which what was redacted before it may
// pull into the excerpt only when the redacted start is shorter than the
// cut: then the whole text is redacted.
function excerptOf(
  text: string,
  sent: readonly (string | RegExp | undefined)[],
): string {
  const cut = BODY_EXCERPT + SPELLED;
  let start = redact(text.slice(0, cut), ...sent);
  if (text.length > cut && start.length < cut) start = redact(text, ...sent);
  return start.slice(0, BODY_EXCERPT);
}

// What is looked for in an `error` entry's code and in the message that
// joins the entries: all but the patch's texts of two characters.
const longTexts = (sent: readonly (string | RegExp | undefined)[]) =>
  sent.filter((value) => !(value instanceof RegExp && SHORT_TEXTS.has(value)));

// An entry of the answer's `error` list with the credentials and personal
// data left out; its code, `<Category>:<type>`, not looked through for the
// patch's texts of two characters: a province `ID` found as a word must not
// turn `ENexus:Invalid user ID`, which a caller may look for, into
// something else. What follows the code (`:tax_ids QQ123456C`) is looked
// through for all.
function redactEntry(
  text: string,
  sent: readonly (string | RegExp | undefined)[],
): string {
  // A code followed by more (`:tax_ids ...`), or a whole entry of a code's
  // shape, words and a closing abbreviation (`ENexus:Invalid user ID`).
  const code =
    /^E[A-Z][A-Za-z]*:[^:]*(?=:)|^E[A-Z][A-Za-z]*:[A-Z][a-z]+(?: [a-z]+)*(?: [A-Z]+)?$/
      .exec(text)?.[0] ?? "";
  return redact(code, ...longTexts(sent)) +
    redact(text.slice(code.length), ...sent);
}

// The start of an entry, redacted: cut to 4 times what is kept first, so
// that personal data is looked for in what may be kept, not in megabytes,
// and never halfway through a text (`head`: a text's start would be kept
// whenever what came before it shrank, redacted).
function entryHead(
  text: string,
  sent: readonly (string | RegExp | undefined)[],
): string {
  return redactEntry(head(text, 4 * ENTRY_LENGTH, sent), sent);
}

// An entry of the answer's `error` list as text: JSON.parse made it, so it
// is a string or JSON's (a String() of `{"toString": 0}` would throw). Node
// and Bun run out of stack stringifying one nested thousands deep.
function entryText(error: unknown): string {
  if (typeof error === "string") return error;
  try {
    return JSON.stringify(error);
  } catch {
    return "(nested too deep to show)";
  }
}

/**
 * Judges an HTTP answer: `ok` only for a 2xx JSON object with a `result` and
 * without an `error` (an empty `error` array, `null`, `false`, `0` or `""` is
 * none; a string or an object is one, as is a non-empty array).
 *
 * An error about a 2xx answer to a request that changes something (not a
 * GET) says that the request may have taken effect, and keeps the start of
 * the body, which tells what it did. Of a GET's answer, which may hold a
 * user's personal data, an error keeps no JSON, whatever its status, so that
 * none reaches a log.
 *
 * @param response The status, headers and body text.
 * @param attempts How many attempts the call has made so far.
 * @param sent The credentials the call sent, its API key and every
 * attempt's API-Sign (an answer may echo an earlier attempt's): left out of
 * what an error quotes from the answer.
 * @param hide Called before an error is made: adds to `sent` what else it
 * must leave out (the personal data of the body sent), which a success does
 * not pay for finding.
 * @param guarded Whether a 2xx answer may echo the user's record, as
 * `users.update`'s may: an error then keeps no body of it that is JSON or
 * starts as JSON does (`{`, `[`, `"`), cut short or not, nor an `error`
 * entry that is or holds JSON, as of a GET's answer of any status.
 */
export function readAnswer(
  response: {
    status: number;
    headers: EmbedFetchResponse["headers"];
    text: string;
  },
  attempts: number,
  sent: readonly (string | RegExp | undefined)[] = [],
  reading = false,
  hide?: () => void,
  guarded = false,
): Reading {
  const { status, text } = response;
  let json: unknown;
  let isJson = true;
  try {
    // Without a byte order mark, which text() leaves in a Worker of a
    // compatibility date before 2026 (elsewhere it takes it out). A 204
    // without a body is not JSON: not a success, whose answer Kraken's
    // documentation gives as `{"result": ...}`, since a proxy answering 204
    // may never have passed the request on.
    json = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch {
    isJson = false;
  }
  const object =
    isJson && typeof json === "object" && json !== null && !Array.isArray(json)
      ? json as Record<string, unknown>
      : undefined;
  // Own keys only: an `error` or a `result` set on Object.prototype by other
  // code must not make an answer what it is not.
  const raw = object && Object.hasOwn(object, "error")
    ? object.error
    : undefined;
  // No array is made for an answer without an error.
  const list = Array.isArray(raw) ? raw : raw ? [raw] : undefined;
  // Whether the body may hold the user's personal data, so that an error
  // keeps none of it that is JSON (see bodyOf).
  const withheld = reading || guarded && status > 199 && status < 300;
  const acted = status > 199 && status < 300 && !reading;
  const result = object !== undefined && Object.hasOwn(object, "result");
  const value = result ? object!.result : undefined;
  if (list?.length || !result || status < 200 || status > 299) hide?.();
  // A result other than null beside an error: a sign the request acted. (An
  // envelope may carry `"result": null` with every error.)
  const holds = value != null && !reading;
  if (list?.length) {
    const errors = list.slice(0, MAX_ERRORS).map((error) =>
      // Of an answer that may hold personal data, an entry that is not text
      // or holds JSON (`{"code": ..., "user": {...the record...}}`) is left
      // out whole.
      withheld && (typeof error !== "string" || /[{[]/.test(error))
        ? "(an entry that is or holds JSON, left out)"
        // Cut to 4 times what is kept first: personal data is looked for
        // in what may be kept only, not in megabytes.
        : cut(entryHead(entryText(error), sent), ENTRY_LENGTH)
    );
    // An error beside a result: which of the two holds is not known.
    const both = acted ? result : holds;
    // Kraken's refusal: a 4xx whatever it says; a 2xx holding no result,
    // unless its error reports a failure (an internal error, a timeout, a
    // deadline, an unknown error, something that failed: `EGeneral:Internal
    // error`, `EService:Deadline elapsed`, `EService:Processing failed`),
    // as the service failed while handling the request, perhaps after
    // acting; a 503 only when its error is Kraken's list (`raw === list`:
    // an array, not one wrapped in one) of nothing but the entries that say
    // the service took nothing in: `EService:Unavailable`, `EService:Busy`,
    // `EAPI:Rate limit exceeded`, `EGeneral:Temporary lockout`. Any other
    // 503, a gateway's `{"error": "upstream request timeout"}` or Kraken's
    // `EGeneral:Unknown error`, may come after the request was acted on,
    // and a POST or a PUT (a trade) must not be sent twice.
    const maybe = both ||
      !(reading || refuses(status) ||
        status > 199 && status < 300 &&
          // Every entry Kraken's (a string, `<Category>:<message>`: not a
          // gateway's `ECONNRESET`, `socket hang up` or `{"code": 500}`),
          // its message reporting no failure, anywhere in a word
          // (`InternalError`, `DEADLINE_EXCEEDED`, `ETIMEDOUT`, `Failing
          // over`, `Error: socket hang up`), before a further `:` that a
          // word follows, which may echo the patch (`:full_name Faillace`,
          // `:timeout_ms`).
          list.every((error) =>
            typeof error === "string" &&
            /^E(API|[A-Z][a-z][A-Za-z]*):/.test(error) &&
            !/internal|tim(e|ed)[\s_-]?out|deadline|unknown[\s_-]?error|fail|crash|abort|unexpected|server error|:\s*error\b/i
              .test(/^[^:]*:(?:[^:]|:\s)*/.exec(error)![0])
          ) ||
        status === 503 && raw === list &&
          list.every((error) =>
            typeof error === "string" &&
            /^(EService:(Unavailable|Busy)|EAPI:Rate limit exceeded|EGeneral:Temporary lockout)$/
              .test(error)
          ));
    return {
      ok: false,
      // Resent only when the answer is nothing but the refusal: every entry
      // the error itself, no result beside it, not a 5xx (which may have
      // acted). Text that merely mentions it (a proxy's, an upstream's)
      // does not count: a POST or a PUT must not run twice. Beside a status
      // of 300 or more, a `"result": null` is no result (see above); beside
      // a 2xx, it is a success's, which the reference allows.
      invalidNonce: !maybe &&
        (status > 299 ? value == null : !result) && status < 500 &&
        // The whole list, not the entries kept.
        list.every((error) =>
          typeof error === "string" &&
          /^\s*(EAPI:)?invalid nonce\s*$/i.test(error)
        ),
      error: tookEffect(
        new EmbedApiError(
          // Joined, looked through again: a text holding ", " that the
          // service gave as two entries is whole here.
          `Kraken answered ${status}: ${
            lineText(redact(errors.join(", "), ...longTexts(sent)))
          }${
            list.length > MAX_ERRORS
              ? ` (the first ${MAX_ERRORS} of ${list.length} errors)`
              : ""
          }${
            // Beside an error, a 2xx's result is no sign of acceptance: the
            // error may be a refusal in a success's envelope.
            both ? HOLDS_RESULT : maybe ? unsure(status) : ""}`,
          {
            status,
            errors,
            traceId: traceIdOf(response.headers, sent),
            body: both ? bodyOf(text, sent, withheld, isJson) : undefined,
            attempts,
          },
        ),
        maybe,
      ),
    };
  }
  if (status < 200 || status > 299) {
    // Without Kraken's error list, only a 4xx shows a refusal: a 503 may be
    // a proxy's, after it passed the request on.
    const maybe = holds || !(reading || refuses(status));
    return {
      ok: false,
      invalidNonce: false,
      error: tookEffect(
        new EmbedApiError(
          `Kraken answered ${status}${
            status > 299 && status < 400
              ? " (a redirect, not followed: check baseUrl)"
              : ""
          }${isJson ? "" : " with a body that is not JSON"}${
            holds ? HOLDS_RESULT : maybe ? unsure(status) : ""
          }`,
          {
            status,
            traceId: traceIdOf(response.headers, sent),
            // Not a GET's JSON, in any status: it may hold personal data
            // (see bodyOf).
            body: bodyOf(text, sent, withheld, isJson),
            attempts,
          },
        ),
        maybe,
      ),
    };
  }
  if (!result) {
    return {
      ok: false,
      invalidNonce: false,
      error: tookEffect(
        new EmbedApiError(
          `Kraken answered ${status} ${
            isJson ? "without a result" : "with a body that is not JSON"
          }${acted ? ACTED : ""}`,
          {
            status,
            traceId: traceIdOf(response.headers, sent),
            body: acted || !isJson
              ? bodyOf(text, sent, withheld, isJson)
              : undefined,
            attempts,
          },
        ),
        acted,
      ),
    };
  }
  return {
    ok: true,
    answer: {
      body: object,
      status,
      headers: response.headers,
      attempts,
      text,
      sent,
      reading,
      guarded,
      hide,
    },
  };
}

/**
 * The error for an answer whose status and headers arrived but whose body
 * did not (cut off, or past the timeout): the request was received, and any
 * status but a 4xx leaves that it may have taken effect (a 2xx says it was
 * accepted; a 503's body cannot show it to be Kraken's).
 *
 * @param heard The status and headers.
 * @param attempts How many attempts the call has made.
 * @param sent The credentials the call sent, its API key and every
 * attempt's API-Sign: left out of the trace id and the cause.
 */
export function unreadAnswer(
  heard: Heard & { kind: string; error?: unknown },
  attempts: number,
  sent: readonly (string | RegExp | undefined)[],
  timeoutMs: number,
  reading: boolean,
): EmbedApiError {
  const status = heard.status!;
  const acted = status > 199 && status < 300 && !reading;
  // The body lost, a 503 cannot be told to be Kraken's.
  const maybe = !(reading || refuses(status));
  return tookEffect(
    new EmbedApiError(
      `Kraken answered ${status}, and its body ${
        heard.kind === "timeout"
          ? `ran past the timeout of ${timeoutMs} ms`
          : "was cut off"
      }${acted ? ACTED : maybe ? unsure(status) : ""}`,
      {
        status,
        traceId: traceIdOf(heard.headers!, sent),
        attempts,
        cause: heard.kind === "timeout"
          ? undefined
          : keepable(heard.error, sent),
      },
    ),
    maybe,
  );
}

/**
 * Checks a successful answer against a schema, or throws an
 * {@linkcode EmbedApiError} that lists what did not match.
 *
 * @param answer The successful answer.
 * @param schema What the body must look like.
 * @param value The part of the body to check; the whole body by default.
 * @param own Whether the schema is one of the package's, whose messages
 * never quote the value: an error gives them, rather than what valibot's
 * issue expected.
 */
export function checkAnswer<T>(
  answer: Answer,
  schema: ValibotSchema<unknown, T>,
  value: unknown = answer.body,
  own = false,
): T {
  let where;
  let failing = "the schema threw";
  try {
    const parsed = v.safeParse(schema, value, EVERY_ISSUE);
    if (parsed.success) return parsed.output;
    failing = "its issues could not be read";
    // Keys shown as an EmbedValidationError's path shows them (by their
    // length, unless a field name's shape), and the list cut too, since they
    // come from the answer. Each with what
    // the schema expected there (the schema's words, never the answer's
    // value, which `received` holds).
    where = cutPath(
      parsed.issues.map((issue) =>
        (issuePath(issue) || "result") +
        (own
          ? `: ${issue.message}`
          : issue.received === "undefined"
          ? ": missing"
          : issue.expected
          ? `: expected ${lineText(issue.expected, 60)}`
          : "")
      ).join(", "),
    );
  } catch (cause) {
    // A schema of the caller's that throws (a transform of its own), or
    // whose issues cannot be read: the answer was still a success, which
    // must not be lost behind a TypeError.
    return failUnexpected(answer, failing, cause);
  }
  return failUnexpected(answer, `at ${where}`);
}

function failUnexpected(answer: Answer, why: string, cause?: unknown): never {
  const acted = !answer.reading;
  answer.hide?.();
  throw tookEffect(
    new EmbedApiError(
      `Kraken answered ${answer.status} with an unexpected body (${why})${
        acted ? ACTED : ""
      }`,
      {
        status: answer.status,
        traceId: traceIdOf(answer.headers, answer.sent),
        body: acted && !answer.guarded
          ? excerptOf(answer.text, answer.sent)
          : undefined,
        attempts: answer.attempts,
        // Kept as a fetch's error is: the schema saw the answer, which may
        // echo the credentials sent.
        cause: keepable(cause, answer.sent),
      },
    ),
    acted,
  );
}
