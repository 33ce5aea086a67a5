/**
 * The issue messages of the schemas. The values they check are personal data
 * (names, addresses, tax IDs) that end up in logs, so every message says what
 * was expected and never echoes what was received, unlike valibot's defaults.
 * The path of an issue says where the problem is.
 *
 * @module
 */

/** The longest free-text value accepted, in UTF-16 code units. */
export const MAX_TEXT_LENGTH = 255;

/** For a value outside the seed's country codes. */
export const COUNTRY_CODE_MESSAGE =
  "Expected an ISO 3166-1 alpha-2 country code";
/** For a value outside the seed's occupations. */
export const OCCUPATION_MESSAGE = "Expected one of the listed occupations";
/** For a value outside the ISO 639-1 codes. */
export const LANGUAGE_MESSAGE =
  'Expected an ISO 639-1 language code, in lowercase, such as "en"';
/** For a malformed `{user}` path parameter. */
export const IIBAN_MESSAGE =
  "Expected an IIBAN: 14 to 42 characters, letters and digits with single spaces between groups";
/** For a free-text field. */
export const TEXT_MESSAGE =
  `Expected a string of 1 to ${MAX_TEXT_LENGTH} UTF-16 units with something visible, without control characters, line breaks, direction overrides, byte order marks, noncharacters, replacement characters or lone surrogates`;
/** For `tos_version_accepted`. */
export const INT32_MESSAGE =
  "Expected an integer from -2147483648 to 2147483647, or null";
/** For `date_of_birth`. */
export const DATE_OF_BIRTH_MESSAGE =
  "Expected a date YYYY-MM-DD that exists, from 1901-01-01 and not in the future";
/** For `client_identifier.calculated_at`. */
export const DATE_TIME_MESSAGE =
  "Expected an RFC 3339 date-time with an offset, such as 2023-11-07T05:31:56Z, from the year 2000 and not dated after today";
/** For `phone`. */
export const PHONE_MESSAGE =
  "Expected a phone number in E.164 format, such as +441234567890";
/** For `nationalities` when it is not an array. */
export const NATIONALITIES_MESSAGE =
  "Expected an array of country codes, or null";
/** For a country code listed twice in `nationalities`. */
export const DUPLICATE_MESSAGE = "Expected each country code at most once";
/** For a tax ID listed twice in `tax_ids`. */
export const DUPLICATE_TAX_ID_MESSAGE = "Expected each tax ID at most once";
/**
 * The most entries `nationalities` and `tax_ids` take: the number of country
 * codes, written out (taking `COUNTRY_CODES.length` costs the bundle 20 B;
 * tests/schemas_test.ts holds the two equal). A longer list of nationalities
 * must repeat one; tax IDs are declared per country of tax residence,
 * seldom more than a few. A longer list is refused before any entry is read,
 * so a list from untrusted input cannot cost seconds of checking.
 */
export const MAX_LIST_LENGTH = 262;
/** For a `nationalities` longer than {@linkcode MAX_LIST_LENGTH}. */
export const NATIONALITIES_LENGTH_MESSAGE =
  `Expected at most ${MAX_LIST_LENGTH} country codes, each at most once`;
/** For a `tax_ids` longer than {@linkcode MAX_LIST_LENGTH}. */
export const TAX_IDS_LENGTH_MESSAGE =
  `Expected at most ${MAX_LIST_LENGTH} tax IDs`;
/** For `tax_ids` when it is not an array. */
export const TAX_IDS_MESSAGE = "Expected an array of tax IDs, or null";
/** For `client_identifier.type`. */
export const CONCAT_MESSAGE = 'Expected "concat"';
/** For the `result` of the Update User response. */
export const RESULT_MESSAGE = 'Expected "success" or null';
/** For a field of an answer that must be a string. */
export const STRING_MESSAGE = "Expected a string";
/** For a field of an answer that must be an array. */
export const ARRAY_MESSAGE = "Expected an array";
/** For a patch in which no field has a value. */
export const EMPTY_PATCH_MESSAGE = "Expected at least one field to update";
/** For a key that the body does not define. */
export const UNKNOWN_FIELD_MESSAGE =
  "Unknown field: not part of the Update User body";

/**
 * The message of every object schema. An object schema reports three
 * problems through one message slot (not an object, a required key missing,
 * a key it does not know), told apart by what the issue expected.
 *
 * @param issue The issue valibot is about to report.
 * @returns The message for it.
 */
export function objectMessage(
  issue: { readonly expected: string | null },
): string {
  return issue.expected === "Object"
    ? "Expected a plain object"
    : issue.expected === "never"
    ? UNKNOWN_FIELD_MESSAGE
    : "Expected a value: this field is required";
}
