/**
 * Reading an answer: success, Kraken's `{"error": [...]}` (with any status),
 * other JSON, or a body that is not JSON at all.
 *
 * @module
 */

import * as v from "valibot";
import { EmbedApiError, redact } from "../errors.ts";
import type { ValibotSchema } from "../schemas/schema.ts";

/** A successful answer's parsed body, with what an error about it would need. */
export interface Answer {
  body: Record<string, unknown>;
  status: number;
  /** Read for an error only: a success does not pay for `Headers.get`. */
  headers: Headers;
  attempts: number;
}

/** What {@linkcode readAnswer} concluded. */
export type Reading =
  | { ok: true; answer: Answer }
  | { ok: false; error: EmbedApiError; invalidNonce: boolean };

const BODY_EXCERPT = 500;

function traceIdOf(headers: Headers): string | undefined {
  return headers.get("x-trace-id") ?? undefined;
}

/**
 * Judges an HTTP answer: `ok` only for a 2xx JSON object without a non-empty
 * `error` array.
 *
 * @param response The status, headers and body text, and the API-Sign sent.
 * @param attempts How many attempts the call has made so far.
 * @param apiKey The API key sent: with the API-Sign, left out of what an
 * error quotes from the answer.
 */
export function readAnswer(
  response: { status: number; headers: Headers; text: string; sign?: string },
  attempts: number,
  apiKey?: string,
): Reading {
  const { status, text, sign } = response;
  let json: unknown;
  let isJson = true;
  try {
    json = JSON.parse(text);
  } catch {
    isJson = false;
  }
  const object =
    isJson && typeof json === "object" && json !== null && !Array.isArray(json)
      ? json as Record<string, unknown>
      : undefined;
  // What is quoted from the answer leaves out the request's credentials, in
  // case a proxy's error page or a service echoes them.
  const body = isJson
    ? undefined
    : redact(text, apiKey, sign).slice(0, BODY_EXCERPT);
  const list = object?.error;
  if (Array.isArray(list) && list.length > 0) {
    const errors = list.map((error) => redact(String(error), apiKey, sign));
    return {
      ok: false,
      invalidNonce: errors.some((error) => /invalid nonce/i.test(error)),
      error: new EmbedApiError(
        `Kraken answered ${status}: ${errors.join(", ")}`,
        {
          status,
          errors,
          traceId: traceIdOf(response.headers),
          attempts,
        },
      ),
    };
  }
  if (status < 200 || status > 299) {
    return {
      ok: false,
      invalidNonce: false,
      error: new EmbedApiError(
        `Kraken answered ${status}${
          isJson ? "" : " with a body that is not JSON"
        }`,
        {
          status,
          traceId: traceIdOf(response.headers),
          body,
          attempts,
        },
      ),
    };
  }
  if (object === undefined || !("result" in object)) {
    return {
      ok: false,
      invalidNonce: false,
      error: new EmbedApiError(
        isJson
          ? `Kraken answered ${status} without a result`
          : `Kraken answered ${status} with a body that is not JSON`,
        { status, traceId: traceIdOf(response.headers), body, attempts },
      ),
    };
  }
  return {
    ok: true,
    answer: { body: object, status, headers: response.headers, attempts },
  };
}

/**
 * Checks a successful answer against a schema, or throws an
 * {@linkcode EmbedApiError} that lists what did not match.
 *
 * @param answer The successful answer.
 * @param schema What the body must look like.
 * @param value The part of the body to check; the whole body by default.
 */
export function checkAnswer<T>(
  answer: Answer,
  schema: ValibotSchema<unknown, T>,
  value: unknown = answer.body,
): T {
  const parsed = v.safeParse(schema, value);
  if (parsed.success) return parsed.output;
  const where = parsed.issues
    .map((issue) => v.getDotPath(issue) ?? "result")
    .join(", ");
  return failUnexpected(answer, where);
}

function failUnexpected(answer: Answer, where: string): never {
  throw new EmbedApiError(
    `Kraken answered ${answer.status} with an unexpected body (at ${where})`,
    {
      status: answer.status,
      traceId: traceIdOf(answer.headers),
      attempts: answer.attempts,
    },
  );
}
