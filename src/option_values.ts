/**
 * Reading an options object without what other code set on
 * `Object.prototype`.
 *
 * @module
 */

/**
 * Whether `at` is a realm's Object.prototype: this realm's, whatever other
 * code set on it, or another realm's, without a prototype and owning
 * `hasOwnProperty` and `propertyIsEnumerable` (which a merge can overwrite,
 * as it can `constructor`, but not delete). Not an object made with
 * `Object.create(null)`, which a caller's defaults may be, nor the
 * prototype of a class that extends null. Internal, not exported by the
 * package.
 *
 * @param at An object of a prototype chain.
 */
export function isRoot(at: object): boolean {
  return at === Object.prototype ||
    Object.getPrototypeOf(at) === null &&
      Object.hasOwn(at, "hasOwnProperty") &&
      Object.hasOwn(at, "propertyIsEnumerable");
}

/**
 * The values of `names` in `options`, each read once, into an object without
 * a prototype: a name counts when `options` has it, itself or up its
 * prototype chain (a getter on a class's prototype, defaults it was made
 * from with `Object.create`), but not through `Object.prototype` (of any
 * realm), where other code may have set it. A merge of untrusted JSON that
 * sets `Object.prototype.baseUrl` ("prototype pollution") must not send the
 * credentials and a user's data to another host, nor
 * `Object.prototype.query` add to a request. A name found nowhere, not even
 * on `Object.prototype`, is still read, for an object that computes its
 * properties (a Proxy with a `get` trap). Internal, not exported by the
 * package.
 *
 * @param options The options given: an object.
 * @param names The names to read.
 */
export function optionValues<T extends object>(
  options: T,
  names: readonly (keyof T & string)[],
): Partial<T> {
  const values: Partial<T> = Object.create(null);
  for (const name of names) {
    let at: object | null = options;
    while (at !== null && !isRoot(at) && !Object.hasOwn(at, name)) {
      at = Object.getPrototypeOf(at);
    }
    if (at !== null && !isRoot(at)) {
      values[name] = options[name];
    } else if (
      // Found nowhere: read for an object that computes it (a Proxy),
      // unless a root holds it, where other code may have set it.
      !(at !== null && Object.hasOwn(at, name)) &&
      !Object.hasOwn(Object.prototype, name)
    ) {
      const value = options[name];
      if (value !== undefined) values[name] = value;
    }
  }
  return values;
}
