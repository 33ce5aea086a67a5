/**
 * What `kraken-embed emulator` and `kraken-embed demo` start the emulator
 * with: a throwaway key and secret made for this run, and one user.
 *
 * @module
 */

import { encodeBase64 } from "../encoding/base64.ts";
import type { EmulatorCredential, UserSeed } from "../emulator/mod.ts";

/** The IIBAN of the seeded user (the reference's example). */
export const SEEDED_USER = "AA95 N84G TEST XXXX";

/** The seeded user. */
export const SEED: UserSeed = {
  user: SEEDED_USER,
  external_id: "customer-0001",
  full_name: { first_name: "Ada", last_name: "Lovelace" },
  residence: {
    line1: "12 St James's Square",
    city: "London",
    postal_code: "SW1Y 4JH",
    country: "GB",
  },
  nationalities: ["GB"],
  language: "en",
};

/** A fresh API key and a random 64-byte secret, valid for one emulator run. */
export function generateCredentials(): EmulatorCredential {
  const id = crypto.getRandomValues(new Uint8Array(8));
  const secret = crypto.getRandomValues(new Uint8Array(64));
  return {
    apiKey: `emulator-${
      [...id].map((b) => b.toString(16).padStart(2, "0")).join("")
    }`,
    apiSecret: encodeBase64(secret),
  };
}
