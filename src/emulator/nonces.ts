/**
 * The nonce rule of one API key: above the highest nonce accepted so far,
 * or, with a nonce window, above that highest nonce minus the window and not
 * used before.
 *
 * @module
 */

const MAX_U64 = (1n << 64n) - 1n;
const DECIMAL = /^(?:0|[1-9][0-9]{0,19})$/;

/**
 * Reads an `API-Nonce` header: an unsigned 64-bit integer in decimal, or
 * `undefined` when it is missing or anything else.
 */
export function parseNonce(text: string | null): bigint | undefined {
  if (text === null || !DECIMAL.test(text)) return undefined;
  const nonce = BigInt(text);
  return nonce > MAX_U64 ? undefined : nonce;
}

/** Which nonces one API key has used. */
export class NonceTracker {
  readonly #window: bigint;
  #highest: bigint | undefined;
  // Nonces accepted within the window below the highest: the ones a
  // reordered request could otherwise replay. Older ones fall out, because
  // the window rule alone refuses them.
  readonly #used = new Set<bigint>();

  /** @param window How far below the highest accepted nonce a nonce may be (0: none). */
  constructor(window: bigint) {
    this.#window = window;
  }

  /**
   * Accepts and consumes `nonce`, or returns false when the rule refuses it.
   * Synchronous, so that two concurrent requests cannot both consume one nonce.
   */
  accept(nonce: bigint): boolean {
    const highest = this.#highest;
    if (highest !== undefined) {
      if (nonce <= highest - this.#window || this.#used.has(nonce)) {
        return false;
      }
    }
    if (highest === undefined || nonce > highest) {
      this.#highest = nonce;
      const floor = nonce - this.#window;
      for (const used of this.#used) if (used <= floor) this.#used.delete(used);
    }
    if (this.#window > 0n) this.#used.add(nonce);
    return true;
  }
}
