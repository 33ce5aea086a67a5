/**
 * A small argument parser: `--name value`, `--name=value`, boolean flags,
 * `-h` for `--help`, `--` to end the flags, and positionals.
 *
 * A refusal names an option by its name, never by its value, and an
 * argument by its position: a secret pasted in the wrong place, or a body
 * given where its file name goes, must not reach stderr, which CI logs keep.
 * An unknown `--name` is named as typed only when it looks like an option's
 * name (see {@linkcode parseArgs}); else by its position too.
 *
 * @module
 */

/** A mistake in how the command was called: exit code 2. */
export class UsageError extends Error {
  /** @param message One line saying what is wrong and what was expected. */
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** The flags a command takes: each takes a value (`"string"`) or none (`"boolean"`). */
export type FlagSpec = Record<string, "string" | "boolean">;

/** What {@linkcode parseArgs} found. */
export interface Parsed {
  /**
   * Flag values by name (without `--`); `"true"` for a boolean flag given.
   * A null-prototype object: only the flags given are in it.
   */
  flags: Record<string, string>;
  positionals: string[];
  /** Where each positional was in `argv`, counting from 1. */
  positions: number[];
}

/**
 * What an option's name a person types looks like: a lowercase letter, then
 * lowercase letters and hyphens, 30 characters in all at most. A secret as
 * Kraken issues it (88 characters of base64) does not pass, nor a hex token
 * with a digit in it, a JSON body, a line break or a terminal's escape.
 */
const OPTION_NAME = /^[a-z][a-z-]{0,29}$/;

/**
 * Splits `argv` into flags and positionals.
 *
 * An unknown `--name` (or `--name=value`) is refused naming `--name` when
 * the name looks like one a person would type (a typo, `--verbos`): a
 * lowercase letter, then up to 29 lowercase letters and hyphens. Anything
 * else (a capital, a digit, `/`, `+`, `_`, a control character, more than
 * 30 characters: a secret or a body after `--`) is named by its position
 * after `command`, as a stray argument is.
 *
 * @param argv The command's arguments, after its name (and action).
 * @param spec The flags the command takes.
 * @param command The command as typed before `argv`, e.g. `sign` or
 * `users get`: a refusal counts positions from it.
 * @throws {UsageError} For an unknown flag, a missing value or a repeated flag.
 */
export function parseArgs(
  argv: readonly string[],
  spec: FlagSpec,
  command: string,
): Parsed {
  // Null prototypes and own-property checks: `--toString`, `--constructor`
  // or `--__proto__` is an unknown option, not an Object.prototype member.
  const flags: Record<string, string> = Object.create(null);
  const positionals: string[] = [];
  const positions: number[] = [];
  const all: FlagSpec = Object.assign(
    Object.create(null),
    { help: "boolean" },
    spec,
  );
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") {
      for (let j = i + 1; j < argv.length; j++) {
        positionals.push(argv[j]);
        positions.push(j + 1);
      }
      break;
    }
    if (arg === "-h") {
      flags.help = "true";
      continue;
    }
    // A dash and one letter (-p, -x) is an option mistyped, and one letter
    // cannot be a secret: named as typed. A longer one is a positional.
    if (/^-[A-Za-z]$/.test(arg)) {
      throw new UsageError(
        `unknown option ${arg}: options are spelled out (--name), but for -h`,
      );
    }
    if (!arg.startsWith("--")) {
      positionals.push(arg);
      positions.push(i + 1);
      continue;
    }
    const equals = arg.indexOf("=");
    // The name only: the value after `=` is not shown, for it may be a secret.
    const name = arg.slice(2, equals === -1 ? undefined : equals);
    const kind = Object.hasOwn(all, name) ? all[name] : undefined;
    if (kind === undefined) {
      throw new UsageError(
        OPTION_NAME.test(name)
          ? `unknown option --${name}`
          : `unknown option at argument ${
            i + 1
          } after "${command}" (not shown, in case it is a secret)`,
      );
    }
    if (Object.hasOwn(flags, name)) {
      throw new UsageError(`--${name} is given twice`);
    }
    if (kind === "boolean") {
      if (equals !== -1) throw new UsageError(`--${name} takes no value`);
      flags[name] = "true";
    } else if (equals !== -1) {
      flags[name] = arg.slice(equals + 1);
    } else if (i + 1 < argv.length) {
      flags[name] = argv[++i];
    } else {
      throw new UsageError(`--${name} needs a value`);
    }
  }
  return { flags, positionals, positions };
}

/**
 * The refusal of a command's first positional, when it takes none: named by
 * its position after the command, not quoted (it may be a secret).
 *
 * @param parsed What {@linkcode parseArgs} found in the command's arguments.
 * @param command The command's name, e.g. `sign`.
 * @param takes What the command takes instead, e.g. `options only`.
 */
export function unexpectedArgument(
  parsed: Parsed,
  command: string,
  takes = "options only",
): UsageError {
  return new UsageError(
    `unexpected argument ${
      parsed.positions[0]
    } after "${command}" (not shown, in case it is a secret): ${command} takes ${takes}`,
  );
}
