/**
 * Why a request got no answer: what the CLI adds to an
 * `EmbedNetworkError`'s message, which quotes the runtime's top error
 * ("fetch failed" in Node and Deno) and the deepest message and code under
 * it, of the causes in between and the errors of an AggregateError (Node's
 * "happy eyeballs").
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

// One error as `message (code X)`, leaving out what `said` (the
// EmbedNetworkError's message, which quotes the runtime's error and the
// deepest message and code under it) says already: the message when `said`
// holds it, the code when either does; and the first errors of an
// AggregateError in brackets (not theirs: one level only, which a cycle
// cannot make endless).
function describe(
  error: unknown,
  said: string,
  withErrors = true,
): string {
  const read = typeof error === "string" ? error : own(error, "message");
  const message = typeof read === "string" ? read : "";
  const code = own(error, "code");
  let text = said.includes(lineText(message, Infinity)) ? "" : message;
  if (
    (typeof code === "string" || typeof code === "number") &&
    code !== "" && !message.includes(String(code)) &&
    !said.includes(`(${code})`)
  ) {
    text = text === "" ? `code ${code}` : `${text} (code ${code})`;
  }
  const errors = withErrors ? own(error, "errors") : undefined;
  if (Array.isArray(errors)) {
    const each: string[] = [];
    for (let i = 0; i < Math.min(errors.length, AGGREGATED); i++) {
      const item = describe(own(errors, String(i)), "", false);
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
 * nothing: the code of its cause, as ` (code ECONNREFUSED)`, then
 * `; caused by: ` and each cause's message and code under it, four levels at
 * most, each left out where the message says it already. Each part is on one line by
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
  const said = error.message;
  let cause = own(error, "cause");
  let detail = "";
  if (typeof cause === "string") {
    // Not in the error's message, which quotes only an error's.
    detail = `; caused by: ${shown(cause)}`;
  } else {
    const top = describe(cause, said);
    if (top !== "") detail = ` (${shown(top)})`;
  }
  for (let depth = 1; depth < DEPTH; depth++) {
    cause = own(cause, "cause");
    if (cause === undefined) break;
    const text = describe(cause, said);
    if (text !== "") detail += `; caused by: ${shown(text)}`;
  }
  return lineText(detail, ALL);
}
