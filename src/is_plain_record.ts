/**
 * The rule for objects whose own fields alone are read: a patch's objects,
 * `request()`'s body and query.
 *
 * @module
 */

/**
 * Whether `value` is plain (as `isPlain` has it) and inherits nothing a
 * caller could mean as its fields: its prototype is `null` or a realm's
 * `Object.prototype` (this realm's, or one with no prototype that owns
 * `isPrototypeOf`, as another realm's does). An object made on another one
 * (`Object.create(defaults)`, `defaults` an `Object.create(null)`) is not:
 * its inherited fields would be dropped without a word by rules that read
 * only own keys. Options, which are read up their prototype chain, take
 * `isPlain`.
 */
export function isPlainRecord(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  // The prototype itself, once read: `isPlain(value)` would read it again,
  // on the fast path of every object of a patch.
  return proto === null || proto === Object.prototype ||
    !Object.getPrototypeOf(proto) && Object.hasOwn(proto, "isPrototypeOf");
}
