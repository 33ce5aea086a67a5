/**
 * The emulator's users: seeded at creation, changed by Update User, read by
 * Get User and, as frozen copies, by the tests through `emulator.users`.
 *
 * A stored user is the `result` of the Get User answer: `user`, `user_type`,
 * `status`, `created_at`, `external_id` when given, then each profile field
 * under its Update User name and shape. A field set to `null` is removed; an
 * object or array replaces the stored one whole.
 *
 * @module
 */

import * as v from "valibot";
import { IibanSchema } from "../schemas/iiban.ts";
import {
  GetUserResponseSchema,
  type UserDetails,
  type UserStatus,
} from "../schemas/responses.ts";
import {
  isRfc3339,
  type UserPatch,
  UserPatchSchema,
} from "../schemas/user_patch.ts";
import { issuePath } from "../issue_path.ts";
import { EVERY_ISSUE } from "../schemas/_every_issue.ts";
import { isRoot, optionValues } from "../option_values.ts";

/**
 * A user to create with the emulator: an IIBAN, optionally the fields the
 * service sets itself (`external_id`, `status`, `created_at`), and any
 * profile fields of the Update User body.
 *
 * @example A seeded user
 * ```ts
 * import type { UserSeed } from "@kraken-embed/client/emulator";
 *
 * const seed: UserSeed = {
 *   user: "AA95 N84G TEST XXXX",
 *   external_id: "customer-42",
 *   full_name: { first_name: "Ada", last_name: "Lovelace" },
 *   language: "en",
 * };
 * ```
 */
export interface UserSeed extends UserPatch {
  /** The user's IIBAN. */
  user: string;
  /** The partner's identifier of the user. */
  external_id?: string | undefined;
  /** Default `{ state: "ok", required_actions: [] }`. */
  status?: UserStatus | undefined;
  /** Default: the time of `createEmulator()`, as an RFC 3339 date-time. */
  created_at?: string | undefined;
}

/**
 * Read-only access to the emulator's users, for assertions in tests.
 *
 * @example Asserting on the stored user
 * ```ts
 * import { createEmulator } from "@kraken-embed/client/emulator";
 *
 * const emulator = createEmulator({
 *   credentials: [{ apiKey: "test-key", apiSecret: "c2VjcmV0LWJ5dGVz" }],
 *   users: [{ user: "AA95 N84G TEST XXXX", phone: "+447700900123" }],
 * });
 * const user = emulator.users.get("AA95 N84G TEST XXXX");
 * console.log(user?.phone, Object.isFrozen(user)); // "+447700900123" true
 * console.log(emulator.users.list().length); // 1
 * ```
 */
export interface EmulatorUsers {
  /**
   * The stored user, as Get User would answer it, or `undefined`.
   *
   * @param user The IIBAN, e.g. `AA95 N84G TEST XXXX` (not percent-encoded).
   * @returns A frozen deep copy: changing it changes nothing.
   */
  get(user: string): UserDetails | undefined;
  /** Every stored user, in creation order, as frozen deep copies. */
  list(): readonly UserDetails[];
}

const SERVICE_FIELDS = ["user", "external_id", "status", "created_at"];

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}

function issuesOf(issues: readonly v.BaseIssue<unknown>[]): string {
  return issues
    .map((issue) => `${issuePath(issue) || "(patch)"}: ${issue.message}`)
    .join("; ");
}

/** The users of one emulator. */
export class UserStore implements EmulatorUsers {
  readonly #users = new Map<string, UserDetails>();

  /**
   * @param seeds The users to create.
   * @throws {TypeError} For a seed that is malformed, naming its index and field.
   */
  constructor(seeds: readonly UserSeed[] = []) {
    if (!Array.isArray(seeds)) {
      throw new TypeError("users: Expected an array of { user, ...fields }");
    }
    const now = new Date().toISOString();
    seeds.forEach((seed, index) => this.#seed(seed, index, now));
  }

  #seed(given: UserSeed, index: number, now: string): void {
    const where = `users[${index}]`;
    if (typeof given !== "object" || given === null) {
      throw new TypeError(`${where}: Expected an object with a user`);
    }
    // The service's fields as the seed gives them, not as other code set
    // them on Object.prototype (the profile fields below are read alike).
    const seed = optionValues(given, [
      "user",
      "external_id",
      "status",
      "created_at",
    ]);
    if (!v.is(IibanSchema, seed.user)) {
      throw new TypeError(`${where}.user: Expected an IIBAN`);
    }
    if (this.#users.has(seed.user)) {
      throw new TypeError(`${where}.user: Expected each user once`);
    }
    // Its profile fields read as its service fields are, up its prototype
    // chain short of Object.prototype: one in the defaults the seed was made
    // from (Object.create(defaults)) is stored, and a misspelt one refused,
    // where only its own were read and an inherited one was dropped.
    const fields = new Map<string, unknown>();
    for (
      let at: object | null = given;
      at !== null && !isRoot(at);
      at = Object.getPrototypeOf(at)
    ) {
      for (const name of Object.keys(at)) {
        if (!SERVICE_FIELDS.includes(name) && !fields.has(name)) {
          fields.set(name, (given as unknown as Record<string, unknown>)[name]);
        }
      }
    }
    const patch = Object.fromEntries(fields);
    const details: UserDetails = {
      user: seed.user as string,
      user_type: "individual",
      status: structuredClone(
        seed.status ?? { state: "ok", required_actions: [] },
      ),
      created_at: seed.created_at ?? now,
    };
    if (seed.external_id !== undefined) details.external_id = seed.external_id;
    const checked = v.safeParse(
      GetUserResponseSchema,
      { result: details },
      EVERY_ISSUE,
    );
    if (!checked.success) {
      // Checked as an answer's `result`: each path from the seed's own
      // fields, without that first step.
      const inner = checked.issues.map((issue) =>
        ({ ...issue, path: issue.path?.slice(1) }) as v.BaseIssue<unknown>
      );
      throw new TypeError(`${where}: ${issuesOf(inner)}`);
    }
    // As the schema gives it: a null where the types say a string (an
    // external_id, a deadline) left out, as absent, as users.get reads it.
    const stored = checked.output.result as UserDetails;
    // As the answer's schema does not check it (an answer's field, taken as
    // it comes), but Get User's sketch shows and UserSeed promises it.
    if (!isRfc3339(stored.created_at)) {
      throw new TypeError(
        `${where}: created_at: Expected an RFC 3339 date-time with an offset, such as 2025-04-15T09:00:00Z`,
      );
    }
    if (Object.values(patch).some((value) => value !== undefined)) {
      const parsed = v.safeParse(UserPatchSchema, patch, EVERY_ISSUE);
      if (!parsed.success) {
        throw new TypeError(`${where}: ${issuesOf(parsed.issues)}`);
      }
      applyPatch(stored, parsed.output);
    }
    this.#users.set(seed.user, stored);
  }

  /** The live record, for the handler only: never hand it out. */
  record(user: string): UserDetails | undefined {
    return this.#users.get(user);
  }

  /** Applies a checked Update User body to a stored user. */
  update(user: string, patch: UserPatch): void {
    const details = this.#users.get(user);
    if (details !== undefined) applyPatch(details, patch);
  }

  get(user: string): UserDetails | undefined {
    const details = this.#users.get(user);
    return details === undefined
      ? undefined
      : deepFreeze(structuredClone(details));
  }

  list(): readonly UserDetails[] {
    return deepFreeze(structuredClone([...this.#users.values()]));
  }
}

function applyPatch(details: UserDetails, patch: UserPatch): void {
  for (const [name, value] of Object.entries(patch)) {
    if (value === null) delete details[name];
    else if (value !== undefined) details[name] = structuredClone(value);
  }
}
