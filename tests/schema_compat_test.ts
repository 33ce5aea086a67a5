// The exported schemas are typed with this package's ValibotSchema (a
// written-out copy of valibot's schema shape, so that `deno doc --lint` can
// document them). These checks make sure the copy stays a valibot schema in
// both directions: the package's schemas go wherever valibot takes a schema,
// and a user's valibot schema goes wherever the package takes a
// ValibotSchema. The type-level half fails `deno check` (run by `deno test`
// and the type-check step) if the copy drifts from valibot's types.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as v from "valibot";
import {
  type CountryCode,
  CountryCodeSchema,
  EmbedApiError,
  EmbedClient,
  GetUserResponseSchema,
  IibanSchema,
  LanguageSchema,
  OccupationSchema,
  UpdateUserResponseSchema,
  type UserPatch,
  UserPatchSchema,
  type ValibotIssue,
  type ValibotPathItem,
  type ValibotSchema,
  type ValibotStandardResult,
} from "@kraken-embed/client";

/** `true` only when A and B are the same type (not merely assignable). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends
  (<T>() => T extends B ? 1 : 2) ? true : false;

// The package's schemas are valibot schemas, with valibot's own types.
const asValibot: v.GenericSchema<UserPatch> = UserPatchSchema;
const asValibotCountry: v.GenericSchema<CountryCode> = CountryCodeSchema;
const all: v.GenericSchema<unknown, unknown>[] = [
  UserPatchSchema,
  CountryCodeSchema,
  IibanSchema,
  LanguageSchema,
  OccupationSchema,
  UpdateUserResponseSchema,
  GetUserResponseSchema,
];
// Every kind of valibot schema is a ValibotSchema, path items and issues of
// every container kind included.
const fromValibot: ValibotSchema<unknown, unknown>[] = [
  v.string(),
  v.object({ a: v.map(v.string(), v.set(v.number())) }),
  v.pipe(v.array(v.unknown()), v.minLength(1)),
  v.union([v.literal(1), v.nullable(v.boolean())]),
  v.record(v.string(), v.tuple([v.bigint()])),
  // Schemas whose valibot function takes a typed argument.
  v.custom<`+${string}`>((input) => typeof input === "string"),
  v.lazy(() => v.string()),
  v.instance(Date),
];
const issueFromValibot: ValibotIssue = {} as v.BaseIssue<unknown>;
const issueToValibot: v.BaseIssue<unknown> = {} as ValibotIssue;
const itemFromValibot: ValibotPathItem = {} as v.IssuePathItem;
const itemToValibot: v.IssuePathItem = {} as ValibotPathItem;
const _inferred: Equal<v.InferIssue<typeof UserPatchSchema>, ValibotIssue> =
  true;
const _standard: Equal<
  v.InferOutput<typeof LanguageSchema>,
  Extract<
    Awaited<ReturnType<(typeof LanguageSchema)["~standard"]["validate"]>>,
    { value: unknown }
  >["value"]
> = true;
// valibot does not export its StandardResult type; this is it.
type StandardResult = Awaited<
  ReturnType<v.GenericSchema<string>["~standard"]["validate"]>
>;
const _standardResult: Equal<ValibotStandardResult<string>, StandardResult> =
  true;
const standardFrom: ValibotStandardResult<string> = {} as StandardResult;
const standardTo: StandardResult = {} as ValibotStandardResult<string>;

test("the exported schemas compose with valibot's functions", () => {
  assert.equal(all.length, 7);
  assert.ok(fromValibot.every((schema) => schema.kind === "schema"));
  assert.equal(v.is(fromValibot[0], "x"), true);
  assert.ok(
    [asValibot, asValibotCountry, issueFromValibot, issueToValibot].every(
      (x) => typeof x === "object",
    ),
  );
  assert.ok(
    [itemFromValibot, itemToValibot, standardFrom, standardTo].every(
      (x) => typeof x === "object",
    ),
  );
  assert.equal(_inferred, true);
  assert.equal(_standard, true);
  assert.equal(_standardResult, true);

  // Wrapped in valibot's own schemas: issues keep their paths and messages.
  const Signup = v.object({
    user: IibanSchema,
    patch: UserPatchSchema,
    countries: v.array(CountryCodeSchema),
  });
  const output = v.parse(Signup, {
    user: "AA95 N84G TEST XXXX",
    patch: { language: "en" },
    countries: ["FR"],
  });
  const _output: Equal<
    typeof output,
    { user: string; patch: UserPatch; countries: CountryCode[] }
  > = true;
  assert.equal(_output, true);
  assert.deepEqual(output.countries, ["FR"]);

  const failed = v.safeParse(Signup, {
    user: "AA95 N84G TEST XXXX",
    patch: { residence: { country: "fr" } },
    countries: ["FR", "ZZ"],
  });
  assert.equal(failed.success, false);
  const paths = (failed.issues ?? []).map((issue) => v.getDotPath(issue));
  assert.deepEqual(paths, [
    "patch.residence.line1",
    "patch.residence.city",
    "patch.residence.postal_code",
    "patch.residence.country",
    "countries.1",
  ]);

  // In a pipe, the schema's own check runs first.
  const Optional = v.pipe(v.optional(LanguageSchema), v.transform((x) => x));
  assert.equal(v.parse(Optional, undefined), undefined);
  assert.equal(v.is(Optional, "xx"), false);
});

test("the exported schemas validate through the Standard Schema interface", () => {
  const ok = LanguageSchema["~standard"].validate("en");
  assert.ok(!(ok instanceof Promise));
  assert.equal(ok.issues, undefined);
  assert.equal(ok.value, "en");
  const bad = UserPatchSchema["~standard"].validate({ phone: "012" });
  assert.ok(!(bad instanceof Promise));
  assert.equal(bad.issues?.length, 1);
  assert.equal(bad.issues?.[0].message.includes("012"), false);
  assert.deepEqual(
    bad.issues?.[0].path?.map((item) =>
      typeof item === "object" ? item.key : item
    ),
    ["phone"],
  );
  assert.equal(UserPatchSchema["~standard"].vendor, "valibot");
});

test("request() takes a user's valibot schema for the answer and types the result with it", async () => {
  const client = new EmbedClient({
    apiKey: "compat-key",
    apiSecret: "c2VjcmV0LWJ5dGVz",
    fetch: () =>
      Promise.resolve(Response.json({ result: { price: "1.5", n: 2 } })),
  });
  const Price = v.object({ price: v.string(), n: v.number() });
  const result = await client.request({
    method: "GET",
    path: "/b2b/quotes",
    schema: Price,
  });
  const _typed: Equal<typeof result, { price: string; n: number }> = true;
  assert.equal(_typed, true);
  assert.deepEqual(result, { price: "1.5", n: 2 });

  await assert.rejects(
    client.request({
      method: "GET",
      path: "/b2b/quotes",
      schema: v.object({ price: v.number() }),
    }),
    (error) => error instanceof EmbedApiError && /at price/.test(error.message),
  );
});

test("request() names every failed check of a user's answer schema, a pipe's later checks too", async () => {
  const client = new EmbedClient({
    apiKey: "compat-key",
    apiSecret: "c2VjcmV0LWJ5dGVz",
    fetch: () =>
      Promise.resolve(
        Response.json({ result: { low: 5, high: 1, currency: "usd" } }),
      ),
  });
  // Cross-field checks, each forwarded to the field it is about: both fail.
  const Range = v.pipe(
    v.object({ low: v.number(), high: v.number(), currency: v.string() }),
    v.forward(v.check((range) => range.low <= range.high), ["high"]),
    v.forward(
      v.check((range) => range.currency === range.currency.toUpperCase()),
      ["currency"],
    ),
  );
  await assert.rejects(
    client.request({ method: "GET", path: "/b2b/quotes", schema: Range }),
    (error) =>
      error instanceof EmbedApiError &&
      /\(at high, currency\)/.test(error.message),
  );
});
