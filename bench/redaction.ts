// `deno run -A --config deno.json bench/redaction.ts`: how long an error of
// `users.update` takes to leave out the personal data its patch sent
// (src/client/personal.ts), for a patch near the most it looks for text by
// text: 16 free-text fields 255 characters long, none of them ASCII letters
// only, so that each character is looked for in all its spellings. A success pays
// nothing for it (the patterns are made once an attempt fails); these are
// the two answers that cost the most to look through: a 1 MB page, of which
// the first 16 KiB are looked through, and 100 error entries of 10 KB, each
// looked through to 4,000 characters; and runs of backslashes, which each
// escape a pattern spells may start with. Two calls each, the first cold.
// Then the same patch with the most tax IDs the schema takes (262), each
// 255 characters, 252 of them `é`, over the page; and a patch of a phone
// number over entries that almost spell it.
import { EmbedClient, type UserPatch } from "../mod.ts";
import { personalPatterns } from "../src/client/personal.ts";

const long = (text: string) =>
  text.repeat(Math.ceil(255 / text.length)).slice(0, 255);
const patch: UserPatch = {
  full_name: {
    first_name: long("Zoë "),
    middle_name: long("Åsa "),
    last_name: long("Ünal "),
  },
  city_of_birth: long("Zürich "),
  residence: {
    line1: long("Rue d'Été "),
    line2: long("Flat ñ "),
    city: long("Köln "),
    postal_code: long("É1 "),
    province: long("Île "),
    country: "GB",
  },
  employer_name: long("Müller & Söhne "),
  tax_ids: Array.from({ length: 5 }, (_, i) => ({
    id: long(`Ïd${i} `),
    issuing_country: "GB",
  })),
  client_identifier: {
    type: "concat",
    value: long("vâl "),
    calculated_at: "2024-01-01T00:00:00Z",
  },
};
const page = "<html>lorem ipsum dolor sit amet ".repeat(30_000);
const entries = Array.from(
  { length: 100 },
  () => "EGeneral:Invalid arguments:" + "x y ".repeat(2_500),
);
const answers: Array<[string, () => Response]> = [
  ["a 1 MB page", () => new Response(page, { status: 502 })],
  [
    "100 error entries of 10 KB",
    () => Response.json({ error: entries }, { status: 400 }),
  ],
  // Hex after a backslash-u or -x could pass for an escape before a text:
  // looked back over at each position, a long run of it took seconds.
  [
    "100 error entries of 10 KB of hex",
    () =>
      Response.json({
        error: entries.map((entry) => entry.replaceAll(/[xy ]/g, "a")),
      }, { status: 400 }),
  ],
  [
    "100 error entries of 10 KB of backslashes",
    () =>
      Response.json({
        error: entries.map((entry) => entry.replaceAll(/[xy ]/g, "\\")),
      }, { status: 400 }),
  ],
];
const most: UserPatch = {
  ...patch,
  tax_ids: Array.from({ length: 262 }, (_, i) => ({
    id: "é".repeat(252) + String(i).padStart(3, "0"),
    issuing_country: "GB",
  })),
};
const runs: Array<[string, UserPatch, () => Response]> = [
  ...answers.map(([name, answer]): [string, UserPatch, () => Response] => [
    name,
    patch,
    answer,
  ]),
  ["262 tax IDs of 252 é and 3 digits, over a 1 MB page", most, answers[0][1]],
  // A phone number's digits may have separators between them, `(0)` among
  // them: entries of a number one digit short, written so that each `(0)`
  // is a separator or a digit between two, are what the phone's patterns
  // take longest over (one way to read each: 13 s when a `(0)` could be
  // read both ways).
  [
    "a phone number of 15 digits over 100 error entries of 10 KB of it, one digit short, in (0)s",
    { phone: "+100000000000000" },
    () =>
      Response.json({
        error: entries.map((entry) =>
          entry.slice(0, 27) + "(0)".repeat(11).concat("x ").repeat(300)
        ),
      }, { status: 400 }),
  ],
  // The same with the 16 long texts of the patch above, and a number whose
  // digits a `(0)` may stand between: the most found so far.
  ...[
    ["+100000000000001", "(0)".repeat(300)],
    ["+111111111111112", "1(0)(0)(0)(0)".repeat(80)],
  ].map(([phone, unit]): [string, UserPatch, () => Response] => [
    `the long texts and the phone number ${phone} over 100 error entries of 10 KB of ${
      unit.slice(0, 13)
    }...`,
    { ...patch, phone },
    () =>
      Response.json({
        error: entries.map((entry) =>
          entry.slice(0, 27) + unit.repeat(Math.ceil(10_000 / unit.length))
        ),
      }, { status: 400 }),
  ]),
];
for (const [name, patch, answer] of runs) {
  const client = new EmbedClient({
    apiKey: "bench-key-0123456789",
    apiSecret: "c2VjcmV0LWJ5dGVz",
    maxRetries: 0,
    fetch: () => Promise.resolve(answer()),
  });
  const ms: string[] = [];
  for (let run = 0; run < 2; run++) {
    const start = performance.now();
    const error = await client.users.update("AA95 N84G TEST XXXX", patch)
      .catch((e) => e);
    ms.push((performance.now() - start).toFixed(0));
    if (!String(error?.name).startsWith("EmbedApiError")) {
      throw new Error(`expected an EmbedApiError, got ${error}`);
    }
  }
  console.log(
    `${name}: the failed update took ${ms[0]} ms the first time (cold), ${
      ms[1]
    } ms the second`,
  );
}
// How many texts of 255 characters a patch may hold before its patterns
// would be too large and everything quoted is left out instead (one
// pattern that matches any text).
for (
  const [kind, text] of [
    ["`é`", "é".repeat(252)],
    [
      "Latin letters with a few accents",
      long("Zoë Åsa Ünal Müller ").slice(0, 252),
    ],
  ]
) {
  let count = 1;
  for (; count <= 262; count++) {
    const patterns = personalPatterns({
      tax_ids: Array.from({ length: count }, (_, i) => ({
        id: text + String(i).padStart(3, "0"),
      })),
    });
    if (patterns.length === 1 && patterns[0].source === "[^]+") break;
  }
  console.log(
    `texts of 255 characters, ${kind}: everything quoted is left out from ${count} of them`,
  );
}
