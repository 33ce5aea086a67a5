/**
 * Quoting for the curl command `kraken-embed sign` prints, for a POSIX shell
 * (sh, bash, zsh; the tests run dash and bash; not fish, PowerShell or
 * cmd), whose printf takes octal escapes: pasted, it must
 * give curl exactly what was signed, and printed, it must not act on the
 * terminal or hide a character from the reader.
 *
 * @module
 */

/**
 * `text` as one single-quoted word of a POSIX shell, each `'` as `'\''`.
 *
 * @param text Any text without a NUL, which no argument can hold.
 */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

// What a terminal shows as itself and copies back: printable ASCII, the line
// feed, and other letters, marks, numbers, punctuation and symbols. Not a
// control character (an escape sequence acts on the terminal, a carriage
// return hides the line before it, a NUL cannot be in an argument at all),
// a tab (copied back as spaces), a format character (a direction override,
// a zero-width space, a byte order mark), a separator other than the space
// (no-break and line separators), a private-use or unassigned one, nor
// one that draws nothing although its category is above (the Hangul
// fillers, a variation selector, the combining grapheme joiner: Unicode's
// default-ignorable characters; and the blank symbols and fillers that are
// not: the blank braille cell U+2800, the ideographic half fill space
// U+303F, the Khitan filler U+16FE4 (not default-ignorable in an older
// runtime's Unicode), the musical null notehead U+1D159).
const SHOWN =
  /(?![\p{Default_Ignorable_Code_Point}\u2800\u303f\u{16fe4}\u{1d159}])[\n\x20-\x7e\p{L}\p{M}\p{N}\p{P}\p{S}]/u;

// A character of a printf format that prints `c`: `\` and `%` doubled, the
// line feed and tab by name, the rest of SHOWN as itself, and anything else
// as its UTF-8 bytes in three-digit octal escapes, which POSIX printf takes
// (and a fourth digit after one cannot extend).
function formatChar(c: string): string {
  if (c === "\\" || c === "%") return c + c;
  if (c === "\n") return "\\n";
  if (c === "\t") return "\\t";
  if (SHOWN.test(c)) return c;
  return [...new TextEncoder().encode(c)]
    .map((byte) => "\\" + byte.toString(8).padStart(3, "0"))
    .join("");
}

// The longest body given to curl as an argument, in UTF-8 bytes: Linux
// refuses to start a program with an argument of 128 KiB or more
// ("Argument list too long"). A longer one goes through printf, which the
// shell runs itself.
const MAX_ARGUMENT_BYTES = 100_000;

/**
 * How curl is to be given `body`: `--data-raw` and the body quoted, when
 * every character of it shows as itself, no line of it ends in a space
 * (which a terminal's copy drops) and it is at most 100,000 bytes (Linux
 * refuses an argument of 128 KiB); else `--data-binary @-` after a `printf`
 * of it, piped, whose format spells out each byte that would not show (an
 * escape, a NUL, a carriage return, a direction override) as an octal
 * escape. Either way, pasted into a POSIX shell, curl sends the body's UTF-8
 * bytes exactly.
 *
 * @param body The body as signed.
 * @returns `pipe`, a command to pipe into curl, or `undefined`; `option`,
 * curl's data option with its argument.
 */
export function curlData(
  body: string,
): { pipe: string | undefined; option: string } {
  const quoted = shellQuote(body);
  if (
    [...body].every((c) => SHOWN.test(c)) && !/ \n/.test(body) &&
    new TextEncoder().encode(quoted).length <= MAX_ARGUMENT_BYTES
  ) {
    return { pipe: undefined, option: `--data-raw ${quoted}` };
  }
  // A format that starts with - would be read as an option of printf's.
  const format = [...body].map(formatChar).join("").replace(/^-/, "\\055");
  return { pipe: `printf ${shellQuote(format)}`, option: "--data-binary @-" };
}
