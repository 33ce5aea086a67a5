// Makes "@kraken-embed/client" resolve to the built npm/ folder, the way a user's
// install would, through node_modules/@kraken-embed/client -> ../../npm. Node and
// Bun then load the package through its own package.json "exports".
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readlinkSync,
  symlinkSync,
} from "node:fs";
import { join } from "node:path";

const TARGET = "../../npm";

/** Creates the link if needed; throws when npm/ is not built or the name is taken. */
export function linkPackage(root) {
  if (!existsSync(join(root, "npm/package.json"))) {
    throw new Error(
      "npm/ is not built: run node_modules/.bin/deno run -A scripts/build_npm.ts first",
    );
  }
  const scope = join(root, "node_modules/@kraken-embed");
  const link = join(scope, "client");
  mkdirSync(scope, { recursive: true });
  let stat;
  try {
    stat = lstatSync(link);
  } catch {
    try {
      symlinkSync(TARGET, link, "dir");
    } catch (error) {
      // Another runner made it in the meantime.
      if (error.code !== "EEXIST") throw error;
    }
    return;
  }
  if (!stat.isSymbolicLink() || readlinkSync(link) !== TARGET) {
    throw new Error(
      `${link} exists and is not a link to ${TARGET}; remove it so the tests use npm/`,
    );
  }
}
