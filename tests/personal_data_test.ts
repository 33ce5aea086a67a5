// What an error of a users.update leaves out of the personal data its patch
// sent, however an echo spells it, and what it leaves as it is: a Kraken
// error a caller looks for. (Cases from a review of the first pattern.)
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  EmbedApiError,
  EmbedClient,
  EmbedNetworkError,
  type UserPatch,
} from "@kraken-embed/client";
import {
  API_KEY,
  failedUpdate,
  failure,
  fakeFetch,
  type Reply,
  SECRET,
  USER,
} from "./_fake_fetch.ts";

async function update(patch: UserPatch, reply: Reply): Promise<EmbedApiError> {
  const error = await failedUpdate(patch, reply);
  assert.ok(error instanceof EmbedApiError, String(error));
  return error;
}

// A gateway's 502 whose page quotes (a part of) the body as `echo` writes it.
const echoing = (text: string): Reply => () =>
  new Response(text, { status: 502 });

const quoted = (error: EmbedApiError) =>
  [error.message, String(error.body), ...(error.errors ?? [])].join("\n");

const cases: Array<[string, UserPatch, string, string]> = [
  // Python's html.escape writes ' as &#x27;, PHP's htmlspecialchars as
  // &#039;, Go's html.EscapeString " as &#34;.
  [
    "Python's html.escape",
    { full_name: { first_name: "Sean", last_name: "O'Brien" } },
    "<pre>last_name=O&#x27;Brien</pre>",
    "Brien",
  ],
  [
    "PHP's htmlspecialchars",
    { full_name: { first_name: "Sean", last_name: "O'Brien" } },
    "<pre>last_name=O&#039;Brien</pre>",
    "Brien",
  ],
  // Gson (default HTML-safe) and .NET's System.Text.Json write ' as \u0027.
  [
    "Gson / System.Text.Json, an apostrophe",
    { full_name: { first_name: "Sean", last_name: "O'Brien" } },
    '{"last_name":"O\\u0027Brien"}',
    "Brien",
  ],
  // System.Text.Json: non-ASCII and + in upper-case hex.
  [
    "System.Text.Json, upper-case hex",
    { full_name: { first_name: "José", last_name: "Smith" } },
    '{"first_name":"Jos\\u00E9"}',
    "Jos",
  ],
  [
    "System.Text.Json, a phone's +",
    { phone: "+447700900123" },
    '{"phone":"\\u002B447700900123"}',
    "447700900123",
  ],
  // Go's encoding/json keeps non-ASCII as is and escapes only & < >.
  [
    "Go's encoding/json",
    { employer_name: "Müller & Söhne" },
    '{"employer_name":"Müller \\u0026 Söhne"}',
    "Söhne",
  ],
  // Python's str() of the body's bytes.
  [
    "Python's bytes repr, an apostrophe",
    { full_name: { first_name: "Sean", last_name: "O'Brien" } },
    String.raw`bad body: b'{"last_name": "O\'Brien"}'`,
    "Brien",
  ],
  [
    "Python's bytes repr, UTF-8",
    { full_name: { first_name: "José", last_name: "Smith" } },
    String.raw`bad body: b'{"first_name": "Jos\xc3\xa9"}'`,
    "Jos",
  ],
  // A text after a JSON escape other than \uXXXX (a line break).
  [
    "after a JSON \\n",
    {
      residence: {
        line1: "Flat B",
        city: "London",
        postal_code: "SW1Y 6HP",
        country: "GB",
      },
    },
    '{"message":"Address:\\nFlat B\\nLondon"}',
    "London",
  ],
  // The date of birth as a date-time (a server that parsed it).
  [
    "the date of birth as a date-time",
    { date_of_birth: "1990-12-10" },
    '{"date_of_birth":"1990-12-10T00:00:00.000Z"}',
    "1990-12-10",
  ],
  // PHP's htmlentities, Java's StringEscapeUtils.escapeHtml4, Spring's
  // HtmlUtils.htmlEscape write Latin-1 letters as named references.
  [
    "PHP htmlentities / escapeHtml4 (&eacute;)",
    { full_name: { first_name: "José", last_name: "Smith" } },
    "<p>first_name=Jos&eacute;</p>",
    "Jos",
  ],
  // Python 3's repr() (pydantic's input_value=...) writes a no-break space
  // or a soft hyphen as \xa0, \xad: the code point, not UTF-8's bytes.
  [
    "Python repr, a no-break space",
    {
      residence: {
        line1: "1\u00a0Main St",
        city: "Boise",
        postal_code: "83702",
        country: "US",
      },
    },
    String.raw`input_value='1\xa0Main St'`,
    "Main St",
  ],
  // Python's repr/ascii() and Go's %+q write an astral character as \U0001f600.
  [
    "Python repr, an astral character",
    { employer_name: "Acme\u{e0041}" },
    String.raw`input_value='Acme\U000e0041'`,
    "Acme",
  ],
];

for (const [name, patch, page, word] of cases) {
  test(`personal data echoed by ${name} is left out`, async () => {
    const error = await update(patch, echoing(page));
    assert.ok(!quoted(error).includes(word), quoted(error));
  });
}

// An address in Idaho: its province, `ID`, a text of two characters.
const IDAHO: UserPatch = {
  residence: {
    line1: "1 Main St",
    city: "Boise",
    province: "ID",
    postal_code: "83702",
    country: "US",
  },
};

test("a US state code as the province does not cut Kraken's ENexus:Invalid user ID", async () => {
  const error = await update(IDAHO, failure(400, ["ENexus:Invalid user ID"]));
  assert.deepEqual(error.errors, ["ENexus:Invalid user ID"]);
});

test("an error entry's code keeps no text of more than two characters: a date-time's colon, a reason after a value, a name in capitals or in lower case", async () => {
  const cases: Array<[UserPatch, string, string]> = [
    [
      { date_of_birth: "1990-12-10" },
      "EGeneral:Invalid date_of_birth 1990-12-10T00:00:00Z",
      "EGeneral:Invalid date_of_birth [redacted]T00:00:00Z",
    ],
    [
      { full_name: { first_name: "Sean", last_name: "O'Brien" } },
      "EGeneral:Invalid last_name O'Brien: too long",
      "EGeneral:Invalid last_name [redacted]: too long",
    ],
    [
      { phone: "+447700900123" },
      "EQuery:Invalid phone +447700900123: not E.164",
      "EQuery:Invalid phone [redacted]: not E.164",
    ],
    [
      { full_name: { first_name: "Jean", last_name: "DUPONT" } },
      "EGeneral:Invalid last name DUPONT",
      "EGeneral:Invalid last name [redacted]",
    ],
    [
      { city_of_birth: "paris" },
      "EGeneral:Unknown city paris",
      "EGeneral:Unknown city [redacted]",
    ],
    // Two characters: kept in the code, looked for after it.
    [
      IDAHO,
      "ENexus:Invalid user ID:province ID",
      "ENexus:Invalid user ID:province [redacted]",
    ],
  ];
  for (const [patch, entry, kept] of cases) {
    const error = await update(patch, failure(400, [entry]));
    assert.deepEqual(error.errors, [kept]);
    assert.ok(error.message.includes(kept), error.message);
  }
});

test("a phone number is left out however it is written: after 00, grouped, with (0), as its national number, encoded; other numbers are kept", async () => {
  const cases: [phone: string, written: string, kept?: string][] = [
    ["+447700900123", "00447700900123"],
    ["+447700900123", "+44 7700 900123"],
    ["+447700900123", "+44 (0)7700 900123"],
    ["+447700900123", "+44-7700-900-123"],
    // The bracket before the + is kept: it says nothing of the number.
    ["+447700900123", "(+44) 7700.900.123", "("],
    ["+447700900123", "0044 7700 900 123"],
    ["+447700900123", "447700900123"],
    ["+447700900123", "07700 900123"],
    ["+447700900123", "(0)7700-900-123"],
    ["+447700900123", "07700900123"],
    ["+447700900123", "7700 900 123"],
    ["+447700900123", "%2B44%207700%20900123"],
    ["+447700900123", "+44\u00a07700\u2009900\u202f123"],
    ["+447700900123", "+44\\u00a07700\\u00A0900123"],
    ["+447700900123", "+44&nbsp;7700&#160;900&#xA0;123"],
    ["+447700900123", "+44\t7700\u2013900\u2011123"],
    ["+12025550123", "%2B1+%28202%29+555-0123"],
    ["+12025550123", "+1 (202) - 555 - 0123"],
    ["+12025550123", "+1\\u0020202\\u0028555\\u00290123"],
    ["+12025550123", "+1_202_555_0123"],
    ["+447700900123", "+44&#32;7700&#x20;900&#0032;123"],
    ["+447700900123", "0044\\/7700\\/900123"],
    ["+447700900123", "+44\\x207700%09900%E2%80%93123"],
    ["+447700900123", "+44&#8211;7700&#x2013;900&#8201;123"],
    ["+12025550123", "(202) 555-0123", "("],
    ["+442079460958", "%2B44%20%280%29%2020%207946%200958"],
    ["+442079460958", "+44 (0) 20 7946 0958"],
  ];
  for (const [phone, written, before = ""] of cases) {
    const error = await update(
      { phone },
      failure(400, [`EGeneral:Invalid phone: ${written}.`]),
    );
    assert.deepEqual(
      error.errors,
      [`EGeneral:Invalid phone: ${before}[redacted].`],
      written,
    );
  }
  // Not the number: longer, another's last digit, too few digits; and a
  // short number the schema takes is looked for whole only, not grouped.
  const others: [phone: string, entry: string][] = [
    ["+447700900123", "EGeneral:Invalid reference 1447700900123"],
    ["+447700900123", "EGeneral:Invalid reference 7700900124"],
    ["+447700900123", "EGeneral:Invalid reference 900123"],
    ["+447700900123", "EGeneral:Invalid reference 4477009001234"],
    ["+12", "EGeneral:Unsupported API version 1.2"],
    ["+123", "EGeneral:Insufficient funds: 12.3 EUR"],
  ];
  for (const [phone, entry] of others) {
    const error = await update({ phone }, failure(400, [entry]));
    assert.deepEqual(error.errors, [entry], entry);
  }
  const short = await update(
    { phone: "+12" },
    failure(400, ["EGeneral:Invalid phone: 12"]),
  );
  assert.deepEqual(short.errors, ["EGeneral:Invalid phone: [redacted]"]);
});

test("the message does not join again a text that two entries each hold a part of", async () => {
  const line1 = "Flat 2, 12 Jermyn St";
  const error = await update(
    {
      residence: {
        line1,
        city: "London",
        postal_code: "SW1Y 6HP",
        country: "GB",
      },
    },
    failure(400, ["EGeneral:Invalid arguments:line1 Flat 2", "12 Jermyn St"]),
  );
  assert.ok(!error.message.includes(line1), error.message);
  assert.match(error.message, /EGeneral:Invalid arguments:line1 \[redacted\]/);
});

test("a patch whose texts would take too long to look for has everything an error quotes left out, at once", async () => {
  const most: UserPatch = {
    tax_ids: Array.from({ length: 262 }, (_, i) => ({
      id: "é".repeat(252) + String(i).padStart(3, "0"),
      issuing_country: "GB",
    })),
  };
  const start = performance.now();
  const error = await update(
    most,
    () =>
      Response.json({
        error: [
          "ENexus:Invalid user ID",
          "EGeneral:Invalid arguments:tax_ids x",
          // Past the entry's pre-cut, which the pattern's one match crosses.
          "EGeneral:Invalid arguments:" + "x ".repeat(3_000),
        ],
      }, {
        status: 400,
        headers: { "x-trace-id": "trace-1" },
      }),
  );
  const ms = performance.now() - start;
  assert.ok(ms < HANG_MS, `${ms.toFixed(0)} ms`);
  assert.deepEqual(error.errors, [
    "[redacted]",
    "[redacted][redacted]",
    "[redacted]",
  ]);
  assert.equal(error.traceId, "[redacted]");
  assert.equal(error.message, "Kraken answered 400: [redacted]");
  // Ten of them: looked for text by text.
  const fewer = await update(
    { tax_ids: most.tax_ids!.slice(0, 10) },
    failure(400, ["ENexus:Invalid user ID"]),
  );
  assert.deepEqual(fewer.errors, ["ENexus:Invalid user ID"]);
});

test("a patch of many long texts has the last of them found too", async () => {
  // About 227,000 characters of patterns, in six of at most 50,000
  // (bench/redaction.ts times what that saves). Longest first, then in the
  // patch's order: `Ïd9` is in the last.
  const ids = Array.from(
    { length: 12 },
    (_, i) => `Ïd${i} ` + "é x".repeat(80),
  );
  const patch: UserPatch = {
    tax_ids: ids.map((id) => ({ id, issuing_country: "GB" })),
  };
  for (const id of [ids[10], ids[9]]) {
    const error = await update(patch, echoing(`<p>${id}</p>`));
    assert.equal(error.body, "<p>[redacted]</p>");
  }
});

test("a fetch's error quoting personal data past its first 16 KiB is copied cut there, with none of it", async () => {
  const client = new EmbedClient({
    apiKey: API_KEY,
    apiSecret: SECRET,
    fetch: fakeFetch(new TypeError(`${"x ".repeat(10_000)}Lovelace`)).fetch,
    maxRetries: 0,
  });
  const error = await client.users.update(USER, {
    full_name: { first_name: "Ada", last_name: "Lovelace" },
  }).catch((e) => e);
  assert.ok(error instanceof EmbedNetworkError, String(error));
  const cause = error.cause as Error;
  assert.ok(!cause.message.includes("Lovelace"));
  assert.match(cause.message, /^x x .* \[cut\]$/);
  assert.ok(!error.message.includes("Lovelace"));
});

// (Cases from a review of the second pattern.)

const obrien: UserPatch = {
  full_name: { first_name: "Sean", last_name: "O'Brien" },
};

// redactEntry exempts /^E[A-Za-z]+:[^:]*/, which is the whole entry when it
// has no second colon (and matches any "Error:..." too).
for (
  const entry of [
    "EGeneral:Invalid last_name O'Brien",
    "Error: invalid last_name O'Brien",
  ]
) {
  test(`an error entry without a second colon is looked through: ${entry}`, async () => {
    const error = await failedUpdate(
      obrien,
      () => Response.json({ error: [entry] }, { status: 400 }),
    );
    assert.ok(error instanceof EmbedApiError);
    assert.ok(!quoted(error).includes("Brien"), quoted(error));
  });
}

test("a text across the 16 KiB cut of a fetch error leaves no part of it", async () => {
  const id = "QQ123456C-" + "7".repeat(200);
  const error = await failedUpdate(
    { tax_ids: [{ id, issuing_country: "GB" }] },
    new TypeError("x ".repeat(8100) + id),
  );
  assert.ok(error instanceof EmbedNetworkError);
  const message = (error.cause as Error).message;
  assert.ok(!message.includes("QQ123456C"), message.slice(-80));
});

test("a text across an entry's 4,000-character pre-cut leaves no part of it", async () => {
  const patch: UserPatch = {
    tax_ids: Array.from({ length: 16 }, (_, i) => ({
      id: `ID${String(i).padStart(2, "0")}-` + "8".repeat(245),
      issuing_country: "GB",
    })),
  };
  const entry = `EGeneral:Invalid arguments:body=${" ".repeat(150)}${
    JSON.stringify(patch)
  }`;
  const error = await failedUpdate(
    patch,
    () => Response.json({ error: [entry] }, { status: 400 }),
  );
  assert.ok(error instanceof EmbedApiError);
  assert.ok(!/ID\d\d-8/.test(quoted(error)), quoted(error).slice(-120));
});

test("the personal data of a patch is taken out as whole words only: Kraken's own words, a trace id's digits and [redacted] are left as they are", async () => {
  const named = (first_name: string, last_name = "Smith") => ({
    full_name: { first_name, last_name },
  });
  for (
    const [first, entry] of [
      ["Tim", "EService:Timeout"],
      ["Per", "EGeneral:Permission denied"],
      ["Una", "EService:Unavailable"],
      ["API", "EAPI:Invalid key"],
      ["red", "EGeneral:Invalid arguments:[redacted]"],
    ]
  ) {
    const error = await update(named(first), failure(400, [entry]));
    assert.deepEqual(error.errors, [entry], first);
  }
  // Found as a word, a name of two letters too; a code is not.
  const li = await update(
    { ...named("Li", "Wu"), language: "en", nationalities: ["GB"] },
    failure(400, ["EGeneral:Invalid arguments:last_name Wu (GB, en)"]),
  );
  assert.deepEqual(li.errors, [
    "EGeneral:Invalid arguments:last_name [redacted] (GB, en)",
  ]);
  // A postal code of digits, in a trace id's hex: not a word there.
  const id = "7f3a1019-c2d4-4e11-9b0a-5d1012e8aa31";
  const traced = await update(
    {
      residence: {
        line1: "Laugavegur 1",
        city: "Reykjavik",
        postal_code: "101",
        country: "IS",
      },
    },
    failure(400, ["EGeneral:Invalid arguments"], { "x-trace-id": id }),
  );
  assert.equal(traced.traceId, id);
  // A text that starts another: the longer is taken out whole, once.
  const nested = await update(
    named("Ann", "Ann-Marie"),
    failure(400, ["EGeneral:Invalid arguments:last_name Ann-Marie"]),
  );
  assert.deepEqual(nested.errors, [
    "EGeneral:Invalid arguments:last_name [redacted]",
  ]);
});

test("the personal data of a patch is taken out of an echo that writes JSON in ASCII, escapes HTML or encodes a form", async () => {
  const patch = {
    full_name: { first_name: "José", last_name: "O'Müller" },
    employer_name: "Müller & Söhne/UK <GmbH>",
    residence: {
      line1: "1/2 Rue d'Été",
      line2: "Flat 3/4",
      city: "Zürich",
      postal_code: "SW1Y 6HP",
      country: "CH",
    },
  } as const;
  const ascii = (text: string, pattern: RegExp) =>
    text.replace(
      pattern,
      (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"),
    );
  const html = (text: string) =>
    text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
  const echoes: Array<[string, (body: string) => string]> = [
    ["Python's JSON", (body) => ascii(body, /[^\x20-\x7e]/g)],
    [
      "PHP's JSON",
      (body) => ascii(body.replaceAll("/", "\\/"), /[^\x20-\x7e]/g),
    ],
    ["PHP's JSON, Unicode left as is", (body) => body.replaceAll("/", "\\/")],
    ["Go's JSON", (body) => ascii(body, /[^\x20-\x7e]|[&<>]/g)],
    ["the body as a JSON string", (body) => JSON.stringify({ sent: body })],
    ["an HTML page", (body) => `<pre>${html(body)}</pre>`],
    ["a form", (body) => new URLSearchParams({ sent: body }).toString()],
  ];
  for (const [name, echo] of echoes) {
    const error = await update(
      patch,
      (request) => new Response(echo(request.body), { status: 502 }),
    );
    const body = String(error.body);
    assert.match(body, /\[redacted\]/, name);
    for (
      const word of ["Jos", "ller", "hne", "Rue", "Flat", "rich", "SW1Y"]
    ) {
      assert.ok(!body.includes(word), `${name}: ${word} in ${body}`);
    }
  }
});

// Not a performance target (bench/redaction.ts has the figures): a bound
// far above what the patterns take, far below what backtracking over a run
// of backslashes took (seconds for the first case, hours for the second).
const HANG_MS = 5_000;

test("runs of backslashes in an answer do not make the look for personal data backtrack over them", async () => {
  // A usual patch in Cyrillic: each character's escapes start with a
  // backslash (before the bound, 12 s in Deno; 0.7 s since).
  const patch: UserPatch = {
    full_name: {
      first_name: "Дмитрий",
      last_name: "Соколов",
      middle_name: "Сергеевич",
    },
    phone: "+447700900123",
    city_of_birth: "Санкт-Петербург",
    employer_name: "ООО «Ромашка»",
    residence: {
      line1: "ул. Тверская, 7",
      line2: "кв. 12",
      city: "Москва",
      province: "Московская область",
      postal_code: "125009",
      country: "RU",
    },
  };
  const start = performance.now();
  const error = await update(patch, () =>
    Response.json({
      error: Array.from(
        { length: 100 },
        () => "EGeneral:Invalid arguments:" + "\\".repeat(4_000),
      ),
    }, { status: 400 }));
  const ms = performance.now() - start;
  assert.ok(ms < HANG_MS, `${ms.toFixed(0)} ms`);
  assert.equal(error.errors.length, 100);
});

test("a text of backslashes is looked for without trying every way to share a run of them, and is still found", async () => {
  const value = "\\".repeat(24) + "x";
  const start = performance.now();
  // A proxy quoting the body up to the x: no match, every split tried.
  await update({ employer_name: value }, (request) =>
    new Response(
      `upstream rejected: ${request.body.slice(0, request.body.indexOf("x"))}`,
      { status: 502 },
    ));
  const ms = performance.now() - start;
  assert.ok(ms < HANG_MS, `${ms.toFixed(0)} ms`);
  // As itself, as JSON writes it, and JSON of that.
  const text = `a${value}`;
  const json = JSON.stringify(text).slice(1, -1);
  for (const echo of [text, json, JSON.stringify(json).slice(1, -1)]) {
    const error = await update(
      { employer_name: text },
      echoing(`upstream rejected: ${echo}!`),
    );
    assert.ok(
      quoted(error).includes("upstream rejected: [redacted]!"),
      quoted(error),
    );
  }
});

// Python's repr of bytes: 12 characters for a character of CJK, 3,060 for
// a text of 255 (and 15 each in the JSON of an entry that is an object).
const pyBytes = (s: string) =>
  [...new TextEncoder().encode(s)].map((b) =>
    b < 0x80 ? String.fromCharCode(b) : "\\x" + b.toString(16).padStart(2, "0")
  ).join("");
const cjk = "株式会社東京".repeat(43).slice(0, 255);

test("an entry's 4,000-character pre-cut keeps no start of a long text spelled long, in a string or an object", async () => {
  const python = `b'{"employer_name": "${pyBytes(cjk)}"}'`;
  for (
    const [entry, start] of [
      [
        `EGeneral:Invalid arguments:${" ".repeat(900)}${python}`,
        pyBytes("株式"),
      ],
      [
        { message: "Invalid arguments" + " ".repeat(200), detail: python },
        JSON.stringify(pyBytes("株式")).slice(1, -1),
      ],
    ] as const
  ) {
    const error = await update(
      { employer_name: cjk },
      () => Response.json({ error: [entry] }, { status: 400 }),
    );
    assert.ok(!error.errors[0].includes(start), error.errors[0].slice(-80));
    assert.ok(!quoted(error).includes(start));
  }
});

test("an entry's pre-cut looks back over a text spelled as long as a spelling can be, where what came before it shrank", async () => {
  // In an object's JSON, a string's `\\xHH` is `\\\\xHH`: 7 characters
  // a byte, 5,355 for 255 CJK characters, after 89 spelled `大阪` (a city
  // of the patch) of 31 characters each, which shrink to `[redacted] `: the
  // text runs from 2,770 to 8,127, across the cut at 4,000 and past 4,096
  // after it, and starts at 990 of what is redacted, within the 1,000 kept.
  const city = "大阪";
  const twice = (text: string) => pyBytes(text).replaceAll("\\", "\\\\");
  const entry = {
    detail: `${`${pyBytes(city)} `.repeat(89)}${twice(cjk)}`,
  };
  const error = await update(
    { employer_name: cjk, city_of_birth: city },
    () => Response.json({ error: [entry] }, { status: 400 }),
  );
  const start = JSON.stringify(twice("株式")).slice(1, -1);
  assert.ok(!error.errors[0].includes(start), error.errors[0].slice(-80));
  assert.ok(!error.errors[0].includes("xe6"), error.errors[0].slice(-80));
});

test("personal data is left out as Rust's Debug escapes any character, as a header's UTF-8 read as Latin-1, and as HTML references to an astral character's halves", async () => {
  const cases: Array<[UserPatch, string, string]> = [
    [
      {
        residence: {
          line1: "1\u00a0Main St",
          city: "Boise",
          postal_code: "83702",
          country: "US",
        },
      },
      String.raw`invalid line1: "1\u{a0}Main St"`,
      "Main St",
    ],
    [
      {
        full_name: {
          first_name: "\u05d3\u05e0\u05d4\u200f",
          last_name: "Cohen",
        },
      },
      'invalid first_name: "\u05d3\u05e0\u05d4\\u{200f}"',
      "\u05d3\u05e0\u05d4",
    ],
    [
      { full_name: { first_name: "José", last_name: "Núñez" } },
      // "José Núñez" sent as UTF-8 in a header, as fetch gives it.
      "first_name=Jos\u00c3\u00a9 last_name=N\u00c3\u00ba\u00c3\u00b1ez",
      "Jos",
    ],
    [
      { full_name: { first_name: "Ann", last_name: "\u{20bb7}野" } },
      "invalid last_name: &#55362;&#57271;&#37326;",
      "&#55362;",
    ],
  ];
  for (const [patch, page, word] of cases) {
    const error = await update(patch, echoing(page));
    assert.ok(!quoted(error).includes(word), quoted(error));
  }
  // In a trace id, where it is likeliest.
  const traced = await update(
    { full_name: { first_name: "José", last_name: "Núñez" } },
    () =>
      new Response("", {
        status: 502,
        headers: { "x-trace-id": "t-1 first_name=Jos\u00c3\u00a9" },
      }),
  );
  assert.equal(traced.traceId, "t-1 first_name=[redacted]");
});
