/**
 * Judges one request to `/b2b/users/{user}` the way the service would, in
 * this order, answering with the first check that fails:
 *
 * 1. route: `/b2b/users/{user}` (404 `EGeneral:Unknown route`);
 * 2. method: GET or PATCH (405 `EGeneral:Method not allowed`, with `Allow`);
 * 3. body size: at most 64 KiB (413 `EGeneral:Request too large`);
 * 4. PATCH only: `Content-Type: application/json` (415 `EGeneral:Unsupported content type`)
 *    and no `Content-Encoding` but `identity` (415
 *    `EGeneral:Unsupported content encoding`);
 *    then, whatever the method, `Payward-Version` and `Kraken-Version`, when
 *    sent, one of the emulator's versions, and when neither is, the
 *    reference's default, 2025-04-15, one of them (400
 *    `EGeneral:Invalid arguments:Payward-Version`, or `:Kraken-Version`);
 * 5. `API-Key` known (401 `EAPI:Invalid key`), `API-Nonce` an unsigned 64-bit
 *    integer (401 `EAPI:Invalid nonce`), `API-Sign` verified (401
 *    `EAPI:Invalid signature`), nonce unused (401 `EAPI:Invalid nonce`),
 *    judged in the order the requests with that key, or to that user,
 *    arrived;
 *    the nonce is consumed here;
 * 6. `{user}` a well-formed, known IIBAN (404 `ENexus:Invalid user ID`);
 * 7. PATCH only: the body is UTF-8 JSON (400 `EGeneral:Invalid JSON`) that
 *    `UserPatchSchema` accepts (400 `EGeneral:Invalid arguments:<path>`, one
 *    per issue; `EGeneral:Invalid arguments` alone for the body as a whole).
 *
 * Then GET answers `{"result": <user>}` and PATCH applies the patch and
 * answers `{"result":"success"}`.
 *
 * @module
 */

import * as v from "valibot";
import { IibanSchema } from "../schemas/iiban.ts";
import { UserPatchSchema } from "../schemas/user_patch.ts";
import { issuePath } from "../issue_path.ts";
import { DEFAULT_API_VERSION } from "../client/options.ts";
import { EVERY_ISSUE } from "../schemas/_every_issue.ts";
import { type Answer, failure, result } from "./answer.ts";
import type { Authenticator } from "./auth.ts";
import {
  declaredLength,
  MAX_BODY_BYTES,
  type RawRequest,
} from "./raw_request.ts";
import type { UserStore } from "./store.ts";

const USERS = "/b2b/users/";
const ALLOW = "GET, PATCH";
const decoder = new TextDecoder("utf-8", { fatal: true });
const VERSION_HEADERS = ["Payward-Version", "Kraken-Version"];

/** The error strings of the checks above. */
export const UNKNOWN_ROUTE = "EGeneral:Unknown route";
/** See {@linkcode UNKNOWN_ROUTE}. */
export const METHOD_NOT_ALLOWED = "EGeneral:Method not allowed";
/** See {@linkcode UNKNOWN_ROUTE}. */
export const TOO_LARGE = "EGeneral:Request too large";
/** See {@linkcode UNKNOWN_ROUTE}. */
export const UNSUPPORTED_TYPE = "EGeneral:Unsupported content type";
/** See {@linkcode UNKNOWN_ROUTE}. */
export const UNSUPPORTED_ENCODING = "EGeneral:Unsupported content encoding";
/** See {@linkcode UNKNOWN_ROUTE}. */
export const INVALID_USER = "ENexus:Invalid user ID";
/** See {@linkcode UNKNOWN_ROUTE}. */
export const INVALID_JSON = "EGeneral:Invalid JSON";
/** See {@linkcode UNKNOWN_ROUTE}. */
export const INVALID_ARGUMENTS = "EGeneral:Invalid arguments";

/** The `{user}` segment of a user route, or `undefined` for any other target. */
function userSegment(target: string): string | undefined {
  const query = target.indexOf("?");
  const path = query === -1 ? target : target.slice(0, query);
  if (!path.startsWith(USERS)) return undefined;
  const segment = path.slice(USERS.length);
  return segment.includes("/") ? undefined : segment;
}

// A charset label the Encoding standard reads as UTF-8 ("utf-8", "utf8",
// "unicode-1-1-utf-8", ...), in any case, as a server built on it takes it.
function isUtf8(label: string): boolean {
  try {
    return new TextDecoder(label).encoding === "utf-8";
  } catch {
    return false;
  }
}

/** `application/json`, with no charset or a label of UTF-8 (`utf-8`, `utf8`). */
function isJsonType(value: string | null): boolean {
  if (value === null) return false;
  const [type, ...parameters] = value.split(";");
  if (type.trim().toLowerCase() !== "application/json") return false;
  return parameters.every((parameter) => {
    // The value is all that follows the first "=" (`utf-8=latin1` is none
    // of UTF-8's labels).
    const [name, ...value] = parameter.split("=");
    return name.trim().toLowerCase() !== "charset" ||
      isUtf8(value.join("=").trim().replace(/^"|"$/g, ""));
  });
}

function userOf(segment: string): string | undefined {
  let user: string;
  try {
    user = decodeURIComponent(segment);
  } catch {
    return undefined;
  }
  return v.is(IibanSchema, user) ? user : undefined;
}

/** A request's turn to be judged, taken when it arrives. */
export interface Turn {
  /** Judges the request in its turn, which ends with the answer. */
  judge(raw: RawRequest): Promise<Answer>;
  /** Ends the turn of a request that is not judged. */
  leave(): void;
  /** Present on the turn of a request a `handled` fault answers: logged as a fault. */
  fault?: true;
}

/**
 * The checks of one emulator, over its keys and users: call the function
 * returned, with the request's `API-Key` header and target, when a request
 * arrives, for its turn among the requests with that key or to that user.
 */
export function createHandler(
  auth: Authenticator,
  store: UserStore,
  versions: readonly string[],
): (apiKey: string | null, target: string) => Turn {
  // For each name in use, settles when every request judged so far that
  // holds it is done. A request holds two names: its key's, and its user's
  // (or none). A request with an unknown key holds neither. The service
  // judges requests one after another; here the signatures are checked at
  // once, on WebCrypto's thread, and finish in any order. Each request waits for the ones that
  // arrived before it with its key or to its user to be done before its
  // nonce is consumed and its patch applied: with in-order nonces, none is
  // refused for another's being checked first, and of two patches to a user
  // the later wins, whatever their keys. Not for every request before it,
  // so that a request whose body is slow to arrive holds up only the
  // requests with its key or to its user. A name is let go once no request
  // holding it is in flight.
  const done = new Map<string, Promise<void>>();
  // `segment` and `user` are the target's, read once when it arrived (the
  // target judged is the one it arrived with).
  const judge = async (
    raw: RawRequest,
    turn: Promise<void>,
    segment: string | undefined,
    user: string | undefined,
  ): Promise<Answer> => {
    if (segment === undefined) return failure(404, [UNKNOWN_ROUTE]);
    const { method } = raw;
    if (method !== "GET" && method !== "PATCH") {
      return failure(405, [METHOD_NOT_ALLOWED], { allow: ALLOW });
    }
    if (
      declaredLength(raw.headers) > MAX_BODY_BYTES ||
      raw.body.length > MAX_BODY_BYTES
    ) {
      return failure(413, [TOO_LARGE]);
    }
    if (method === "PATCH" && !isJsonType(raw.headers.get("content-type"))) {
      return failure(415, [UNSUPPORTED_TYPE]);
    }
    // A body marked as compressed (gzip, br) is not decoded: refused, as a
    // server that does not decode it must (RFC 9110, 8.4), rather than read
    // as the JSON it may not be. A client that marks a plain body with a
    // coding it did not apply would pass otherwise, and fail against a
    // server that decodes.
    const coding = raw.headers.get("content-encoding");
    if (
      method === "PATCH" && coding !== null &&
      coding.trim().toLowerCase() !== "identity"
    ) {
      return failure(415, [UNSUPPORTED_ENCODING]);
    }
    // Either name of the version header (the reference's, the guide's); a
    // request with neither asks for the reference's default, which an
    // emulator told to take other versions only refuses. Both, naming two
    // versions, ask for neither: which one the service would apply is not
    // known, and a test must not pass on either.
    let named: string | null = null;
    for (const name of VERSION_HEADERS) {
      // By its lower-case name, as the emulator asks for every header: an
      // adapter's get() may match names exactly (a plain object of Node's
      // lower-case headers).
      const version = raw.headers.get(name.toLowerCase());
      if (version === null) continue;
      if (
        !versions.includes(version) || named !== null && named !== version
      ) {
        return failure(400, [`${INVALID_ARGUMENTS}:${name}`]);
      }
      named = version;
    }
    if (named === null && !versions.includes(DEFAULT_API_VERSION)) {
      return failure(400, [`${INVALID_ARGUMENTS}:${VERSION_HEADERS[0]}`]);
    }
    const refused = await auth.verify(raw, turn);
    if (refused !== undefined) return failure(401, [refused]);
    const details = user === undefined ? undefined : store.record(user);
    if (user === undefined || details === undefined) {
      return failure(404, [INVALID_USER]);
    }
    if (method === "GET") return result(200, details);

    let json: unknown;
    try {
      json = JSON.parse(decoder.decode(raw.body));
    } catch {
      return failure(400, [INVALID_JSON]);
    }
    const parsed = v.safeParse(UserPatchSchema, json, EVERY_ISSUE);
    if (!parsed.success) {
      return failure(
        400,
        parsed.issues.map((issue) => {
          const path = issuePath(issue);
          return path === ""
            ? INVALID_ARGUMENTS
            : `${INVALID_ARGUMENTS}:${path}`;
        }),
      );
    }
    store.update(user, parsed.output);
    return result(200, "success");
  };
  return (apiKey, target) => {
    const segment = userSegment(target);
    const user = segment === undefined ? undefined : userOf(segment);
    if (apiKey === null || !auth.knows(apiKey)) {
      // Refused as an invalid key before its turn would count, so it takes
      // none: a request without a key of this emulator, whose body never
      // ends, holds up no request to its user.
      return {
        judge: (raw) => judge(raw, Promise.resolve(), segment, user),
        leave() {},
      };
    }
    const names = [`key ${apiKey}`];
    if (user !== undefined) names.push(`user ${user}`);
    const turn = Promise.all(names.map((name) => done.get(name))).then(
      () => {},
    );
    let finish = () => {};
    const mine = new Promise<void>((resolve) => finish = resolve);
    const held = turn.then(() => mine);
    for (const name of names) done.set(name, held);
    held.then(() => {
      for (const name of names) if (done.get(name) === held) done.delete(name);
    });
    return {
      judge(raw) {
        const answer = judge(raw, turn, segment, user);
        answer.then(finish, finish);
        return answer;
      },
      leave: finish,
    };
  };
}
