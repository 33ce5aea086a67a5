// Sets names on Object.prototype as a polluting merge of untrusted JSON
// (`{"__proto__": {...}}`) leaves them, for the tests that check the package
// reads none of them.

const PROTO = Object.prototype as Record<string, unknown>;

/**
 * Runs `body` with `names` set on Object.prototype, enumerable as a merge
 * sets them, and always unsets them.
 */
export async function polluted<T>(
  names: Record<string, unknown>,
  body: () => T | Promise<T>,
): Promise<T> {
  try {
    for (const [name, value] of Object.entries(names)) PROTO[name] = value;
    return await body();
  } finally {
    for (const name of Object.keys(names)) delete PROTO[name];
  }
}
