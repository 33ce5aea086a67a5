import { test } from "node:test";
import assert from "node:assert/strict";
import type * as v from "valibot";
import type {
  CallOptions,
  ClientIdentifier,
  CounterNonceOptions,
  COUNTRY_CODES,
  CountryCode,
  CountryCodeSchema,
  EmbedApiErrorDetails,
  EmbedClient,
  EmbedClientOptions,
  FullName,
  GetUserResponse,
  IibanSchema,
  isEmbedError,
  LANGUAGE_CODES,
  LanguageCode,
  LanguageSchema,
  Occupation,
  OCCUPATIONS,
  OccupationSchema,
  RequestOptions,
  Residence,
  SignRequestOptions,
  TaxId,
  UpdateUserResponse,
  UpdateUserResponseSchema,
  UserPatch,
  UserPatchSchema,
} from "@kraken-embed/client";
import type {
  EmulatorOptions,
  Fault,
  RawRequest,
  UserSeed,
} from "@kraken-embed/client/emulator";
import type {
  DurableObjectNonceOptions,
  NonceCounter,
} from "@kraken-embed/client/durable_object";

/** `true` only when A and B are the same type (not merely assignable). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends
  (<T>() => T extends B ? 1 : 2) ? true : false;

// The schema's input and output are the documented interface. (The same
// check against the schema before its `ValibotSchema<UserPatch>` annotation
// lives in src/schemas/user_patch.ts, where that schema is visible.)
const _input: Equal<v.InferInput<typeof UserPatchSchema>, UserPatch> = true;
const _output: Equal<v.InferOutput<typeof UserPatchSchema>, UserPatch> = true;

// Fields that accept null, and the three objects that do not.
const _nullable: Equal<
  UserPatch["phone"] | UserPatch["date_of_birth"] | UserPatch["employer_name"],
  string | null | undefined
> = true;
const _fullName: Equal<UserPatch["full_name"], FullName | undefined> = true;
const _residence: Equal<UserPatch["residence"], Residence | undefined> = true;
const _ident: Equal<
  UserPatch["client_identifier"],
  ClientIdentifier | undefined
> = true;
const _taxIds: Equal<
  UserPatch["tax_ids"],
  readonly TaxId[] | null | undefined
> = true;
const _nationalities: Equal<
  UserPatch["nationalities"],
  readonly CountryCode[] | null | undefined
> = true;
// Readonly arrays are taken, as the schema takes them at run time (frozen
// ones included), and so are mutable ones.
const NATIONALITIES = ["GB", "IE"] as const;
const _readonlyLists: UserPatch = {
  nationalities: NATIONALITIES,
  tax_ids: [{ id: "AB123456C", issuing_country: "GB" }] as const,
};
const _mutableLists: UserPatch = {
  nationalities: ["GB"] as CountryCode[],
  tax_ids: [] as TaxId[],
};
const _concat: Equal<ClientIdentifier["type"], "concat"> = true;

// An answer's optional fields are absent or there, never `undefined` (JSON
// has none): under exactOptionalPropertyTypes, a consumer's own type of
// them, `?: string`, takes them.
type User = GetUserResponse["result"];
type Action = User["status"]["required_actions"][number];
const _ownUser: { external_id?: string } = {} as User;
const _ownAction: {
  verification_type?: string;
  reasons?: string[];
  deadline?: string;
} = {} as Action;

// The code types are exactly the lists.
const _country: Equal<CountryCode, (typeof COUNTRY_CODES)[number]> = true;
const _occupation: Equal<Occupation, (typeof OCCUPATIONS)[number]> = true;
const _language: Equal<LanguageCode, (typeof LANGUAGE_CODES)[number]> = true;
const _countryLength: Equal<(typeof COUNTRY_CODES)["length"], 262> = true;
const _occupationLength: Equal<(typeof OCCUPATIONS)["length"], 19> = true;
const _languageLength: Equal<(typeof LANGUAGE_CODES)["length"], 183> = true;
const _noSh: Equal<"sh" extends LanguageCode ? true : false, false> = true;

// The small schemas output the code types.
const _countrySchema: Equal<
  v.InferOutput<typeof CountryCodeSchema>,
  CountryCode
> = true;
const _occupationSchema: Equal<
  v.InferOutput<typeof OccupationSchema>,
  Occupation
> = true;
const _languageSchema: Equal<
  v.InferOutput<typeof LanguageSchema>,
  LanguageCode
> = true;
const _iibanSchema: Equal<v.InferOutput<typeof IibanSchema>, string> = true;
const _responseSchema: Equal<
  v.InferOutput<typeof UpdateUserResponseSchema>,
  UpdateUserResponse
> = true;

// The interface itself rejects the mistakes the schema rejects at run time.
// @ts-expect-error: phone_number is not a field
const _typo: UserPatch = { phone_number: "+441234567890" };
// @ts-expect-error: full_name cannot be null
const _nullName: UserPatch = { full_name: null };
// @ts-expect-error: "fr" is not a listed country code
const _lowercase: UserPatch = { country_of_birth: "fr" };

// Every optional option may be given as undefined, as from an unset
// environment variable, under exactOptionalPropertyTypes too (the package
// checks compile this file with it).
const unset = undefined as string | undefined;
const _clientOptions: EmbedClientOptions = {
  apiKey: "k",
  apiSecret: "c2VjcmV0",
  baseUrl: unset,
  apiVersion: undefined,
  fetch: undefined,
  nonce: undefined,
  timeoutMs: undefined,
  maxRetries: undefined,
  maxConcurrency: undefined,
  backoff: { baseMs: undefined, capMs: undefined },
};
const _callOptions: CallOptions = { signal: undefined };

// A test double fits the type README suggests for a client from elsewhere.
const _double: Pick<EmbedClient, "users" | "request"> = {
  users: {
    update: () => Promise.resolve({ result: "success" }),
    get: () => Promise.reject(new Error("not in this test")),
  },
  request: () => Promise.reject(new Error("not in this test")),
};
// @ts-expect-error: the class itself has private fields a double lacks.
const _notDouble: EmbedClient = _double;

// isEmbedError, then the code, narrows what a catch gets to one class.
const _narrow = (
  isError: typeof isEmbedError,
  caught: unknown,
): number | undefined =>
  isError(caught) && caught.code === "ERR_EMBED_API"
    ? caught.status
    : undefined;

// So may every other optional field a caller fills in.
const _signOptions: SignRequestOptions = {
  secret: "c2VjcmV0",
  nonce: "1",
  path: "/b2b/assets",
  body: unset,
};
const _counterOptions: CounterNonceOptions = { offset: undefined };
const _durableOptions: DurableObjectNonceOptions = { batch: undefined };
// The binding `wrangler types` writes, DurableObjectNamespace<NonceCounter>,
// asks of the class what @cloudflare/workers-types' DurableObjectBranded is.
const _branded: NonceCounter extends { __DURABLE_OBJECT_BRAND: never } ? true
  : false = true;
const _apiErrorDetails: EmbedApiErrorDetails = {
  status: 400,
  errors: undefined,
  traceId: unset,
  body: unset,
  attempts: undefined,
  cause: undefined,
};
const _fault: Fault = {
  status: undefined,
  retryAfter: undefined,
  body: undefined,
  delayMs: undefined,
};
const _raw: RawRequest = {
  method: "GET",
  target: "/b2b/users/x",
  headers: new Headers(),
  body: new Uint8Array(),
  signal: undefined as AbortSignal | undefined,
};
const _seed: UserSeed = {
  user: "AA95 N84G TEST XXXX",
  external_id: unset,
  status: undefined,
  created_at: unset,
};

// The fetch of another library (undici's with a proxy's dispatcher,
// node-fetch's) is accepted: its answer need only have what the client
// reads (status, headers.get(), text()), and the init the client passes
// spreads into its own init type.
interface OtherResponse {
  readonly status: number;
  readonly headers: {
    get(name: string): string | null;
    has(name: string): boolean;
  };
  text(): Promise<string>;
  json(): Promise<unknown>;
}
interface OtherInit {
  method?: string;
  headers?: Record<string, string> | [string, string][];
  body?: string | null;
  signal?: AbortSignal | null;
  redirect?: "follow" | "manual" | "error";
  dispatcher?: object;
}
declare const otherFetch: (
  input: string | URL,
  init?: OtherInit,
) => Promise<OtherResponse>;
const _otherFetch: EmbedClientOptions = {
  apiKey: "k",
  apiSecret: "c2VjcmV0",
  fetch: (input, init) => otherFetch(input, { ...init, dispatcher: {} }),
};
// The runtime's own fetch, as it is and wrapped.
const _globalFetch: EmbedClientOptions = {
  apiKey: "k",
  apiSecret: "c2VjcmV0",
  fetch: globalThis.fetch,
};
const _wrappedFetch: EmbedClientOptions = {
  apiKey: "k",
  apiSecret: "c2VjcmV0",
  fetch: (input, init) => fetch(input, init),
};
const _noText: EmbedClientOptions = {
  apiKey: "k",
  apiSecret: "c2VjcmV0",
  // @ts-expect-error: an answer without text() is none the client can read.
  fetch: () => Promise.resolve({ status: 200, headers: new Headers() }),
};
const _requestOptions: RequestOptions = {
  method: "GET",
  path: "/b2b/assets",
  query: undefined,
  body: undefined,
  signal: undefined,
  idempotent: undefined,
  schema: undefined,
};
// A query typed by an interface of the caller's (no index signature), as
// well as by a type: `request()` infers it.
interface LimitsQuery {
  user: string;
  page?: number;
}
declare const _client: EmbedClient;
const _limits: LimitsQuery = { user: "AA95 N84G TEST XXXX" };
const _interfaceQuery = () =>
  _client.request({
    method: "GET",
    path: "/b2b/quotes/limits",
    query: _limits,
  });
// With the result's type given, the query's is given too: not inferred.
const _bothTypes = () =>
  _client.request<{ limits: unknown[] }, LimitsQuery>({
    method: "GET",
    path: "/b2b/quotes/limits",
    query: _limits,
  });
const _typedQuery: RequestOptions<unknown, LimitsQuery> = {
  method: "GET",
  path: "/b2b/quotes/limits",
  query: _limits,
};
const _dateQuery = () =>
  _client.request({
    method: "GET",
    path: "/b2b/quotes/limits",
    // @ts-expect-error: a Date is no query value.
    query: { since: new Date() },
  });
const _emulatorOptions: EmulatorOptions = {
  credentials: [{ apiKey: "k", apiSecret: "c2VjcmV0" }],
  users: undefined,
  nonceWindow: undefined,
};

test("UserPatch and the schemas' inferred types agree (checked at compile time)", () => {
  const checks = [
    _input,
    _output,
    _nullable,
    _fullName,
    _residence,
    _ident,
    _taxIds,
    _nationalities,
    _concat,
    _country,
    _occupation,
    _language,
    _countryLength,
    _occupationLength,
    _languageLength,
    _noSh,
    _countrySchema,
    _occupationSchema,
    _languageSchema,
    _iibanSchema,
    _responseSchema,
    _branded,
  ];
  assert.ok(checks.every((check) => check === true));
  assert.ok(
    [
      _typo,
      _nullName,
      _lowercase,
      _readonlyLists,
      _mutableLists,
      _clientOptions,
      _callOptions,
      { _narrow },
      _double,
      _notDouble,
      _signOptions,
      { _interfaceQuery, _bothTypes, _dateQuery },
      _typedQuery,
      _counterOptions,
      _durableOptions,
      _apiErrorDetails,
      _fault,
      _seed,
      _otherFetch,
      _globalFetch,
      _wrappedFetch,
      _noText,
      _requestOptions,
      _emulatorOptions,
    ].every((x) => typeof x === "object"),
  );
});
