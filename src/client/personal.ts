/**
 * The personal data of a checked patch, as a pattern that finds it in what
 * an error quotes from outside (an answer, a trace id, a fetch's error).
 *
 * @module
 */

// Values that are codes, not data about the person: an occupation and the
// identifier's type are one of a few words, and countries and a language
// two letters, which would match those words and letters anywhere.
const CODES = new Set([
  "occupation",
  "type",
  "language",
  "country",
  "country_of_birth",
  "issuing_country",
  "nationalities",
]);

// Every text of the patch but the codes' and single letters.
function textsOf(value: unknown, key = ""): string[] {
  return CODES.has(key)
    ? []
    : typeof value === "string"
    ? value.length > 1 ? [value] : []
    : value && typeof value === "object"
    ? Object.entries(value).flatMap(([name, item]) => textsOf(item, name))
    : [];
}

const encoder = new TextEncoder();

// `n` in hexadecimal, each letter in either case.
const hex = (n: number, width: number) =>
  n.toString(16).padStart(width, "0").replace(
    /[a-f]/g,
    (d) => `[${d}${d.toUpperCase()}]`,
  );

const NAMED: Record<string, string> = {
  "&": "amp",
  "<": "lt",
  ">": "gt",
  '"': "quot",
  "'": "apos",
};

// The backslashes before an escape: one, or those of an escape escaped
// again up to twice (JSON in JSON doubles them). Bounded: `\\+` was tried
// at every backslash of a run and backtracked over the rest of it,
// quadratic in the run (seconds for an answer of backslashes); and so that
// a text's spelling has a most (see `head` in errors.ts).
const BACKSLASHES = "\\\\{1,4}";

// Every way an echo may spell one character: as itself; as JSON's `\uXXXX`
// (escaped again up to twice); as the bytes of its UTF-8 in `%XX` (a
// URL, a form) or `\xXX` (Python's repr of bytes); as an HTML character
// reference, decimal, hexadecimal or named; `'`, `"` and `/` behind
// backslashes; a space as a form's `+`. A letter or a digit of ASCII, which
// no encoding rewrites, is itself only. A backslash is spelled by
// `spellBackslashes`, its ways here without those that are backslashes only.
function spell(c: string): string {
  const itself = c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  if (/^[A-Za-z0-9]$/.test(c)) return itself;
  const code = c.codePointAt(0)!;
  const bytes = [...encoder.encode(c)];
  const ways = [
    c === "\\" ? "" : itself,
    [...c].length === c.length
      ? `${BACKSLASHES}u${hex(code, 4)}`
      : `${BACKSLASHES}u${hex(c.charCodeAt(0), 4)}${BACKSLASHES}u${
        hex(c.charCodeAt(1), 4)
      }`,
    bytes.map((b) => `%${hex(b, 2)}`).join(""),
    bytes.map((b) => `${BACKSLASHES}x${hex(b, 2)}`).join(""),
    `&#0{0,8}${code};`,
    `&#[xX]0{0,8}${hex(code, 1)};`,
  ];
  if (NAMED[c]) ways.push(`&${NAMED[c]};`);
  // Beyond ASCII: any named reference (`&eacute;`); the code point as
  // `\u{...}` (JS, Ruby, Rust's Debug, which writes a no-break space or a
  // direction mark so); the bytes of its UTF-8 read as Latin-1 (`Ã©`, as
  // fetch reads a header sent in UTF-8). Below U+0100, the code point as
  // `\xHH` (Python's repr of a string); beyond U+FFFF, as `\UXXXXXXXX`
  // (Python, Go), and as two references to its UTF-16 halves.
  if (code > 0x7f) {
    ways.push(
      "&[A-Za-z][A-Za-z0-9]{1,31};",
      `${BACKSLASHES}u\\{0{0,8}${hex(code, 1)}\\}`,
      bytes.map((b) => `\\x${b.toString(16).padStart(2, "0")}`).join(""),
    );
  }
  if (code > 0x7f && code < 0x100) ways.push(`${BACKSLASHES}x${hex(code, 2)}`);
  if (code > 0xffff) {
    ways.push(
      `${BACKSLASHES}U${hex(code, 8)}`,
      `&#0{0,8}${c.charCodeAt(0)};&#0{0,8}${c.charCodeAt(1)};`,
    );
  }
  if (`'"/`.includes(c)) ways.push(`${BACKSLASHES}${itself}`);
  if (c === " ") ways.push("\\+");
  return `(?:${ways.filter((way) => way).join("|")})`;
}

// A run of `k` backslashes of a text, as one unit: themselves, doubled by
// each escaping (up to twice, as BACKSLASHES), or each spelled
// otherwise. One unit, so that a run of the echo is shared among the
// text's backslashes in a few ways, not in exponentially many (each
// spelled `\\+\\` took hours over a text of 20).
function spellBackslashes(k: number): string {
  const runs = [1, 2, 4].map((times) => `\\\\{${k * times}}`);
  return `(?:${runs.join("|")}|${spell("\\")}{${k}})`;
}

// One separator between a phone number's digits, as an echo may write it:
// a space, a no-break or thin space, a tab, a dot, a slash, a bracket, a
// dash (hyphen, non-breaking hyphen, en dash), an underscore, a form's `+`
// for a space; as itself, the URL's `%XX` of those a URL encodes, a `\u`
// escape (escaped again up to twice), `\x20`, `\t`, `\/` (PHP's JSON), and
// the HTML references of a space, a no-break or thin space, a hyphen and
// a dash. Each way
// starts with a character no other way starts with and that no digit is,
// so a run of separators matches one way only: a pattern that could read
// the same text in two ways backtracks exponentially over an answer where
// it almost matches.
const SEPARATOR = String
  .raw`(?:[-./() _\t\u00a0\u2009\u202f\u2010-\u2013+]|%(?:09|2[089fF]|[cC]2%[aA]0|[eE]2%80%(?:89|9[0-3]))|\\{1,4}(?:u(?:00(?:2[0389dDeEfF]|[aA]0)|20(?:09|1[0-3]|2[fF]))|x20|t|\/)|&(?:#(?:0{0,4}(?:32|160|82(?:01|0[89]|1[01]))|[xX]0{0,4}(?:20|[aA]0|20(?:09|1[0-3])));|nbsp;|thinsp;|ndash;))`;

// A phone number as people and systems write it: after `+`, `00` or
// neither, or as its national number (after a trunk 0, `(0)` or none, in
// place of a country code of one to three digits, when seven digits or more
// are left); its digits grouped by up to four separators, a `(0)` among
// them before a digit other than 0 (before a 0 it could be read two ways).
// A number of fewer than seven digits is looked for whole only: grouped, it
// would take `1.2` or `12.3 EUR` for `+12` or `+123`.
function spellPhone(phone: string): string {
  const digits = phone.replace("+", "");
  const prefix = `(?:${spell("+")}|00)`;
  if (digits.length < 7) return `${prefix}?${digits}`;
  const gap = `${SEPARATOR}{0,4}`;
  const trunk = "(?:\\(|%28)0(?:\\)|%29)";
  const run = (part: string) =>
    [...part].map((d, i) =>
      i ? (d === "0" ? gap : `(?:${SEPARATOR}|${trunk}){0,4}`) + d : d
    ).join("");
  const ways = [`(?:${prefix}${gap})?${run(digits)}`];
  for (let k = 1; k <= 3 && digits.length - k >= 7; k++) {
    ways.push(`(?:(?:${trunk}|0)${gap})?${run(digits.slice(k))}`);
  }
  return `(?:${ways.join("|")})`;
}

/**
 * The patterns of a patch's texts of two characters (a province `ID`, a
 * name `Al`), which an `error` entry's code is not looked through for: they
 * would turn `ENexus:Invalid user ID` into something else.
 */
export const SHORT_TEXTS: WeakSet<RegExp> = new WeakSet();

// How much all the patterns may hold: half a megabyte takes about 0.3 s to
// build and use once (bench/redaction.ts). Hundreds of long texts not in
// ASCII letters spell to more (the 262 tax IDs the schema allows, of 255
// characters each, to 8.8 MB: 5 s), and then everything is left out.
const TOTAL_SIZE = 500_000;

// How much of the texts one pattern holds: a patch of 262 tax IDs of 255
// characters spells to megabytes, which no engine compiles as one.
const PATTERN_SIZE = 50_000;

/**
 * Patterns that find the texts of `patch` (names, the date of birth, the
 * phone number, the address, tax IDs, ...) however an echo spells them (see
 * `spell`; a phone number also after `00` or as its national number, its
 * digits grouped (see `spellPhone`), a date also as the start of a
 * date-time), as whole words only: not inside a longer word or number
 * (`Tim` is not found in `EService:Timeout`, nor `101` in a trace id's
 * `1019`), though right after an escape (`%22`, `\u0022`, `\n`). Longest
 * first, so that a text found inside another does not cut it: one pattern
 * for a usual patch, a few for one of hundreds of long texts. None when the
 * patch holds no text; one that matches any text whole when they would be
 * too large to build and use in a few hundred milliseconds.
 */
export function personalPatterns(patch: unknown): RegExp[] {
  const patterns: RegExp[] = [];
  let group: string[] = [];
  let size = 0;
  let short = false;
  let total = 0;
  const close = () => {
    if (group.length) {
      patterns.push(
        new RegExp(
          `(?<=^|[^\\p{L}\\p{N}]|%[0-9A-Fa-f]{2}|\\\\[nrtbf]|\\\\x[0-9A-Fa-f]{2}|\\\\u[0-9A-Fa-f]{4}|\\\\U[0-9A-Fa-f]{8})(?:${
            group.join("|")
          })(?!(?!T\\d)[\\p{L}\\p{N}])`,
          "gu",
        ),
      );
      if (short) SHORT_TEXTS.add(patterns[patterns.length - 1]);
    }
    group = [];
    size = 0;
  };
  const texts = [...new Set(textsOf(patch))].sort((a, b) =>
    b.length - a.length
  );
  const phone = (patch as { phone?: unknown } | null)?.phone;
  for (const text of texts) {
    const spelled = text === phone
      ? spellPhone(text)
      : (text.match(/\\+|[^]/gu) ?? []).map((c, i) =>
        i === 0 && c === "+"
          ? `${spell(c)}?`
          : c[0] === "\\"
          ? spellBackslashes(c.length)
          : spell(c)
      ).join("");
    total += spelled.length;
    if (total > TOTAL_SIZE) return [/[^]+/g];
    // The short texts, last, in a pattern of their own; and the phone
    // number, whose separators a pattern of its own lets the engine skip
    // to its digits (among long texts, an answer of separators and digits
    // took ten times as long).
    if (
      size + spelled.length > PATTERN_SIZE || (!short && text.length < 3) ||
      text === phone
    ) {
      close();
      short = text.length < 3;
    }
    group.push(spelled);
    size += spelled.length + 1;
    if (text === phone) close();
  }
  close();
  return patterns;
}
