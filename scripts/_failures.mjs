// What a failed step's output says failed, read so that it leads the step's
// line in `npm test`: a CI log shown in part (its head and tail) then still
// names the failed tests and their errors, where the last lines of a Deno run
// name only the tests that passed last.

/**
 * The failed tests in a `deno test` run's output: each as it appears in the
 * FAILURES list (`name => ./file.ts:line:col`) and the first line of its
 * error from the ERRORS section, if there is one. None for other output.
 *
 * @param {string} output what `deno test` printed (NO_COLOR)
 * @returns {{ test: string, error: string | undefined }[]}
 *
 * @example
 * ```js
 * denoFailures(output).map((f) => `${f.test}: ${f.error}`);
 * ```
 */
export function denoFailures(output) {
  const lines = output.split("\n");
  const failures = lines.lastIndexOf(" FAILURES ");
  if (failures === -1) return [];
  const errors = lines.lastIndexOf(" ERRORS ", failures);
  const found = [];
  for (let i = failures + 1; i < lines.length; i++) {
    const line = lines[i];
    if (line === "") {
      if (found.length > 0) break;
      continue;
    }
    if (/^(?:ok|FAILED) \|/.test(line)) break;
    let error;
    if (errors !== -1) {
      const at = lines.indexOf(line, errors + 1);
      if (at !== -1 && at < failures) {
        const next = lines[at + 1];
        if (next?.startsWith("error: ")) error = next.slice(7);
      }
    }
    found.push({ test: line, error });
  }
  return found;
}

/**
 * The lines of a failed step's output to print under its line: a Deno run's
 * ERRORS and FAILURES sections when it has them (the errors cut to keep
 * about `limit` lines, the list of failures whole), otherwise its last
 * `limit` lines.
 *
 * @param {string} output what the step printed
 * @param {number} limit the most lines to keep
 * @returns {string[]}
 *
 * @example
 * ```js
 * console.log(failureExcerpt(output, 60).join("\n"));
 * ```
 */
export function failureExcerpt(output, limit) {
  const lines = output.split("\n");
  const errors = lines.lastIndexOf(" ERRORS ");
  if (errors !== -1 && lines.indexOf(" FAILURES ", errors) !== -1) {
    const section = lines.slice(errors);
    if (section.length <= limit) return section;
    // The FAILURES list whole, what room is left for the errors before it.
    const list = lines.slice(lines.indexOf(" FAILURES ", errors));
    const room = Math.max(limit - list.length - 1, 0);
    return [
      ...section.slice(0, room),
      `[${
        section.length - list.length - room
      } lines of errors more in the step's log]`,
      ...list,
    ];
  }
  return lines.slice(-limit);
}

/**
 * The failed tests in a TAP report of Node's test runner
 * (`--test-reporter=tap`): each named with its file and line, and the first
 * line of its error. A test failed only because a subtest did is left out:
 * the subtest is listed.
 *
 * @param {string} tap the report
 * @returns {{ test: string, error: string | undefined }[]}
 *
 * @example
 * ```js
 * nodeTapFailures(readFileSync("results.tap", "utf8"));
 * ```
 */
export function nodeTapFailures(tap) {
  const lines = tap.split("\n");
  const found = [];
  for (let i = 0; i < lines.length; i++) {
    const head = /^(\s*)not ok \d+ - (.*)$/.exec(lines[i]);
    if (head === null) continue;
    const indent = head[1].length + 2;
    const fields = {};
    for (let j = i + 1; j < lines.length; j++) {
      const line = lines[j];
      if (j === i + 1 && line.trim() !== "---") break;
      if (line === " ".repeat(indent) + "...") break;
      const field = new RegExp(`^ {${indent}}(\\w+): ?(.*)$`).exec(line);
      if (field === null) continue;
      const [, key, value] = field;
      // A block scalar: its first line.
      fields[key] = ["|", "|-", ">-"].includes(value)
        ? lines[j + 1]?.trim()
        : unquote(value);
    }
    if (fields.failureType === "subtestsFailed") continue;
    const where = fields.location?.split("/").pop();
    const test = where === undefined ? head[2] : `${head[2]} (${where})`;
    const message = fields.error;
    const error = message === undefined
      ? undefined
      : fields.name === undefined
      ? message
      : `${fields.name}: ${message}`;
    found.push({ test, error });
  }
  return found;
}

// A YAML scalar as Node's TAP reporter writes one: plain, 'single' ('' for
// a quote) or "double" (JSON-like escapes).
function unquote(value) {
  if (value.startsWith("'") && value.endsWith("'") && value.length > 1) {
    return value.slice(1, -1).replaceAll("''", "'");
  }
  if (value.startsWith('"') && value.endsWith('"') && value.length > 1) {
    try {
      return JSON.parse(value);
    } catch {
      return value.slice(1, -1);
    }
  }
  return value;
}

/**
 * The failed tests in `bun test`'s output: each `(fail)` line's test, with
 * the file whose heading it came under, and the first error printed since
 * the test before it.
 *
 * @param {string} output what `bun test` printed
 * @returns {{ test: string, error: string | undefined }[]}
 *
 * @example
 * ```js
 * bunFailures(output).length; // how many failed
 * ```
 */
export function bunFailures(output) {
  const found = [];
  let file;
  // The first line that names an error class, else the first `error:` line
  // (Bun's own, such as "error: 1 subtest failed").
  let error;
  let generic;
  // Past "3 tests failed:", Bun lists the failures again: skipped until the
  // output of another run starts.
  let recap = false;
  for (const line of output.split("\n")) {
    if (/^bun test v/.test(line)) recap = false;
    else if (/^\d+ tests? failed:$/.test(line)) recap = true;
    if (recap) continue;
    const heading = /^(\S+\.[cm]?[jt]sx?):$/.exec(line);
    if (heading !== null) {
      file = heading[1];
      error = generic = undefined;
      continue;
    }
    const result = /^\((pass|fail|skip|todo)\) (.*?)(?: \[[\d.]+m?s\])?$/
      .exec(line);
    if (result !== null) {
      if (result[1] === "fail") {
        found.push({
          test: file === undefined ? result[2] : `${result[2]} (${file})`,
          error: error ?? generic,
        });
      }
      error = generic = undefined;
      continue;
    }
    if (error === undefined && /^\w*Error(?::|$)/.test(line)) error = line;
    else if (generic === undefined && line.startsWith("error: ")) {
      generic = line.slice(7);
    }
  }
  return found;
}

/**
 * Failures as a step's summary gives them after its counts:
 * ` (test: error; test)`, or nothing for none.
 *
 * @param {{ test: string, error: string | undefined }[]} failures
 * @returns {string}
 *
 * @example
 * ```js
 * `${failed} failed${describeFailures(nodeTapFailures(tap))}`;
 * ```
 */
export function describeFailures(failures) {
  if (failures.length === 0) return "";
  return ` (${
    failures.map(({ test, error }) =>
      error === undefined ? test : `${test}: ${error}`
    ).join("; ")
  })`;
}
