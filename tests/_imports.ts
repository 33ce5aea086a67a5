// Watching WebCrypto's key imports, for the tests of when and how the
// package imports a secret: `crypto.subtle.importKey` replaced for the time
// of one test body, and always put back.

/** One call of `crypto.subtle.importKey`: its arguments, and its key data as it was then. */
export interface ImportCall {
  args: unknown[];
  bytes: number[];
}

/**
 * Runs `fn` with every `crypto.subtle.importKey` call recorded in `calls`,
 * in order; `fail` makes the first that many calls reject, as a busy
 * WebCrypto may.
 */
export async function watchingImports(
  fn: (calls: readonly ImportCall[]) => Promise<void>,
  fail = 0,
): Promise<void> {
  const subtle = crypto.subtle as SubtleCrypto & {
    importKey: SubtleCrypto["importKey"];
  };
  const real = subtle.importKey;
  const calls: ImportCall[] = [];
  subtle.importKey = function (this: SubtleCrypto, ...args: unknown[]) {
    const data = args[1];
    calls.push({
      args,
      bytes: ArrayBuffer.isView(data)
        ? [...new Uint8Array(data.buffer, data.byteOffset, data.byteLength)]
        : [],
    });
    if (calls.length <= fail) {
      return Promise.reject(new DOMException("busy", "OperationError"));
    }
    return (real as (...a: unknown[]) => Promise<CryptoKey>).apply(this, args);
  } as SubtleCrypto["importKey"];
  try {
    await fn(calls);
  } finally {
    subtle.importKey = real;
  }
}
