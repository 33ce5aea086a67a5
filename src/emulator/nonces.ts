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
 * How many used nonces a {@linkcode NonceTracker} remembers per key inside
 * its window; past that, it forgets the lowest and refuses every nonce at
 * or below it.
 */
export const MAX_REMEMBERED_NONCES = 100_000;

/**
 * Reads an `API-Nonce` header: an unsigned 64-bit integer in decimal, or
 * `undefined` when it is missing or anything else.
 */
export function parseNonce(text: string | null): bigint | undefined {
  if (text === null || !DECIMAL.test(text)) return undefined;
  const nonce = BigInt(text);
  return nonce > MAX_U64 ? undefined : nonce;
}

/** A binary min-heap of bigints. */
class MinHeap {
  readonly #items: bigint[] = [];

  /** The lowest item, if any. */
  get min(): bigint | undefined {
    return this.#items[0];
  }

  /** Adds `item` in O(log n). */
  push(item: bigint): void {
    const items = this.#items;
    let i = items.push(item) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (items[parent] <= item) break;
      items[i] = items[parent];
      i = parent;
    }
    items[i] = item;
  }

  /** Removes and returns the lowest item in O(log n); the heap must not be empty. */
  pop(): bigint {
    const items = this.#items;
    const top = items[0];
    const last = items.pop()!;
    const size = items.length;
    if (size === 0) return top;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= size) break;
      if (child + 1 < size && items[child + 1] < items[child]) child++;
      if (items[child] >= last) break;
      items[i] = items[child];
      i = child;
    }
    items[i] = last;
    return top;
  }
}

/**
 * Which nonces one API key has used. A nonce is accepted when it is above
 * the highest accepted so far, or, with a window, above that highest minus
 * the window and not used before.
 *
 * To stay bounded in memory, it remembers at most `limit` used nonces
 * (default {@linkcode MAX_REMEMBERED_NONCES}). Past that, it forgets the
 * lowest one and from then on refuses every nonce at or below the highest
 * it has forgotten: it may refuse more than the window rule alone, but it
 * never accepts a nonce twice. Each accept costs O(log n).
 */
export class NonceTracker {
  readonly #window: bigint;
  readonly #limit: number;
  #highest: bigint | undefined;
  // The highest nonce forgotten to respect the limit: it and all below it
  // are refused.
  #forgotten: bigint | undefined;
  // Nonces accepted within the window below the highest: the ones a
  // reordered request could otherwise replay. Older ones fall out, lowest
  // first, because the window rule alone refuses them. The set answers
  // "used?", the heap "which is lowest?"; both hold the same nonces.
  readonly #used = new Set<bigint>();
  readonly #lowest = new MinHeap();

  /**
   * @param window A nonce must be above the highest accepted nonce minus this (0: above the highest).
   * @param limit How many used nonces to remember at most.
   */
  constructor(window: bigint, limit: number = MAX_REMEMBERED_NONCES) {
    this.#window = window;
    this.#limit = limit;
  }

  /**
   * Accepts and consumes `nonce`, or returns false when the rule refuses it.
   * Synchronous, so that two concurrent requests cannot both consume one nonce.
   */
  accept(nonce: bigint): boolean {
    const highest = this.#highest;
    if (
      (highest !== undefined && nonce <= highest - this.#window) ||
      (this.#forgotten !== undefined && nonce <= this.#forgotten) ||
      this.#used.has(nonce)
    ) {
      return false;
    }
    if (highest === undefined || nonce > highest) {
      this.#highest = nonce;
      const floor = nonce - this.#window;
      while (this.#lowest.min !== undefined && this.#lowest.min <= floor) {
        this.#used.delete(this.#lowest.pop());
      }
    }
    if (this.#window > 0n) {
      this.#used.add(nonce);
      this.#lowest.push(nonce);
      if (this.#used.size > this.#limit) {
        // Every remembered nonce is above the last one forgotten.
        this.#forgotten = this.#lowest.pop();
        this.#used.delete(this.#forgotten);
      }
    }
    return true;
  }
}
