// Sets names on Object.prototype as a polluting merge of untrusted JSON
// (`{"__proto__": {...}}`) leaves them, for the tests that check the package
// reads none of them.

const PROTO = Object.prototype as Record<string, unknown>;

/**
 * Runs `body` with `names` set on Object.prototype, enumerable as a merge
 * sets them, and always puts back what was there (`constructor` included).
 */
export async function polluted<T>(
  names: Record<string, unknown>,
  body: () => T | Promise<T>,
): Promise<T> {
  const before = Object.keys(names).map((name) =>
    [name, Object.getOwnPropertyDescriptor(PROTO, name)] as const
  );
  try {
    for (const [name, value] of Object.entries(names)) PROTO[name] = value;
    return await body();
  } finally {
    for (const [name, descriptor] of before) {
      if (descriptor) Object.defineProperty(PROTO, name, descriptor);
      else delete PROTO[name];
    }
  }
}
