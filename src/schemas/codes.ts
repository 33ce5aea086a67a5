/**
 * The closed lists of codes that the Update User body accepts: country codes
 * and occupations exactly as the endpoint reference lists them, and the ISO
 * 639-1 language codes. Every schema (and the emulator) reads them from here
 * so that the lists exist once.
 *
 * Each list is written out in full once, as its tuple type, because JSR's
 * "no slow types" needs an explicit type, and `as const` alone is documented
 * as a widened array by `deno doc`. The two-letter codes' values are unpacked
 * from a compact text instead of repeating the literals: written out, they
 * were a quarter of a browser bundle of the client. The tests check the
 * values against the seed and against the tuple types.
 *
 * @module
 */

// Two-letter codes grouped by first letter: "ADEF GA" is AD, AE, AF, GA, in
// that order.
// @__NO_SIDE_EFFECTS__
function unpack<T extends readonly string[]>(packed: string): T {
  return Object.freeze(
    packed.split(" ").flatMap((group) =>
      [...group.slice(1)].map((second) => group[0] + second)
    ),
  ) as readonly string[] as T;
}

/**
 * The country codes the endpoint accepts, in the reference's order: the ISO
 * 3166-1 alpha-2 codes followed by the reserved and exceptional codes the
 * reference also lists (`AC`, `AN`, `AP`, `CP`, `DG`, `EA`, `EU`, `IC`, `JX`,
 * `TA`, `QO`, `XK`, `0C`), 262 in all.
 *
 * @example Checking a value
 * ```ts
 * import { COUNTRY_CODES } from "@kraken-embed/client";
 *
 * const known = (COUNTRY_CODES as readonly string[]).includes("FR"); // true
 * ```
 */
// deno-fmt-ignore
export const COUNTRY_CODES: readonly [
  "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU",
  "AW", "AX", "AZ", "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL",
  "BM", "BN", "BO", "BQ", "BR", "BS", "BT", "BV", "BW", "BY", "BZ", "CA", "CC",
  "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN", "CO", "CR", "CU", "CV",
  "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE", "EG",
  "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD",
  "GE", "GF", "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT",
  "GU", "GW", "GY", "HK", "HM", "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM",
  "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM", "JO", "JP", "KE", "KG", "KH",
  "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC", "LI", "LK",
  "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH",
  "MK", "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW",
  "MX", "MY", "MZ", "NA", "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR",
  "NU", "NZ", "OM", "PA", "PE", "PF", "PG", "PH", "PK", "PL", "PM", "PN", "PR",
  "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW", "SA", "SB", "SC",
  "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
  "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL",
  "TM", "TN", "TO", "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY",
  "UZ", "VA", "VC", "VE", "VG", "VI", "VN", "VU", "WF", "WS", "YE", "YT", "ZA",
  "ZM", "ZW", "AC", "AN", "AP", "CP", "DG", "EA", "EU", "IC", "JX", "TA", "QO",
  "XK", "0C",
] = /* @__PURE__ */ unpack(
  "ADEFGILMOQRSTUWXZ BABDEFGHIJLMNOQRSTVWYZ CACDFGHIKLMNORUVWXYZ DEJKMOZ " +
    "ECEGHRST FIJKMOR GABDEFGHILMNPQRSTUWY HKMNRTU IDELMNOQRST JEMOP " +
    "KEGHIMNPRWYZ LABCIKRSTUVY MACDEFGHKLMNOPQRSTUVWXYZ NACEFGILOPRUZ OM " +
    "PAEFGHKLMNRSTWY QA REOSUW SABCDEGHIJKLMNORSTVXYZ TCDFGHJKLMNORTVWZ " +
    "UAGMSYZ VACEGINU WFS YET ZAMW " +
    // The reserved and exceptional codes, in the reference's order.
    "AC AN AP CP DG EA EU IC JX TA QO XK 0C",
);

/**
 * One of the country codes in {@linkcode COUNTRY_CODES}.
 *
 * @example Reading a form field
 * ```ts
 * import { COUNTRY_CODES, type CountryCode } from "@kraken-embed/client";
 *
 * function countryOf(input: string): CountryCode | undefined {
 *   const code = input.trim().toUpperCase();
 *   return COUNTRY_CODES.find((country) => country === code);
 * }
 * console.log(countryOf(" gb ")); // "GB"
 * ```
 */
export type CountryCode = (typeof COUNTRY_CODES)[number];

/**
 * The occupations the endpoint accepts, in the reference's order (19).
 *
 * @example Building a select box
 * ```ts
 * import { OCCUPATIONS } from "@kraken-embed/client";
 *
 * const options = OCCUPATIONS.map((o) => ({ value: o, label: o.replaceAll("_", " ") }));
 * ```
 */
export const OCCUPATIONS: readonly [
  "agriculture",
  "business_management",
  "computers_and_it",
  "construction",
  "education",
  "finance",
  "government",
  "healthcare",
  "hospitality",
  "manufacturing",
  "marketing",
  "media",
  "other",
  "science",
  "self_employed",
  "student",
  "transportation",
  "unemployed",
  "employed",
] = /* @__PURE__ */ Object.freeze(
  [
    "agriculture",
    "business_management",
    "computers_and_it",
    "construction",
    "education",
    "finance",
    "government",
    "healthcare",
    "hospitality",
    "manufacturing",
    "marketing",
    "media",
    "other",
    "science",
    "self_employed",
    "student",
    "transportation",
    "unemployed",
    "employed",
  ] as const,
);

/**
 * One of the occupations in {@linkcode OCCUPATIONS}.
 *
 * @example Mapping your own job categories
 * ```ts
 * import type { Occupation } from "@kraken-embed/client";
 *
 * const OCCUPATION_OF = new Map<string, Occupation>([
 *   ["nurse", "healthcare"],
 *   ["teacher", "education"],
 *   ["developer", "computers_and_it"],
 * ]);
 * const occupationOf = (job: string): Occupation => OCCUPATION_OF.get(job) ?? "other";
 * console.log(occupationOf("developer")); // "computers_and_it"
 * ```
 */
export type Occupation = (typeof OCCUPATIONS)[number];

/**
 * The ISO 639-1 two-letter language codes, lowercase and sorted (183).
 *
 * The deprecated `sh` (Serbo-Croatian) and the withdrawn collective code `bh`
 * (Bihari languages) are left out, as are the retired `iw`, `in`, `ji`, `jw`
 * and `mo`.
 *
 * @example Checking a value
 * ```ts
 * import { LANGUAGE_CODES } from "@kraken-embed/client";
 *
 * const known = (LANGUAGE_CODES as readonly string[]).includes("de"); // true
 * ```
 */
// deno-fmt-ignore
export const LANGUAGE_CODES: readonly [
  "aa", "ab", "ae", "af", "ak", "am", "an", "ar", "as", "av", "ay", "az", "ba", "be", "bg", "bi",
  "bm", "bn", "bo", "br", "bs", "ca", "ce", "ch", "co", "cr", "cs", "cu", "cv", "cy", "da", "de",
  "dv", "dz", "ee", "el", "en", "eo", "es", "et", "eu", "fa", "ff", "fi", "fj", "fo", "fr", "fy",
  "ga", "gd", "gl", "gn", "gu", "gv", "ha", "he", "hi", "ho", "hr", "ht", "hu", "hy", "hz", "ia",
  "id", "ie", "ig", "ii", "ik", "io", "is", "it", "iu", "ja", "jv", "ka", "kg", "ki", "kj", "kk",
  "kl", "km", "kn", "ko", "kr", "ks", "ku", "kv", "kw", "ky", "la", "lb", "lg", "li", "ln", "lo",
  "lt", "lu", "lv", "mg", "mh", "mi", "mk", "ml", "mn", "mr", "ms", "mt", "my", "na", "nb", "nd",
  "ne", "ng", "nl", "nn", "no", "nr", "nv", "ny", "oc", "oj", "om", "or", "os", "pa", "pi", "pl",
  "ps", "pt", "qu", "rm", "rn", "ro", "ru", "rw", "sa", "sc", "sd", "se", "sg", "si", "sk", "sl",
  "sm", "sn", "so", "sq", "sr", "ss", "st", "su", "sv", "sw", "ta", "te", "tg", "th", "ti", "tk",
  "tl", "tn", "to", "tr", "ts", "tt", "tw", "ty", "ug", "uk", "ur", "uz", "ve", "vi", "vo", "wa",
  "wo", "xh", "yi", "yo", "za", "zh", "zu",
] = /* @__PURE__ */ unpack(
  "aabefkmnrsvyz baegimnors caehorsuvy daevz eelnostu fafijory gadlnuv " +
    "haeiortuyz iadegikostu jav kagijklmnorsuvwy labginotuv mghiklnrsty " +
    "nabdeglnorvy ocjmrs pailst qu rmnouw sacdegiklmnoqrstuvw " +
    "taeghiklnorstwy ugkrz veio wao xh yio zahu",
);

/**
 * One of the language codes in {@linkcode LANGUAGE_CODES}.
 *
 * @example Reading an `Accept-Language` header
 * ```ts
 * import { LANGUAGE_CODES, type LanguageCode } from "@kraken-embed/client";
 *
 * function languageOf(header: string): LanguageCode | undefined {
 *   const [first = ""] = header.split(/[-,;]/);
 *   return LANGUAGE_CODES.find((code) => code === first.trim().toLowerCase());
 * }
 * console.log(languageOf("de-CH,de;q=0.9,en;q=0.8")); // "de"
 * ```
 */
export type LanguageCode = (typeof LANGUAGE_CODES)[number];
