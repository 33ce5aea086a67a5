// runtimes: deno — reason: tests the CLI's internal src/cli/shell_quote.ts directly (the npm package does not export it), through sh and bash; the command `sign` prints is tested in every runtime (cli_test.ts)
//
// The body of sign's curl command: pasted into a POSIX shell, curl gets the
// signed bytes exactly, whatever the body holds; printed, nothing in it acts
// on a terminal or hides from the reader.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { curlData, shellQuote } from "../src/cli/shell_quote.ts";

// curl as a shell function: what it would send, from --data-raw's argument
// or, for --data-binary @-, stdin.
const CURL_STANDIN = `curl() {
  case "$1" in
    --data-raw) printf %s "$2" ;;
    --data-binary) if [ "$2" = @- ]; then cat; fi ;;
  esac
}
`;

/**
 * What curl would send for each body, each body's command pasted into one
 * `shell` in turn (one process for all of them: a process per body took the
 * test 14 s), each command's output to a file of its own.
 */
function sentAll(shell: string, bodies: readonly string[]): Buffer[] {
  const dir = mkdtempSync(join(tmpdir(), "kraken-embed-quote-"));
  try {
    const commands = bodies.map((body, i) => {
      const { pipe, option } = curlData(body);
      const command = `${
        pipe === undefined ? "" : `${pipe} |\n  `
      }curl ${option}`;
      // Each command's exit status too: that of the last alone would hide
      // the others' failures.
      return `{\n${command}\n} > "$1/${i}"\necho $? > "$1/${i}.status"\n`;
    });
    const result = spawnSync(shell, [
      "-c",
      CURL_STANDIN + commands.join(""),
      shell,
      dir,
    ]);
    assert.equal(result.status, 0, String(result.stderr));
    return bodies.map((body, i) => {
      const file = join(dir, String(i));
      assert.ok(
        existsSync(file),
        `${shell} ran no command for body ${i} ${JSON.stringify(body)}`,
      );
      assert.equal(
        readFileSync(`${file}.status`, "utf8"),
        "0\n",
        `${shell}, body ${i} ${JSON.stringify(body)}`,
      );
      return readFileSync(file);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Each character a terminal shows as itself: what the command may hold.
const SHOWN =
  /^(?:(?![\p{Default_Ignorable_Code_Point}\u2800\u303f\u{16fe4}\u{1d159}])[\n\x20-\x7e\p{L}\p{M}\p{N}\p{P}\p{S}])*$/u;

test("curlData() gives a body of visible characters to --data-raw, quoted, and its lines as they are", () => {
  assert.deepEqual(curlData('{\n  "name": "O\'Brien $(id) `id` \\\\ %s"\n}'), {
    pipe: undefined,
    option: `--data-raw '{\n  "name": "O'\\''Brien $(id) \`id\` \\\\ %s"\n}'`,
  });
  assert.deepEqual(curlData("Zoë 日本語 😀"), {
    pipe: undefined,
    option: "--data-raw 'Zoë 日本語 😀'",
  });
  assert.deepEqual(curlData(""), { pipe: undefined, option: "--data-raw ''" });
});

test("curlData() pipes a body too long for one argument through printf, which the shell runs itself", () => {
  // Linux refuses to start a program with an argument of 128 KiB or more;
  // curl here is a program, not a shell function, so that its start can
  // fail as the real one's would.
  const dir = mkdtempSync(join(tmpdir(), "kraken-embed-long-"));
  try {
    writeFileSync(
      join(dir, "curl"),
      `#!/bin/sh\ncase "$1" in\n  --data-raw) printf %s "$2" ;;\n  --data-binary) cat ;;\nesac\n`,
    );
    chmodSync(join(dir, "curl"), 0o755);
    for (const length of [100_000 - 2, 131_072, 300_000]) {
      const body = `{"a":"${"x".repeat(length - 8)}"}`;
      const { pipe, option } = curlData(body);
      const command = `${pipe === undefined ? "" : `${pipe} | `}curl ${option}`;
      for (const shell of ["sh", "bash"]) {
        // The command on stdin, as a pasted one is: as an argument of sh's,
        // it would be too long itself.
        const result = spawnSync(shell, [], {
          input: command,
          env: { PATH: `${dir}:/usr/bin:/bin` },
          maxBuffer: 1 << 20,
        });
        assert.equal(result.status, 0, `${shell}, ${length}: ${result.stderr}`);
        assert.equal(String(result.stdout), body, `${shell}, ${length}`);
      }
      assert.equal(
        pipe === undefined,
        length < 100_000,
        `${length} bytes: ${option.slice(0, 20)}`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("curlData() pipes any other body to --data-binary @- by printf, each byte that would not show as an octal escape", () => {
  const piped = (body: string) => {
    const { pipe, option } = curlData(body);
    assert.equal(option, "--data-binary @-");
    return pipe;
  };
  assert.equal(
    piped("\u001b[31m\u0000\r\t\n%\\'"),
    `printf '\\033[31m\\000\\015\\t\\n%%\\\\'\\'''`,
  );
  // A direction override, a byte order mark, a no-break space: their UTF-8
  // bytes. A space that ends a line, which a terminal's copy drops.
  assert.equal(
    piped("\u202e\ufeff\u00a0é"),
    `printf '\\342\\200\\256\\357\\273\\277\\302\\240é'`,
  );
  assert.equal(piped("a \nb"), `printf 'a \\nb'`);
  // Characters whose category is a letter, mark or symbol but which draw
  // nothing: the Hangul filler, a variation selector, the combining
  // grapheme joiner, the blank braille cell.
  assert.equal(
    piped("a\u3164\ufe0f\u034f\u2800"),
    `printf 'a\\343\\205\\244\\357\\270\\217\\315\\217\\342\\240\\200'`,
  );
  // Blank ones that are not default-ignorable (or not in every runtime's
  // Unicode): the ideographic half fill space, the Khitan filler, the
  // musical null notehead.
  assert.equal(
    piped("a\u303f\u{16fe4}\u{1d159}"),
    `printf 'a\\343\\200\\277\\360\\226\\277\\244\\360\\235\\205\\231'`,
  );
  // A format that starts with - would be read as an option of printf's.
  assert.equal(piped("-\t"), `printf '\\055\\t'`);
  assert.equal(shellQuote("it's"), `'it'\\''s'`);
});

test("curlData(): pasted into sh or bash, curl gets the body's UTF-8 bytes exactly, and the command shows no control character", () => {
  const special = fc.constantFrom(
    "\0",
    "\u001b",
    "\r",
    "\n",
    "\t",
    "\u007f",
    "\u0085",
    "'",
    '"',
    "\\",
    "%",
    "-",
    " ",
    "$",
    "`",
    "(",
    "!",
    "\u202e",
    "\u2066",
    "\ufeff",
    "\u2028",
    "\u00a0",
    "\u200b",
    "é",
    "😀",
    "\ue000",
  );
  const body = fc.string({
    unit: fc.oneof(
      special,
      fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
    ),
    maxLength: 40,
  }).filter((text) => text.isWellFormed());
  const seed = Date.now();
  const bodies = fc.sample(body, { numRuns: 100, seed });
  for (const text of bodies) {
    const { pipe, option } = curlData(text);
    assert.match(`${pipe ?? ""}${option}`, SHOWN, JSON.stringify(text));
  }
  for (const shell of ["sh", "bash"]) {
    const sent = sentAll(shell, bodies);
    bodies.forEach((text, i) => {
      assert.deepEqual(
        sent[i],
        Buffer.from(text, "utf8"),
        `${shell}, body ${JSON.stringify(text)} (fast-check seed ${seed})`,
      );
    });
  }
});

test("shellQuote() escapes every quote, and sh and bash read the word back as it was", () => {
  const text = `it's 'quoted' ''`;
  assert.equal(shellQuote(text), `'it'\\''s '\\''quoted'\\'' '\\'''\\'''`);
  for (const shell of ["sh", "bash"]) {
    const result = spawnSync(shell, ["-c", `printf %s ${shellQuote(text)}`]);
    assert.equal(result.status, 0, String(result.stderr));
    assert.equal(String(result.stdout), text, shell);
  }
  // A body of visible characters with several quotes, given to --data-raw.
  assert.deepEqual(curlData(`{"a":"O'Brien","b":"d'Arc"}`), {
    pipe: undefined,
    option: `--data-raw '{"a":"O'\\''Brien","b":"d'\\''Arc"}'`,
  });
});

test("curlData() counts the --data-raw limit in UTF-8 bytes, and pipes a body past it", () => {
  // 40,000 characters, 120,000 bytes: over the limit though its length in
  // UTF-16 code units is under it.
  const wide = "日".repeat(40_000);
  assert.ok(Buffer.byteLength(wide) > 100_000);
  assert.equal(curlData(wide).option, "--data-binary @-");
  assert.notEqual(curlData(wide).pipe, undefined);
  // 100,000 bytes quoted: an argument; a byte more, or 120,000: piped.
  assert.equal(curlData("x".repeat(100_000 - 2)).pipe, undefined);
  assert.notEqual(curlData("x".repeat(100_000 - 1)).pipe, undefined);
  assert.notEqual(curlData("x".repeat(120_000)).pipe, undefined);
});
