/**
 * How an issue's path shows the keys of the input it names: the paths of
 * `EmbedValidationError`s and of the emulator's answers.
 *
 * @module
 */

import type * as v from "valibot";
import { isRoot } from "./option_values.ts";

// A name, shown as it is in a path when not too long.
const NAME = /^[A-Za-z_$][\w$]*$/;

/**
 * A key as an issue's path shows it: as it is when it is a name or an array
 * index, else quoted as JSON, in ASCII, its first 64 characters only. A key
 * comes from the input (a patch parsed from a request, say), and goes into
 * the error's message, which goes into logs: it must not pass for a nested
 * field (`"residence.country"`), start a log line of its own or fill one.
 *
 * @param key An object key or an array index.
 */
export function keyText(key: unknown): string {
  const text = String(key);
  return typeof key === "number" || (text.length <= 64 && NAME.test(text))
    ? text
    : JSON.stringify(text.length > 64 ? text.slice(0, 64) + "..." : text)
      .replace(/[^ -~]/g, unicodeEscape);
}

/**
 * A UTF-16 unit as a `\\uXXXX` escape: how a key or a service's text that
 * goes into a message shows a character that could break or forge a line.
 *
 * @param c One UTF-16 unit.
 */
export function unicodeEscape(c: string): string {
  return "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0");
}

/**
 * Text from outside (a service's error strings, a fetch's error message, an
 * argument as typed) as a message quotes it: each control character, line
 * or paragraph separator and direction embedding, override or isolate as a
 * {@linkcode unicodeEscape}, so that it cannot start a log or terminal line
 * of its own or show words other than it holds; and its first `max`
 * characters only (fewer rather than cut an escape or a surrogate pair in
 * half), with `...` after.
 *
 * @param text The text to quote.
 * @param max How many characters to keep; `Infinity` for all.
 */
export function lineText(text: string, max = 500): string {
  return cut(
    text.replace(
      /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu,
      unicodeEscape,
    ),
    max,
  );
}

/**
 * The first enumerable key of `object` that is not one of `known`, shown by
 * {@linkcode keyText}; `undefined` when there is none. Its own keys and
 * those of its prototype chain up to (not including) `Object.prototype`,
 * where `optionValues` (option_values.ts) reads options: a typo in the
 * defaults an options object was made from is refused too, one set on
 * `Object.prototype` by other code is not (it is not read either). A
 * class's getters and methods are not enumerable, so not checked. Every
 * options object of the client and the emulator refuses an unknown name
 * with it, rather than ignore a typo (`signRequest`'s does not: its bundle
 * has no room).
 *
 * @param object The options given.
 * @param known The names the options may have.
 */
export function unknownKey(
  object: object,
  known: readonly string[],
): string | undefined {
  for (
    let at: object | null = object;
    at !== null && !isRoot(at);
    at = Object.getPrototypeOf(at)
  ) {
    for (const key of Object.keys(at)) {
      if (!known.includes(key)) return keyText(key);
    }
  }
}

/**
 * `path` cut at 200 characters (fewer rather than cut an escape in half),
 * with `...` after: each key in it is cut already, but an input nested
 * thousands of levels deep makes a path of megabytes, which would go into
 * the error's message, and into logs.
 *
 * @param path A dotted path.
 */
export function cutPath(path: string): string {
  return cut(path, 200);
}

/**
 * `text`'s first `max` characters and `...`, when it is longer; fewer when
 * the cut would fall inside an escape (`\u20...`) or after the first half
 * of a surrogate pair, which would be left alone: that part is left out.
 *
 * @param text The text.
 * @param max How many characters to keep at most, before the `...`.
 */
export function cut(text: string, max: number): string {
  return text.length > max
    ? text.slice(0, max).replace(/\\(u[\da-f]{0,3})?$|[\ud800-\udbff]$/, "") +
      "..."
    : text;
}

// A field name's shape: ASCII letters, `_`, `$` or `-`, then at most two
// digits (`line2`), 64 characters at most.
const FIELD = /^(?=.{1,64}$)[A-Za-z_$][A-Za-z_$-]*\d{0,2}$/;

/**
 * A key of the input as a path into it shows it: by {@linkcode keyText}
 * when it is an array index or has a field name's shape (ASCII letters,
 * `_`, `$` or `-`, then at most two digits, as `line2`: at most 64
 * characters), else by its length only, `[11-character key]`. An input's
 * key may be personal data, which a message must not take to logs: a tax ID
 * or an email used as a key (`{ "123-45-6789": "US" }` among a patch's tax
 * IDs, a record keyed by email in a request's body).
 *
 * @param key An object key or an array index.
 */
export function pathKey(key: unknown): string {
  const text = String(key);
  return typeof key === "number" || FIELD.test(text)
    ? keyText(key)
    : `[${text.length}-character key]`;
}

/**
 * An issue's dotted path (`residence.country`, `tax_ids.0.id`), each key as
 * {@linkcode pathKey} shows it, cut by {@linkcode cutPath}; `""` for the
 * input itself.
 *
 * @param issue A valibot issue.
 */
export function issuePath(issue: v.BaseIssue<unknown>): string {
  return cutPath(issue.path?.map((item) => pathKey(item.key)).join(".") ?? "");
}
