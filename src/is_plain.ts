/**
 * The plain-object rule shared by the schemas' `strictObject`, `request()`'s
 * body check and what errors look through.
 *
 * @module
 */

/**
 * Whether `value` is an object literal or `Object.create(null)`, of this
 * realm or another: its prototype is `null` or a realm's `Object.prototype`,
 * known as one by having no prototype itself and owning `isPrototypeOf`.
 * Not an array, a `Map`, a `Date` or a class instance; nor an object whose
 * prototype is an `Object.create(null)` holding fields, which the rules
 * that read only own keys would drop without a word.
 */
export function isPlain(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === null ||
    !Object.getPrototypeOf(proto) && Object.hasOwn(proto, "isPrototypeOf");
}
