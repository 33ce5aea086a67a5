// runtimes: deno — reason: tests the CLI's internal src/cli/duplicate_key.ts directly (the npm package does not export it); users update's refusal of a patch file with a key given twice is tested in every runtime (cli_test.ts)
//
// A JSON text's first key given twice in one object, which JSON.parse keeps
// the last of without a word.
import { test } from "node:test";
import assert from "node:assert/strict";
import { duplicateKey } from "../src/cli/duplicate_key.ts";

test("the first key given twice in one object is found, by its path", () => {
  const cases: [json: string, path: string | undefined][] = [
    ['{"phone":"+447700900123","phone":"+447700900999"}', "phone"],
    ['{ "a" : 1 ,\n\t"a"\r\n:\n2 }', "a"],
    ['{"residence":{"city":"A","line1":"B","city":"C"}}', "residence.city"],
    [
      '{"tax_ids":[{"id":"1"},{"id":"2","issuing_country":"GB","id":"3"}]}',
      "tax_ids.1.id",
    ],
    ['[[1,2],[{"x":1,"x":2}]]', "1.0.x"],
    // Escapes are read as JSON reads them: "\u0061" is "a".
    ['{"a":1,"\\u0061":2}', "a"],
    // A key that is no field name is shown by its length only.
    ['{"123-45-6789":1,"123-45-6789":2}', "[11-character key]"],
    // Not twice in one object: in two, as a value, in an array, escaped.
    ['{"a":{"a":1},"b":{"a":2}}', undefined],
    ['{"a":"a","b":"a"}', undefined],
    ['["a","a"]', undefined],
    ['{"a\\"":1,"a":2}', undefined],
    ['{"a":"x\\\\","b":"\\"a\\":"}', undefined],
    ['{"a":[1,2],"b":[{"c":1},{"c":2}]}', undefined],
    ['"a"', undefined],
    ["{}", undefined],
  ];
  // Deep down, the path is cut as an issue's path is, not a line of
  // megabytes on stderr.
  const deep = '{"a":' + "[".repeat(100_000) + '{"b":1,"b":2}' +
    "]".repeat(100_000) + "}";
  cases.push([deep, "a" + ".0".repeat(99) + "...."]);
  for (const [json, path] of cases) {
    JSON.parse(json);
    assert.equal(duplicateKey(json), path, json);
  }
});
