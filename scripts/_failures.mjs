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
