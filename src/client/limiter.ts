/**
 * A counting semaphore for the client's `maxConcurrency` option.
 *
 * @module
 */

import { EmbedAbortError } from "../errors.ts";
import { whenAborted } from "./when_aborted.ts";

/** Hands out at most `size` permits at once, first come first served. */
export class Limiter {
  #free: number;
  readonly #waiting: Array<() => void> = [];

  /** @param size How many permits exist. */
  constructor(size: number) {
    this.#free = size;
  }

  /**
   * Waits for a permit; the returned function gives it back (call it once).
   * Rejects with an {@linkcode EmbedAbortError} if `signal` fires while waiting.
   */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) {
      return Promise.reject(new EmbedAbortError(signal.reason));
    }
    if (this.#free > 0) {
      this.#free--;
      return Promise.resolve(this.#releaser());
    }
    return new Promise((resolve, reject) => {
      const grant = () => {
        unlisten();
        resolve(this.#releaser());
      };
      this.#waiting.push(grant);
      const unlisten = whenAborted(signal, () => {
        const index = this.#waiting.indexOf(grant);
        if (index !== -1) this.#waiting.splice(index, 1);
        reject(new EmbedAbortError(signal?.reason));
      });
    });
  }

  #releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiting.shift();
      if (next) next();
      else this.#free++;
    };
  }
}
