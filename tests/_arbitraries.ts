// fast-check arbitraries for every field of the Update User patch: valid
// values only, so that a patch assembled from them must be accepted.
import fc from "fast-check";
import {
  type ClientIdentifier,
  COUNTRY_CODES,
  type CountryCode,
  type FullName,
  LANGUAGE_CODES,
  OCCUPATIONS,
  type Residence,
  type TaxId,
  type UserPatch,
} from "@kraken-embed/client";

/**
 * Free text: 1 to 255 UTF-16 code units, something visible (not whitespace,
 * a format character, a mark, a default-ignorable code point, the blank
 * braille cell or U+1D159), no control character, line or paragraph
 * separator, direction embedding, override or isolate (U+202A to U+202E,
 * U+2066 to U+2069), byte order mark, noncharacter or replacement
 * character, any script.
 */
export const text: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: "grapheme", minLength: 1, maxLength: 40 }),
  fc.string({ unit: "binary", minLength: 1, maxLength: 40 }),
  fc.string({ minLength: 1, maxLength: 255 }),
  fc.constantFrom("x".repeat(255), "é".repeat(255), "Zoë", "Łukasiewicz"),
).filter((s) =>
  s.length <= 255 &&
  /[^\s\p{Cf}\p{M}\p{DI}\u2800\u{1d159}]/u.test(s) &&
  !/[\p{Cc}\p{NChar}\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ufffc\ufffd]/u
    .test(s)
);

export const country: fc.Arbitrary<CountryCode> = fc.constantFrom(
  ...COUNTRY_CODES,
);

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

function isoDate(min: string, max: Date): fc.Arbitrary<string> {
  return fc.date({ min: new Date(min), max, noInvalidDate: true }).map((d) =>
    d.toISOString().slice(0, 10)
  );
}

/** A date of birth: any calendar date from 1901-01-01 to today (UTC). */
export const dateOfBirth: fc.Arbitrary<string> = isoDate(
  "1901-01-01T00:00:00Z",
  new Date(),
);

/**
 * RFC 3339 date-time with an offset, fractional seconds of 1 to 9 digits,
 * its date from 2000-01-01 to today (UTC).
 */
export const dateTime: fc.Arbitrary<string> = fc.record({
  date: isoDate("2000-01-01T00:00:00Z", new Date()),
  hour: fc.integer({ min: 0, max: 23 }),
  minute: fc.integer({ min: 0, max: 59 }),
  second: fc.integer({ min: 0, max: 59 }),
  fraction: fc.option(fc.stringMatching(/^[0-9]{1,9}$/), { nil: "" }),
  offset: fc.oneof(
    fc.constant("Z"),
    fc.tuple(
      fc.constantFrom("+", "-"),
      fc.integer({ min: 0, max: 23 }),
      fc.integer({ min: 0, max: 59 }),
    ).map(([sign, h, m]) => `${sign}${pad(h)}:${pad(m)}`),
  ),
}).map(({ date, hour, minute, second, fraction, offset }) =>
  `${date}T${pad(hour)}:${pad(minute)}:${pad(second)}${
    fraction ? `.${fraction}` : ""
  }${offset}`
);

export const phone: fc.Arbitrary<string> = fc.stringMatching(
  /^\+?[1-9][0-9]{1,14}$/,
);

export const fullName: fc.Arbitrary<FullName> = fc.record({
  first_name: text,
  last_name: text,
  middle_name: text,
}, { requiredKeys: ["first_name", "last_name"] });

export const residence: fc.Arbitrary<Residence> = fc.record({
  line1: text,
  line2: text,
  city: text,
  province: text,
  postal_code: text,
  country,
}, { requiredKeys: ["line1", "city", "postal_code", "country"] });

export const taxId: fc.Arbitrary<TaxId> = fc.record({
  id: text,
  issuing_country: country,
});

export const clientIdentifier: fc.Arbitrary<ClientIdentifier> = fc.record({
  type: fc.constant("concat" as const),
  value: text,
  calculated_at: dateTime,
});

const nullable = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });

/** Any valid patch: each field absent or valid (null where the API allows it), at least one present. */
export const userPatch: fc.Arbitrary<UserPatch> = fc.record({
  tos_version_accepted: nullable(fc.integer()),
  full_name: fullName,
  date_of_birth: nullable(dateOfBirth),
  city_of_birth: nullable(text),
  country_of_birth: nullable(country),
  residence,
  phone: nullable(phone),
  nationalities: nullable(fc.uniqueArray(country, { maxLength: 6 })),
  // The same ID from the same country at most once, as the schema takes it.
  tax_ids: nullable(fc.uniqueArray(taxId, {
    maxLength: 4,
    selector: ({ id, issuing_country }) => `${issuing_country} ${id}`,
  })),
  occupation: nullable(fc.constantFrom(...OCCUPATIONS)),
  employer_name: nullable(text),
  client_identifier: clientIdentifier,
  language: nullable(fc.constantFrom(...LANGUAGE_CODES)),
}, { requiredKeys: [] }).filter((patch) => Object.keys(patch).length > 0);

/**
 * Any string at all: printable ASCII, any code point, control characters,
 * lone surrogates, and shapes close to valid keys, secrets, IIBANs, nonces.
 */
export const anyString: fc.Arbitrary<string> = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary" }),
  fc.string({ unit: "binary-ascii" }),
  fc.string({ unit: "grapheme" }),
  fc.string({
    unit: fc.oneof(
      fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
      fc.integer({ min: 0xd800, max: 0xdfff }).map((c) =>
        String.fromCharCode(c)
      ),
    ),
  }),
  fc.base64String(),
  fc.stringMatching(/^[0-9]{0,25}$/),
  fc.stringMatching(/^[A-Z0-9]{2,6}( [A-Z0-9]{1,6}){0,8}$/),
);
