/**
 * The emulator's answers: JSON bodies in Kraken's `{"result": ...}` and
 * `{"error": [...]}` forms, each with an `x-trace-id` header.
 *
 * @module
 */

/** An answer before it becomes a `Response`. */
export interface Answer {
  status: number;
  /** The body text; `null` for an answer without a body (a 204 fault). */
  body: string | null;
  headers: Record<string, string>;
  /** The error strings of the body, for the log. */
  errors: readonly string[];
}

/** A `{"result": ...}` answer. */
export function result(status: number, value: unknown): Answer {
  return {
    status,
    body: JSON.stringify({ result: value }),
    headers: { "content-type": "application/json" },
    errors: [],
  };
}

/** A `{"error": [...]}` answer. */
export function failure(
  status: number,
  errors: readonly string[],
  headers: Record<string, string> = {},
): Answer {
  return {
    status,
    body: JSON.stringify({ error: errors }),
    headers: { ...headers, "content-type": "application/json" },
    errors,
  };
}

/** The `Response` of an answer, with its trace id. */
export function toResponse(answer: Answer, traceId: string): Response {
  return new Response(answer.body, {
    status: answer.status,
    headers: { ...answer.headers, "x-trace-id": traceId },
  });
}
