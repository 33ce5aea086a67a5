/**
 * Why a request got no answer: what the CLI adds to an
 * `EmbedNetworkError`'s message, whose own detail is the runtime's top error
 * ("fetch failed" in Node) while the reason (ECONNREFUSED, ENOTFOUND, a TLS
 * error) is in the causes under it.
 *
 * @module
 */

import { type EmbedNetworkError, redact } from "../errors.ts";
import { lineText } from "../issue_path.ts";

// How many errors down the chain, from the error's cause. EmbedNetworkError
// checks its cause for the API key and API-Sign this deep and deeper (and
// keeps a redacted copy, four levels of it, when one is quoted), so nothing
// read here went unchecked.
const DEPTH = 4;
// Characters of each message, of all the detail, and how many errors of an
// AggregateError (Node's "happy eyeballs" tries IPv6 and IPv4).
const EACH = 300;
const ALL = 1000;
const AGGREGATED = 3;

// An own data property: a getter (or a class's) is not run, so what is read
// is what EmbedNetworkError checked, not a value computed afresh.
function own(value: unknown, key: string): unknown {
  if (Object(value) !== value) return undefined;
  try {
    const descriptor = Object.getOwnPropertyDescriptor(value, key);
    return descriptor !== undefined && "value" in descriptor
      ? descriptor.value
      : undefined;
  } catch {
    return undefined;
  }
}

// One error as `message (code X)`, the code only when the message does not
// say it already, and the first errors of an AggregateError in brackets
// (not theirs: one level only, which a cycle cannot make endless);
// `withMessage` false for the top one, whose message the
// EmbedNetworkError's ends with.
function describe(
  error: unknown,
  withMessage: boolean,
  withErrors = true,
): string {
  const read = typeof error === "string" ? error : own(error, "message");
  const message = typeof read === "string" ? read : "";
  const code = own(error, "code");
  let text = withMessage ? message : "";
  if (
    (typeof code === "string" || typeof code === "number") &&
    code !== "" && !message.includes(String(code))
  ) {
    text = text === "" ? `code ${code}` : `${text} (code ${code})`;
  }
  const errors = withErrors ? own(error, "errors") : undefined;
  if (Array.isArray(errors)) {
    const each: string[] = [];
    for (let i = 0; i < Math.min(errors.length, AGGREGATED); i++) {
      const item = describe(own(errors, String(i)), true, false);
      if (item !== "") each.push(item);
    }
    if (errors.length > AGGREGATED) each.push("...");
    if (each.length > 0) {
      text += `${text === "" ? "" : " "}[${each.join(", ")}]`;
    }
  }
  return text;
}

/**
 * What the causes of a network error add to its message, or `""` when
 * nothing: the code of its cause (whose message the error's already ends
 * with), as ` (code ECONNREFUSED)`, then `; caused by: ` and each cause's message
 * and code under it, four levels at most. Each part is on one line by
 * {@linkcode lineText}, cut at 300 characters, and the whole at 1,000. The
 * error has taken the API key and API-Sign out of its causes already;
 * `hidden` (the API key and secret) is taken out again here, whatever a
 * fetch's error may hold.
 *
 * @param error The client's error.
 * @param hidden Values never to print.
 */
export function networkDetail(
  error: EmbedNetworkError,
  hidden: readonly string[],
): string {
  const shown = (text: string) => lineText(redact(text, ...hidden), EACH);
  let cause = own(error, "cause");
  let detail = "";
  if (typeof cause === "string") {
    // Not in the error's message, which quotes only an error's.
    detail = `; caused by: ${shown(cause)}`;
  } else {
    const top = describe(cause, false);
    if (top !== "") detail = ` (${shown(top)})`;
  }
  for (let depth = 1; depth < DEPTH; depth++) {
    cause = own(cause, "cause");
    if (cause === undefined) break;
    const text = describe(cause, true);
    if (text !== "") detail += `; caused by: ${shown(text)}`;
  }
  return lineText(detail, ALL);
}
