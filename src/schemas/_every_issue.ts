/**
 * valibot's config for checking a patch, shared by the client and the
 * emulator.
 *
 * @module
 */

/**
 * valibot's config for every issue, whatever its global config another part
 * of the program set: its `abortEarly` or `abortPipeEarly` would cut the
 * list short.
 *
 * @example
 * ```ts ignore
 * v.safeParse(UserPatchSchema, patch, EVERY_ISSUE);
 * ```
 */
export const EVERY_ISSUE = { abortEarly: false, abortPipeEarly: false };
