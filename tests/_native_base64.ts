// Hides the runtime's native Uint8Array base64 methods while `body` runs, so
// that the atob/btoa path of src/encoding/base64.ts is exercised wherever
// the tests run (base64_test.ts, base64_internal_test.ts).

type Native = { toBase64?: unknown; fromBase64?: unknown };

/** Runs `body` without `Uint8Array.prototype.toBase64` and `Uint8Array.fromBase64`. */
export async function withoutNativeBase64(
  body: () => void | Promise<void>,
): Promise<void> {
  const proto = Uint8Array.prototype as Native;
  const ctor = Uint8Array as unknown as Native;
  const saved = [
    Object.getOwnPropertyDescriptor(proto, "toBase64"),
    Object.getOwnPropertyDescriptor(ctor, "fromBase64"),
  ];
  delete proto.toBase64;
  delete ctor.fromBase64;
  try {
    await body();
  } finally {
    if (saved[0]) Object.defineProperty(proto, "toBase64", saved[0]);
    if (saved[1]) Object.defineProperty(ctor, "fromBase64", saved[1]);
  }
}
