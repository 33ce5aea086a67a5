// An independent signer for the tests, written against node:crypto straight
// from the reference's formula, so that it shares no code with the library:
// base64(HMAC-SHA512(base64decode(secret), path ‖ SHA-256(nonce ‖ body))).
import { Buffer } from "node:buffer";
import { createHash, createHmac } from "node:crypto";

/** The API-Sign value for these inputs; `body` may be text or raw bytes. */
export function oracleSign(
  secret: string,
  nonce: string,
  path: string,
  body: string | Uint8Array = "",
): string {
  const hash = createHash("sha256")
    .update(Buffer.concat([Buffer.from(nonce, "utf8"), Buffer.from(body)]))
    .digest();
  return createHmac("sha512", Buffer.from(secret, "base64"))
    .update(Buffer.concat([Buffer.from(path, "utf8"), hash]))
    .digest("base64");
}
