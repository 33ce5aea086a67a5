/**
 * The body of `PATCH /b2b/users/{user}` (Update User): its type and its
 * schema.
 *
 * The schema is strict where a mistake would otherwise be silent: an unknown
 * key at any depth is an issue (a typo such as `phone_number` would be
 * dropped by a lenient parser and never reach the API), and so is a patch
 * with nothing to update. It never transforms: its output holds the input's
 * own fields unchanged, as they were when checked (a getter may be read
 * again when the first reading is refused; the output holds what was
 * checked last). Serialize that output, not the input, which a getter, a
 * non-enumerable field or a `toJSON` of its own can make `JSON.stringify`
 * send otherwise.
 *
 * @module
 */

import * as v from "valibot";
import { strictObject } from "./_strict_object.ts";
import type { ValibotSchema } from "./schema.ts";
import type { CountryCode, LanguageCode, Occupation } from "./codes.ts";
import { CountryCodeSchema } from "./country_code.ts";
import { LanguageSchema } from "./language.ts";
import { OccupationSchema } from "./occupation.ts";
import {
  CONCAT_MESSAGE,
  DATE_OF_BIRTH_MESSAGE,
  DATE_TIME_MESSAGE,
  DUPLICATE_MESSAGE,
  DUPLICATE_TAX_ID_MESSAGE,
  EMPTY_PATCH_MESSAGE,
  INT32_MESSAGE,
  MAX_LIST_LENGTH,
  MAX_TEXT_LENGTH,
  NATIONALITIES_LENGTH_MESSAGE,
  NATIONALITIES_MESSAGE,
  objectMessage,
  PHONE_MESSAGE,
  TAX_IDS_LENGTH_MESSAGE,
  TAX_IDS_MESSAGE,
  TEXT_MESSAGE,
} from "./_messages.ts";

/**
 * A user's full name, as the Update User body takes it.
 *
 * @example A full name
 * ```ts
 * import type { FullName } from "@kraken-embed/client";
 *
 * const name: FullName = { first_name: "Ada", last_name: "Lovelace" };
 * ```
 */
export interface FullName {
  /** Given name: 1 to 255 UTF-16 units, something visible, no control characters or line breaks. */
  first_name: string;
  /** Family name: 1 to 255 UTF-16 units, something visible, no control characters or line breaks. */
  last_name: string;
  /** Middle name(s), if any: 1 to 255 UTF-16 units, something visible, no control characters or line breaks. */
  middle_name?: string | undefined;
}

/**
 * A user's residential address, as the Update User body takes it.
 *
 * @example An address
 * ```ts
 * import type { Residence } from "@kraken-embed/client";
 *
 * const home: Residence = {
 *   line1: "1 Main Street",
 *   city: "Springfield",
 *   postal_code: "12345",
 *   country: "US",
 * };
 * ```
 */
export interface Residence {
  /** First line of the street address: 1 to 255 UTF-16 units, something visible, no control characters or line breaks. */
  line1: string;
  /** City: 1 to 255 UTF-16 units, something visible, no control characters or line breaks. */
  city: string;
  /** Postal code: 1 to 255 UTF-16 units, something visible, no control characters or line breaks. */
  postal_code: string;
  /** Country of residence, an ISO 3166-1 alpha-2 code such as `"US"`. */
  country: CountryCode;
  /** Second line of the street address, if any: 1 to 255 UTF-16 units, something visible, no control characters or line breaks. */
  line2?: string | undefined;
  /** Province, state or region, if any: 1 to 255 UTF-16 units, something visible, no control characters or line breaks. */
  province?: string | undefined;
}

/**
 * One tax identification number of a user.
 *
 * @example A tax ID
 * ```ts
 * import type { TaxId } from "@kraken-embed/client";
 *
 * const tin: TaxId = { id: "123-45-6789", issuing_country: "US" };
 * ```
 */
export interface TaxId {
  /** The tax ID as issued: 1 to 255 UTF-16 units, something visible, no control characters or line breaks. */
  id: string;
  /** The country that issued it, an ISO 3166-1 alpha-2 code such as `"US"`. */
  issuing_country: CountryCode;
}

/**
 * The identifier the partner platform assigned to the user.
 *
 * @example A client identifier
 * ```ts
 * import type { ClientIdentifier } from "@kraken-embed/client";
 *
 * const ident: ClientIdentifier = {
 *   type: "concat",
 *   value: "ADA-LOVELACE-18151210",
 *   calculated_at: "2023-11-07T05:31:56Z",
 * };
 * ```
 */
export interface ClientIdentifier {
  /** How the identifier was built; `"concat"`, the only value the reference shows (in its example). */
  type: "concat";
  /** The identifier: 1 to 255 UTF-16 units, something visible, no control characters or line breaks. */
  value: string;
  /**
   * When it was computed: an RFC 3339 date-time with an offset (`Z` or
   * `±HH:MM`, uppercase `T` and `Z`), fractional seconds allowed, e.g.
   * `"2023-11-07T05:31:56Z"` or `"2023-11-07T06:31:56.5+01:00"`; from the
   * year 2000, and its date, as written, not after today in UTC+14 (so a
   * time up to about two days ahead, written in an offset west of UTC,
   * passes: the rule is there for placeholders such as 9999-12-31).
   */
  calculated_at: string;
}

/**
 * The body of `PATCH /b2b/users/{user}`: the fields to change. Every field is
 * optional, and at least one must have a value. A key whose value is
 * `undefined` counts as absent, as it does in `JSON.stringify`. `null` is
 * accepted where the API allows it, to clear the field.
 *
 * @example A patch that changes the phone number and clears the employer
 * ```ts
 * import type { UserPatch } from "@kraken-embed/client";
 *
 * const patch: UserPatch = { phone: "+441234567890", employer_name: null };
 * ```
 */
export interface UserPatch {
  /**
   * Version of Payward's Terms of Service the user accepted: an integer from
   * -2147483648 to 2147483647 (int32), or `null`.
   */
  tos_version_accepted?: number | null | undefined;
  /** The user's full name. Cannot be `null`. */
  full_name?: FullName | undefined;
  /**
   * Date of birth, `YYYY-MM-DD`: a date that exists on the calendar, from
   * 1901-01-01 and not after today in UTC+14 (the earliest time zone, so a
   * user born today anywhere is accepted), or `null`.
   */
  date_of_birth?: string | null | undefined;
  /** City of birth: 1 to 255 UTF-16 units, something visible, no control characters or line breaks, or `null`. */
  city_of_birth?: string | null | undefined;
  /** Country of birth, an ISO 3166-1 alpha-2 code such as `"GB"`, or `null`. */
  country_of_birth?: CountryCode | null | undefined;
  /** Residential address. Cannot be `null`. */
  residence?: Residence | undefined;
  /**
   * Phone number in E.164 format, optionally with a leading `+`: matches
   * `^\+?[1-9]\d{1,14}$`, e.g. `"+441234567890"`. Or `null`.
   */
  phone?: string | null | undefined;
  /**
   * Nationalities as country codes, each at most once, or `null`. A
   * readonly array (`["GB", "IE"] as const`) is accepted.
   */
  nationalities?: readonly CountryCode[] | null | undefined;
  /**
   * Tax identification numbers, at most 262, the same ID from the same
   * country at most once, or `null`. A readonly array is accepted.
   */
  tax_ids?: readonly TaxId[] | null | undefined;
  /** Occupation, one of the listed values such as `"finance"`, or `null`. */
  occupation?: Occupation | null | undefined;
  /** Name of the user's employer: 1 to 255 UTF-16 units, something visible, no control characters or line breaks, or `null`. */
  employer_name?: string | null | undefined;
  /** Identifier assigned by the partner platform. Cannot be `null`. */
  client_identifier?: ClientIdentifier | undefined;
  /**
   * Preferred language, an ISO 639-1 code such as `"en"`, or `null`. When
   * not given, the API uses the default language of the user's country.
   */
  language?: LanguageCode | null | undefined;
}

// Something visible: not only whitespace, invisible format characters (a
// zero-width space, a word joiner), marks with nothing to sit on (a lone
// accent, a variation selector), or letters drawn blank (the Hangul fillers
// U+115F, U+1160, U+3164, U+FFA0, and the blank braille cell U+2800, which
// "blank" names are made of). And no control character (C0, DEL, C1) or
// line or paragraph separator (U+2028, U+2029, which JSON.stringify sends
// raw): none belongs in a name or an address, and a line break or a NUL in
// one can split or cut the record in the systems it reaches. Nor a
// direction embedding, override or isolate (U+202A to U+202E, U+2066 to
// U+2069), with which a name can show other than it reads (the marks
// U+200E and U+200F, which right-to-left text may carry, stay). Nor a byte
// order mark (U+FEFF) or a noncharacter (U+FFFF, U+FDD0 to U+FDEF, ...:
// never assigned, in any version of Unicode), anywhere: a CSV's first cell
// read from a file saved with a mark starts with one, and either would
// stand as the user's data, unequal to the same name typed. Nor a
// replacement character (U+FFFD, U+FFFC), which a failed decoding leaves
// where a letter or an object was lost.
// Default-ignorable code points (`\p{DI}`) are drawn as nothing, even those
// not yet assigned (U+2065, U+FFF0, U+E0080), as are the Hangul fillers;
// U+2800 and U+1D159 are blank symbols.
const CONTROL =
  /[\p{Cc}\p{Zl}\p{Zp}\p{NChar}\u202a-\u202e\u2066-\u2069\ufeff\ufffc\ufffd]/u;
const VISIBLE = /[^\s\p{Cf}\p{M}\p{DI}\u2800\u{1d159}]/u;

const Text = v.pipe(
  v.string(TEXT_MESSAGE),
  // A lone surrogate cannot be encoded as UTF-8: JSON.stringify would send
  // it as a `\udXXX` escape that the service may store as garbage.
  v.check(
    (s) =>
      s.length <= MAX_TEXT_LENGTH && !CONTROL.test(s) && VISIBLE.test(s) &&
      isWellFormed(s),
    TEXT_MESSAGE,
  ),
);

/** Whether `s` has no lone surrogate, so that UTF-8 carries it unchanged. */
export function isWellFormed(s: string): boolean {
  // Native where the runtime has it (ES2024: Node 20+, Deno, Bun, workerd);
  // elsewhere (older browsers) a search for a surrogate code point, which in
  // a `u` regex only a lone surrogate is.
  return (s as { isWellFormed?: () => boolean }).isWellFormed?.() ??
    !/\p{Cs}/u.test(s);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function digit(s: string, i: number): number {
  return s.charCodeAt(i) - 48;
}

// Whether `s` starts with a `YYYY-MM-DD` (its shape already checked) whose
// month and day exist in that year (proleptic Gregorian calendar). Read digit
// by digit: a regex match would allocate its array and strings per call.
function dateExists(s: string): boolean {
  const year = digit(s, 0) * 1000 + digit(s, 1) * 100 + digit(s, 2) * 10 +
    digit(s, 3);
  const month = digit(s, 5) * 10 + digit(s, 6);
  const day = digit(s, 8) * 10 + digit(s, 9);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
  return day >= 1 && days !== undefined && day <= days;
}

// UTC+14 is where the day begins first, so a birth today is never future.
const EARLIEST_OFFSET_MS = 14 * 3600_000;
const DAY_MS = 86_400_000;
// Today's date in UTC+14 and the span of clock readings it holds for, so that
// formatting a date happens once a day, not once per validation. The clock is
// still read at every call: a long-running process never freezes "today", and
// a clock set back is honoured.
let today = { date: "", from: 0, until: 0 };

// Today's date in UTC+14, `YYYY-MM-DD`: the latest date anywhere. (A fake
// clock's bigint read as a number, as the nonce generator reads it.)
function latestDate(): string {
  const now = Number(Date.now());
  if (now < today.from || now >= today.until) {
    const shifted = now + EARLIEST_OFFSET_MS;
    const from = shifted - (((shifted % DAY_MS) + DAY_MS) % DAY_MS) -
      EARLIEST_OFFSET_MS;
    today = {
      date: new Date(shifted).toISOString().slice(0, 10),
      from,
      until: from + DAY_MS,
    };
  }
  return today.date;
}

function isDateOfBirth(s: string): boolean {
  // Not before 1901: nobody alive was born earlier (the oldest person living
  // in 2026 was born in 1908), and an earlier date is a placeholder or a slip
  // (1900-01-01, day one of SQL Server's and Excel's dates; 0001-01-01,
  // .NET's DateTime.MinValue; 0990 for 1990) that would stand as the user's
  // identity data.
  return /^\d{4}-\d\d-\d\d$/.test(s) && dateExists(s) && s >= "1901" &&
    s <= latestDate();
}

// Not before 2000 (a placeholder: 1970-01-01T00:00:00Z, the Unix epoch;
// 0001-01-01, .NET's DateTime.MinValue), nor dated in the future (9999-12-31):
// its date as written, in its own offset, not after today in UTC+14. Its
// date only: a time in an offset west of UTC may be up to about two days
// ahead of the clock and pass.
function isDateTime(s: string): boolean {
  return isRfc3339(s) && s >= "2000" && s.slice(0, 10) <= latestDate();
}

/**
 * Whether `s` is an RFC 3339 date-time with an offset, uppercase `T` and
 * `Z`, at most 9 fractional digits, on a day that exists, without a leap
 * second. Internal, not exported by the package.
 */
export function isRfc3339(s: string): boolean {
  return /^\d{4}-\d\d-\d\dT([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,9})?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/
    .test(s) && dateExists(s);
}

// An array of `item`, refused at once, before any entry is read, when
// longer than MAX_LIST_LENGTH: a pipe stops before its next schema once an
// issue is found. Anything but an array passes the length check, for the
// array schema to refuse with `message`. A list with a hole is refused with
// `message` too, before valibot reads it: it reads a hole through the
// prototype, so an index set on Object.prototype by other code would fill
// it. The output is checked again: the array schema reads the input's
// length at every step, and an entry's getter (or a Proxy) can make the list
// grow while it is read.
function list<T extends v.GenericSchema>(
  item: T,
  message: string,
  lengthMessage: string,
) {
  return v.pipe(
    v.custom<v.InferInput<T>[]>(
      (x) => !Array.isArray(x) || x.length <= MAX_LIST_LENGTH,
      lengthMessage,
    ),
    v.custom<v.InferInput<T>[]>(
      (x) =>
        // Array.prototype's findIndex, not one the list may carry.
        !Array.isArray(x) ||
        Array.prototype.findIndex.call(x, (_, i) => !Object.hasOwn(x, i)) < 0,
      message,
    ),
    v.array(item, message),
    v.check((x) => x.length <= MAX_LIST_LENGTH, lengthMessage),
  );
}

const schema = v.pipe(
  strictObject(
    {
      tos_version_accepted: v.nullish(
        v.pipe(
          v.number(INT32_MESSAGE),
          v.check(
            (n) => Number.isInteger(n) && n >= -2147483648 && n <= 2147483647,
            INT32_MESSAGE,
          ),
        ),
      ),
      full_name: v.optional(
        strictObject(
          { first_name: Text, last_name: Text, middle_name: v.optional(Text) },
          objectMessage,
        ),
      ),
      date_of_birth: v.nullish(
        v.pipe(
          v.string(DATE_OF_BIRTH_MESSAGE),
          v.check(isDateOfBirth, DATE_OF_BIRTH_MESSAGE),
        ),
      ),
      city_of_birth: v.nullish(Text),
      country_of_birth: v.nullish(CountryCodeSchema),
      residence: v.optional(
        strictObject(
          {
            line1: Text,
            city: Text,
            postal_code: Text,
            country: CountryCodeSchema,
            line2: v.optional(Text),
            province: v.optional(Text),
          },
          objectMessage,
        ),
      ),
      phone: v.nullish(
        v.pipe(
          v.string(PHONE_MESSAGE),
          v.check((s) => /^\+?[1-9]\d{1,14}$/.test(s), PHONE_MESSAGE),
        ),
      ),
      nationalities: v.nullish(
        v.pipe(
          list(
            CountryCodeSchema,
            NATIONALITIES_MESSAGE,
            NATIONALITIES_LENGTH_MESSAGE,
          ),
          // Reported on the later copy, so the path names its index.
          v.checkItems((c, i, all) => all.indexOf(c) === i, DUPLICATE_MESSAGE),
        ),
      ),
      tax_ids: v.nullish(
        v.pipe(
          list(
            strictObject(
              { id: Text, issuing_country: CountryCodeSchema },
              objectMessage,
            ),
            TAX_IDS_MESSAGE,
            TAX_IDS_LENGTH_MESSAGE,
          ),
          // The same ID from the same country twice is a slip (a list
          // merged from two sources). Two IDs from one country (a UK NINO
          // and UTR) may both be meant, and pass. Reported on the later copy.
          v.checkItems(
            (t, i, all) =>
              all.findIndex((o) =>
                o.id === t.id && o.issuing_country === t.issuing_country
              ) === i,
            DUPLICATE_TAX_ID_MESSAGE,
          ),
        ),
      ),
      occupation: v.nullish(OccupationSchema),
      employer_name: v.nullish(Text),
      client_identifier: v.optional(
        strictObject(
          {
            type: v.picklist(["concat"], CONCAT_MESSAGE),
            value: Text,
            calculated_at: v.pipe(
              v.string(DATE_TIME_MESSAGE),
              v.check(isDateTime, DATE_TIME_MESSAGE),
            ),
          },
          objectMessage,
        ),
      ),
      language: v.nullish(LanguageSchema),
    },
    objectMessage,
  ),
  // `undefined` counts as absent because JSON.stringify drops it: a patch of
  // only undefined values would be sent as `{}`.
  v.check(
    (patch) => Object.values(patch).some((x) => x !== undefined),
    EMPTY_PATCH_MESSAGE,
  ),
);

// The annotation below only checks assignability; this checks that the
// schema's inferred types and the documented interface are the same type,
// but for the interface's arrays, which are readonly so that a caller's
// readonly array is taken (valibot infers mutable ones, and never writes to
// the input's).
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends
  (<T>() => T extends B ? 1 : 2) ? true : false;
type Assert<T extends true> = T;
type Listed<T> = T extends (infer U)[] ? readonly U[] : T;
type ReadonlyLists<T> = { [K in keyof T]: Listed<T[K]> };
type _InputMatches = Assert<
  Same<ReadonlyLists<v.InferInput<typeof schema>>, UserPatch>
>;
type _OutputMatches = Assert<
  Same<ReadonlyLists<v.InferOutput<typeof schema>>, UserPatch>
>;

/**
 * The schema of {@linkcode UserPatch}, the body of `PATCH /b2b/users/{user}`.
 *
 * - Every field is optional; at least one must have a value (`undefined`
 *   counts as absent). `null` is accepted where the API allows it.
 * - An unknown key at any depth is an issue whose path names the key.
 * - Issue messages say what was expected and never include the value, which
 *   is personal data.
 * - The output holds the input's own fields unchanged: none is trimmed or
 *   converted. Serialize the output, not the input (a getter, a
 *   non-enumerable field or a `toJSON` of the input's own would change what
 *   `JSON.stringify` sends).
 *
 * @example Validating a patch before sending it
 * ```ts
 * import * as v from "valibot";
 * import { UserPatchSchema } from "@kraken-embed/client";
 *
 * const ok = v.safeParse(UserPatchSchema, { phone: "+441234567890" });
 * ok.success; // true
 *
 * const typo = v.safeParse(UserPatchSchema, { phone_number: "+441234567890" });
 * typo.issues?.[0].message; // "Unknown field: not part of the Update User body"
 * ```
 */
export const UserPatchSchema: ValibotSchema<UserPatch> = schema;
