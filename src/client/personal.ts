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

// `\uXXXX` for every character `pattern` finds, as JSON writers that keep
// to ASCII write them (Python's and PHP's: all but printable ASCII; Go's:
// `&`, `<` and `>` too).
const escaped = (text: string, pattern: RegExp) =>
  text.replace(
    pattern,
    (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"),
  );

// The forms an echo may give a text in: as sent; JSON-escaped, with or
// without `\/`, written in ASCII (Python's, PHP's, Go's), or twice (the body's JSON quoted as a
// string in JSON); HTML-escaped; percent-encoded, with a space as `%20` or
// `+`; a phone number without its `+`.
function formsOf(text: string): string[] {
  const json = text.replace(/[\\"]/g, "\\$&");
  // PHP's, which writes `/` as `\/`.
  const slashed = json.replaceAll("/", "\\/");
  const encoded = encodeURIComponent(text);
  return [
    text,
    json,
    slashed,
    json.replace(/[\\"]/g, "\\$&"),
    escaped(json, /[^\x20-\x7e]/g),
    escaped(slashed, /[^\x20-\x7e]/g),
    escaped(json, /[^\x20-\x7e]|[&<>]/g),
    text.replace(/[&<>"']/g, (c) => HTML[c as keyof typeof HTML]),
    encoded,
    // As a form encodes it (URLSearchParams): `!'()~` too, a space as `+`.
    encoded.replace(
      /[!'()~]/g,
      (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase(),
    ).replaceAll("%20", "+"),
    text.replace(/^\+/, ""),
  ];
}

const HTML = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * A pattern that finds the texts of `patch` (names, the date of birth, the
 * phone number, the address, tax IDs, ...) in any of the forms an echo may
 * give them, as whole words only: not inside a longer word or number
 * (`Tim` is not found in `EService:Timeout`, nor `101` in a trace id's
 * `1019`), so that what is left of the text still reads. Longest first, in
 * one pass, so a text found inside another, or inside `[redacted]`, does
 * not cut it. `undefined` when the patch holds none.
 */
export function personalPattern(patch: unknown): RegExp | undefined {
  const forms = [...new Set(textsOf(patch).flatMap(formsOf))]
    .sort((a, b) => b.length - a.length)
    .map((form) => form.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return forms.length
    ? new RegExp(
      // After no letter or digit but one that ends an escape (`%22`,
      // `\u0022`), before none.
      `(?<=^|[^\\p{L}\\p{N}]|%[0-9A-F]{2}|\\\\u[0-9a-f]{4})(?:${
        forms.join("|")
      })(?![\\p{L}\\p{N}])`,
      "gu",
    )
    : undefined;
}
