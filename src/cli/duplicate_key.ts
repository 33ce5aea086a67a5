/**
 * The first key that a JSON text gives twice in one object: `JSON.parse`
 * keeps the last value without a word, so a patch file with `"phone"` twice
 * would send the second and drop the first, which its writer may have meant.
 *
 * @module
 */

import { cutPath, pathKey } from "../issue_path.ts";

// One object or array the scan is inside: an object's keys so far and the
// key being read, or an array's index.
interface Level {
  keys?: Set<string>;
  at: string | number;
}

/**
 * The dotted path of the first key given twice in one object of `json`,
 * each key as an issue's path shows it (`residence.city`,
 * `tax_ids.1.id`, `[11-character key]`), cut at 200 characters as an
 * issue's path is, or `undefined` when there is none.
 *
 * @param json A text `JSON.parse` accepts.
 * @returns The path, or `undefined`.
 *
 * @example
 * ```ts ignore
 * duplicateKey('{"phone":"+447700900123","phone":"+447700900999"}'); // "phone"
 * ```
 */
export function duplicateKey(json: string): string | undefined {
  const levels: Level[] = [];
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    const top = levels[levels.length - 1];
    if (c === '"') {
      let end = i + 1;
      while (json[end] !== '"') end += json[end] === "\\" ? 2 : 1;
      const literal = json.slice(i, end + 1);
      i = end;
      // A string is a key when a colon follows it in an object.
      let next = end + 1;
      while (/[ \t\n\r]/.test(json[next] ?? "")) next++;
      if (top?.keys === undefined || json[next] !== ":") continue;
      const key = JSON.parse(literal) as string;
      if (top.keys.has(key)) {
        return cutPath(
          [...levels.slice(0, -1).map((level) => level.at), key]
            .map(pathKey).join("."),
        );
      }
      top.keys.add(key);
      top.at = key;
    } else if (c === "{") levels.push({ keys: new Set(), at: "" });
    else if (c === "[") levels.push({ at: 0 });
    else if (c === "}" || c === "]") levels.pop();
    else if (c === "," && top?.keys === undefined && top !== undefined) {
      top.at = (top.at as number) + 1;
    }
  }
  return undefined;
}
