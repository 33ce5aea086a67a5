// Invalid inputs, field by field, for tests/bad_input_test.ts and
// tests/properties_test.ts: every field and sub-field of the Update User
// patch, the IIBAN, every client option and the arguments of request().

/** A bad value, and the path or field the error must name when it is not the entry's own. */
export interface Bad {
  value: unknown;
  at?: string;
}

/** A bad value whose error names `at` instead of the entry's path. */
export const at = (path: string, value: unknown): Bad => ({ value, at: path });

/** Valid parents, so that a bad sub-field is the only problem in its patch. */
export const VALID_PARENTS: Record<string, unknown> = {
  full_name: { first_name: "Ada", middle_name: "King", last_name: "Lovelace" },
  residence: {
    line1: "1 High Street",
    line2: "Flat 2",
    city: "London",
    province: "Greater London",
    postal_code: "N1 9GU",
    country: "GB",
  },
  nationalities: ["GB", "FR"],
  tax_ids: [
    { id: "123-45-6789", issuing_country: "US" },
    { id: "AB123456C", issuing_country: "GB" },
  ],
  client_identifier: {
    type: "concat",
    value: "ADA-LOVELACE-18151210",
    calculated_at: "2023-11-07T05:31:56Z",
  },
};

/**
 * A patch whose only problem is `value` at `path` (dotted, array indexes as
 * numbers): the other fields on the way are copied from VALID_PARENTS.
 */
export function place(path: string, value: unknown): Record<string, unknown> {
  const [top, ...rest] = path.split(".");
  return { [top]: placeIn(VALID_PARENTS[top], rest, value) };
}

function placeIn(base: unknown, rest: string[], value: unknown): unknown {
  if (rest.length === 0) return value;
  const copy: Record<string, unknown> = Array.isArray(base)
    ? [...base] as unknown as Record<string, unknown>
    : { ...base as Record<string, unknown> };
  copy[rest[0]] = placeIn(copy[rest[0]], rest.slice(1), value);
  return copy;
}

// A value no schema or option accepts in any field: JSON cannot even hold it.
const ODD: unknown[] = [Symbol("odd"), () => "x"];

// For free-text fields: 1 to 255 UTF-16 units, something visible, no
// control characters.
const TEXT: unknown[] = [
  "",
  " ",
  "\t\n\r",
  "\u00a0\u3000\u2028\ufeff",
  // Invisible: a zero-width space, a soft hyphen, a byte order mark.
  "\u200b",
  " \u00ad\ufeff ",
  // Control characters inside visible text.
  "Ada\u0000",
  "1 High Street\r\nFlat 2",
  "Ada\tLovelace",
  "Ada\u0085",
  "Ada\u2028Lovelace",
  // A direction override: shown as "AdaAlice".
  "Ada\u202eecilA",
  // Drawn as nothing: a Hangul filler, a lone combining accent.
  "\u3164",
  "\u0301",
  "x".repeat(256),
  "é".repeat(256),
  42,
  true,
  [],
  ["Ada"],
  {},
  new Date(0),
  ...ODD,
];
// For a required free-text sub-field, absent or null is also wrong.
const REQUIRED_TEXT: unknown[] = [...TEXT, null, undefined];
// For an optional, non-nullable free-text sub-field.
const OPTIONAL_TEXT: unknown[] = [...TEXT, null];
// For a country code.
const COUNTRY: unknown[] = [
  "gb",
  "Gb",
  "GBR",
  "G",
  "",
  " GB",
  "GB ",
  "XX",
  "ZZ",
  "UK",
  "Great Britain",
  826,
  true,
  ["GB"],
  { GB: true },
  ...ODD,
];
const REQUIRED_COUNTRY: unknown[] = [...COUNTRY, null, undefined];

// The first day after today in UTC+14, where days start first: in the future everywhere.
const tomorrow = new Date(Date.now() + 38 * 3600_000).toISOString().slice(
  0,
  10,
);

/** Every field and sub-field of the patch, with values it must refuse. */
export const PATCH_CORPUS: [path: string, values: (unknown | Bad)[]][] = [
  ["tos_version_accepted", [
    "1",
    "",
    1.5,
    -0.5,
    2147483648,
    -2147483649,
    Number.MAX_SAFE_INTEGER,
    1e300,
    NaN,
    Infinity,
    -Infinity,
    true,
    [],
    {},
    1n,
    ...ODD,
  ]],
  ["full_name", [
    null,
    "Ada Lovelace",
    42,
    true,
    [],
    ["Ada", "Lovelace"],
    new Date(0),
    new Map([["first_name", "Ada"]]),
    at("full_name.first_name", {}),
    at("full_name.last_name", { first_name: "Ada" }),
    at("full_name.first_name", { last_name: "Lovelace" }),
    at("full_name.nickname", {
      first_name: "Ada",
      last_name: "Lovelace",
      nickname: "Countess",
    }),
    at("full_name.firstName", {
      firstName: "Ada",
      first_name: "Ada",
      last_name: "Lovelace",
    }),
    ...ODD,
  ]],
  ["full_name.first_name", REQUIRED_TEXT],
  ["full_name.last_name", REQUIRED_TEXT],
  ["full_name.middle_name", OPTIONAL_TEXT],
  ["date_of_birth", [
    "1815-02-30",
    "1900-02-29",
    "1899-12-31",
    "0001-01-01",
    "0000-01-01",
    "2023-13-01",
    "2023-00-10",
    "2023-04-31",
    "3000-01-01",
    tomorrow,
    "10/12/1815",
    "1815-12-1",
    "18151210",
    " 1815-12-10",
    "1815-12-10\n",
    "1815-12-10T00:00:00Z",
    "+01815-12-10",
    "",
    18151210,
    new Date(0),
    true,
    [],
    {},
    ...ODD,
  ]],
  ["city_of_birth", TEXT],
  ["country_of_birth", COUNTRY],
  ["residence", [
    null,
    "1 High Street, London",
    42,
    true,
    [],
    new Date(0),
    at("residence.line1", {}),
    at("residence.country", {
      line1: "1 High Street",
      city: "London",
      postal_code: "N1 9GU",
    }),
    at("residence.street", {
      line1: "1 High Street",
      city: "London",
      postal_code: "N1 9GU",
      country: "GB",
      street: "High Street",
    }),
    ...ODD,
  ]],
  ["residence.line1", REQUIRED_TEXT],
  ["residence.line2", OPTIONAL_TEXT],
  ["residence.city", REQUIRED_TEXT],
  ["residence.province", OPTIONAL_TEXT],
  ["residence.postal_code", REQUIRED_TEXT],
  ["residence.country", REQUIRED_COUNTRY],
  ["phone", [
    "+44 7700 900123",
    "+44-7700-900123",
    "(0)7700900123",
    "07700900123",
    "+0447700900123",
    "+1",
    "1",
    "+",
    "",
    "+1234567890123456",
    "447700900123\n",
    "\u066447700900123",
    "\uff0b447700900123",
    "+44 7700 900123 ext 1",
    447700900123,
    true,
    [],
    {},
    ...ODD,
  ]],
  ["nationalities", [
    "GB",
    "GB,FR",
    42,
    true,
    {},
    { 0: "GB", length: 1 },
    new Set(["GB"]),
    at("nationalities.1", ["GB", "GB"]),
    at("nationalities.0", [["GB"]]),
    at("nationalities.0", [null]),
    ...ODD,
  ]],
  ["nationalities.1", [...COUNTRY, null, "GB"]],
  ["tax_ids", [
    "123-45-6789",
    42,
    true,
    {},
    { id: "123-45-6789", issuing_country: "US" },
    new Map(),
    at("tax_ids.0", [null]),
    at("tax_ids.0", ["123-45-6789"]),
    at("tax_ids.0", [[]]),
    ...ODD,
  ]],
  ["tax_ids.1", [
    null,
    "AB123456C",
    42,
    true,
    [],
    at("tax_ids.1.id", {}),
    at("tax_ids.1.issuing_country", { id: "AB123456C" }),
    at("tax_ids.1.id", { issuing_country: "GB" }),
    at("tax_ids.1.country", {
      id: "AB123456C",
      issuing_country: "GB",
      country: "GB",
    }),
    ...ODD,
  ]],
  ["tax_ids.1.id", REQUIRED_TEXT],
  ["tax_ids.1.issuing_country", REQUIRED_COUNTRY],
  ["occupation", [
    "astronaut",
    "Finance",
    "FINANCE",
    " finance",
    "finance ",
    "",
    42,
    true,
    [],
    ["finance"],
    {},
    ...ODD,
  ]],
  ["employer_name", TEXT],
  ["client_identifier", [
    null,
    "concat",
    42,
    true,
    [],
    new Date(0),
    at("client_identifier.type", {}),
    at("client_identifier.calculated_at", {
      type: "concat",
      value: "ADA",
    }),
    at("client_identifier.hash", {
      type: "concat",
      value: "ADA",
      calculated_at: "2023-11-07T05:31:56Z",
      hash: "sha256",
    }),
    ...ODD,
  ]],
  ["client_identifier.type", [
    "sha256",
    "CONCAT",
    "Concat",
    " concat",
    "concat ",
    "",
    null,
    undefined,
    42,
    true,
    [],
    ["concat"],
    {},
    ...ODD,
  ]],
  ["client_identifier.value", REQUIRED_TEXT],
  ["client_identifier.calculated_at", [
    "2023-11-07",
    "2023-11-07T05:31:56",
    "2023-11-07 05:31:56Z",
    "2023-11-07t05:31:56z",
    "2023-02-30T05:31:56Z",
    "2023-11-07T24:00:00Z",
    "2023-11-07T05:60:00Z",
    "2023-11-07T05:31:60Z",
    "2023-11-07T05:31:56.Z",
    "2023-11-07T05:31:56.1234567890Z",
    "2023-11-07T05:31:56+1:00",
    "2023-11-07T05:31:56+24:00",
    "2023-11-07T05:31:56+0100",
    "2023-11-07T05:31:56Z ",
    "yesterday",
    "",
    1699335116,
    new Date(0),
    null,
    undefined,
    true,
    [],
    {},
    ...ODD,
  ]],
  ["language", [
    "EN",
    "En",
    "eng",
    "xx",
    "zz",
    "en-GB",
    "en_GB",
    " en",
    "",
    "e",
    42,
    true,
    [],
    ["en"],
    {},
    ...ODD,
  ]],
];

/** Whole patches that are wrong as a whole: [patch, path the error names]. */
export const WHOLE_PATCH_CORPUS: [patch: unknown, path: string][] = [
  [null, ""],
  [undefined, ""],
  ["phone=+447700900123", ""],
  [42, ""],
  [true, ""],
  [[], ""],
  [[{ phone: "+447700900123" }], ""],
  [new Date(0), ""],
  [new Map([["phone", "+447700900123"]]), ""],
  // Fields inherited, not the object's own: JSON.stringify would not send them.
  [Object.create({ phone: "+447700900123" }), ""],
  [
    new (class Patch {
      get phone() {
        return "+447700900123";
      }
    })(),
    "",
  ],
  [{}, ""],
  [{ language: undefined, phone: undefined }, ""],
  [{ phone_number: "+447700900123" }, "phone_number"],
  [{ Phone: "+447700900123" }, "Phone"],
  [{ language: "en", __proto__x: 1 }, "__proto__x"],
  [{ language: "en", constructor: "x" }, "constructor"],
  [Symbol("patch"), ""],
  [JSON.parse('{"language":"en","__proto__":{"phone":"x"}}'), "__proto__"],
  // Reading it throws: a getter of its own, a proxy's trap.
  [{
    language: "en",
    get phone() {
      throw new Error("not loaded");
    },
  }, ""],
  [
    new Proxy({ language: "en" }, {
      get() {
        throw new RangeError("no");
      },
    }),
    "",
  ],
];

/** IIBANs (the `{user}` path parameter) the client must refuse. */
export const IIBAN_CORPUS: unknown[] = [
  "",
  "AA95",
  "AA95 N84G TE",
  "AA95  N84G TEST XXXX",
  " AA95 N84G TEST XXXX",
  "AA95 N84G TEST XXXX ",
  "AA95\tN84G TEST XXXX",
  "AA95 N84G TEST XXXX\n",
  "AA95-N84G-TEST-XXXX",
  "AA95/N84G/TEST/XXXX",
  "AA95 N84G ../../XXXX",
  "AA95%20N84G%20TEST%20XXXX",
  "AA95 N84G TEST XXXX?x=1",
  "AA95 N84G TEST XXXX#x",
  "ÄA95 N84G TEST XXXX",
  "AA95 N84G TEST ＸＸＸＸ",
  "A".repeat(43),
  "A ".repeat(21) + "A",
  null,
  undefined,
  42,
  true,
  [],
  ["AA95 N84G TEST XXXX"],
  {},
  ...ODD,
];

/** Client options the constructor must refuse, by the field its error names. */
export const OPTION_CORPUS: [field: string, values: (unknown | Bad)[]][] = [
  ["apiKey", [
    "",
    "key\r\nX-Evil: 1",
    "key\n",
    "key\r",
    "\tkey",
    "key with spaces",
    "clé",
    "ключ",
    "key\u0000",
    "key😀",
    "k".repeat(1025),
    42,
    null,
    undefined,
    true,
    [],
    {},
    ...ODD,
  ]],
  ["apiSecret", [
    "",
    "not base64!",
    "c2VjcmV0LWJ5dGVz\n",
    " c2VjcmV0LWJ5dGVz",
    "c2VjcmV0 LWJ5dGVz",
    "c2VjcmV0=",
    "c2VjcmV0LWJ5dGV",
    "YQ",
    "c2Vj-_8",
    "====",
    "é",
    42,
    null,
    undefined,
    true,
    [],
    {},
    new Uint8Array(32),
    ...ODD,
  ]],
  ["baseUrl", [
    "ftp://nexus.kraken.com",
    "http://nexus.kraken.com",
    "http://127.0.0.1.nip.io",
    "http://evillocalhost",
    "http://x.localhost",
    "http://localhost.",
    "file:///etc/passwd",
    "javascript:alert(1)",
    "data:text/plain,hi",
    "ws://nexus.kraken.com",
    "wss://nexus.kraken.com",
    "https://user:pass@nexus.kraken.com",
    "https://user@nexus.kraken.com",
    "https://:pass@nexus.kraken.com",
    "https://nexus.kraken.com/?debug=1",
    "https://nexus.kraken.com/?",
    "https://nexus.kraken.com/#top",
    // An empty fragment, which URL drops as it drops an empty query.
    "https://nexus.kraken.com/#",
    "nexus.kraken.com",
    "/b2b",
    "",
    "https://",
    42,
    // Only a missing baseUrl takes the default.
    null,
    true,
    [],
    {},
    ...ODD,
  ]],
  ["apiVersion", [
    "",
    "2025 04 15",
    "2025-04-15 ",
    "2025-04-15\r\nX-Evil: 1",
    "2025/04/15",
    "versión",
    "v".repeat(65),
    20250415,
    null,
    true,
    [],
    {},
    ...ODD,
  ]],
  ["fetch", [
    "fetch",
    42,
    null,
    true,
    [],
    {},
    { fetch: () => undefined },
    new URL("https://nexus.kraken.com"),
    Symbol("fetch"),
  ]],
  ["nonce", [
    42,
    "1",
    1n,
    null,
    true,
    [],
    {},
    { next: () => "1" },
    Symbol("nonce"),
  ]],
  ["timeoutMs", [
    -1,
    0,
    0.5,
    -Infinity,
    Infinity,
    NaN,
    2 ** 31,
    // setTimeout's largest delay: with the shared timer's slack it would
    // not fit, and fire at once.
    2 ** 31 - 1,
    "1000",
    null,
    true,
    [],
    1000n,
    ...ODD,
  ]],
  ["maxRetries", [
    -1,
    1.5,
    11,
    NaN,
    Infinity,
    -Infinity,
    "2",
    null,
    true,
    [],
    2n,
    ...ODD,
  ]],
  ["maxConcurrency", [
    0,
    -1,
    1.5,
    NaN,
    -Infinity,
    "4",
    null,
    true,
    [],
    4n,
    ...ODD,
  ]],
  ["backoff", [
    null,
    "fast",
    42,
    true,
    [],
    at("backoff.jitter", { jitter: true }),
    at("backoff.base", { base: 10 }),
    at("backoff.baseMs", { baseMs: -1 }),
    at("backoff.baseMs", { baseMs: NaN }),
    at("backoff.baseMs", { baseMs: "100" }),
    at("backoff.capMs", { capMs: Infinity }),
    at("backoff.capMs", { capMs: 60_001 }),
    at("backoff.capMs", { capMs: null }),
    ...ODD,
  ]],
  ["options", [
    null,
    undefined,
    "apiKey=x",
    42,
    true,
    ...ODD,
    // Refused as a whole, not as an unset environment variable.
    [],
    new Map([["apiKey", "k"], ["apiSecret", "c2VjcmV0LWJ5dGVz"]]),
    at("timeout", { timeout: 1000 }),
    at("secret", { secret: "c2VjcmV0LWJ5dGVz" }),
    at("apikey", { apikey: "x" }),
    at("retries", { retries: 3 }),
  ]],
];

/**
 * What a nonce source may return that is not an unsigned 64-bit integer (as
 * a bigint or decimal string); the client refuses each on the first call.
 */
export const NONCE_VALUE_CORPUS: unknown[] = [
  -1n,
  2n ** 64n,
  "18446744073709551616",
  "-1",
  "",
  "01",
  " 1",
  "1 ",
  "1e5",
  "0x10",
  "١٢٣",
  "1.5",
  5,
  1.5,
  NaN,
  null,
  undefined,
  true,
  {},
  [],
  ...ODD,
];

/**
 * Arguments of request() it must refuse: the target its error names, and
 * what replaces the fields of a valid `{ method: "POST", path: "/b2b/quotes" }`.
 */
export const REQUEST_CORPUS: [target: string, changes: unknown[]][] = [
  [
    "method",
    [
      "get",
      "TRACE",
      "CONNECT",
      "OPTIONS",
      "PATCH ",
      "G\r\nET",
      "",
      42,
      null,
      undefined,
      ...ODD,
    ].map((method) => ({ method })),
  ],
  [
    "path",
    [
      "",
      "b2b/assets",
      "/b2b/../admin",
      "/b2b/./assets",
      "/b2b/assets/..",
      "/b2b/%2e%2e/admin",
      "/b2b/.%2E/admin",
      "/b2b/%2E/assets",
      "/b2b/assets?x=1",
      "/b2b/assets#x",
      "/b2b/a b",
      "/b2b/\u00e9",
      "/b2b/%zz",
      "/b2b/assets\r\n",
      "/b2b\\assets",
      "https://evil.example/b2b",
      // Empty segments: Bun's fetch sends a leading // as /, and a proxy
      // may merge any run of slashes; "/" names no endpoint.
      "//b2b/assets",
      "//evil.example/b2b",
      "/b2b//assets",
      "/b2b/assets//",
      "/",
      42,
      null,
      undefined,
      ...ODD,
    ].map((path) => ({ path })),
  ],
  [
    "query",
    [
      "user=x",
      42,
      null,
      true,
      ["user", "x"],
      { user: {} },
      { user: null },
      { user: ["a", "b"] },
      { user: Symbol("x") },
      { user: () => "x" },
    ].map((query) => ({ query })),
  ],
  ["body", [
    { body: 1n },
    { body: { n: 1n } },
    { body: () => ({}) },
    { body: Symbol("body") },
    {
      body: {
        toJSON: () => {
          throw new Error("no");
        },
      },
    },
    {
      body: (() => {
        const loop: Record<string, unknown> = {};
        loop.self = loop;
        return loop;
      })(),
    },
    {
      body: {
        get bad() {
          throw new Error("no");
        },
      },
    },
    { method: "GET", body: {} },
    { method: "GET", body: "" },
  ]],
  [
    "signal",
    ["abort", 42, null, true, {}, [], { aborted: false }].map((
      signal,
    ) => ({ signal })),
  ],
  [
    "idempotent",
    ["yes", "true", "false", 1, 0, null, {}, []].map((
      idempotent,
    ) => ({ idempotent })),
  ],
];
