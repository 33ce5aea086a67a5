// runtimes: deno — reason: tests a script of the repository (the READMEs' link check in the doc lint step), not the package
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  brokenAnchors,
  headingAnchor,
  headingAnchors,
} from "../scripts/_anchors.mjs";

test("a heading's anchor is GitHub's: lower case, punctuation dropped, spaces hyphens", () => {
  const cases: [string, string][] = [
    ["Command line: `kraken-embed`", "command-line-kraken-embed"],
    ["Node (20+) and Bun", "node-20-and-bun"],
    ["Bundle size: the ceiling's history", "bundle-size-the-ceilings-history"],
    [
      "Several processes with a nonce window: the default, with a resend now and then",
      "several-processes-with-a-nonce-window-the-default-with-a-resend-now-and-then",
    ],
    ["The `nonce_window` option", "the-nonce_window-option"],
    ["Über die Größe (日本語)", "über-die-größe-日本語"],
    ["A  double space", "a--double-space"],
    ["See [the docs](https://example.com/x)", "see-the-docs"],
  ];
  for (const [heading, anchor] of cases) {
    assert.equal(headingAnchor(heading), anchor, heading);
  }
});

test("a repeated heading's anchors are numbered, and headings in code blocks make none", () => {
  const markdown = [
    "# Errors",
    "## Errors",
    "### Errors ##",
    "```md",
    "## Inside a fence",
    "```",
    "~~~",
    "# Inside a tilde fence",
    "~~~",
    "#NotAHeading",
    "## C#",
  ].join("\n");
  assert.deepEqual(
    [...headingAnchors(markdown)],
    ["errors", "errors-1", "errors-2", "c"],
  );
});

test("links to headings that are not there are reported, in the same file and in another", () => {
  const files: Record<string, string> = {
    "README.md": [
      "# Title",
      "## Retries",
      "See [retries](#retries), [nonces](#nonces) and",
      "[the bench](bench/README.md#where-the-time-goes),",
      "[its runs](bench/README.md#runs), [gone](docs/GONE.md#x),",
      "[a site](https://example.com/#nowhere), [a line](src/a.ts#L10),",
      "[upstream](https://github.com/o/r/blob/main/README.md#nowhere),",
      "[escaped](#r%C3%A9sum%C3%A9), [malformed](#%E0%A4%A).",
      "## Résumé",
      "```md",
      "[in a fence](#fenced)",
      "```",
    ].join("\n"),
    "bench/README.md": [
      "# Benchmarks",
      "## Where the time goes",
      "Back to [the README](../README.md#retries) and [its](../README.md#perf).",
    ].join("\n"),
  };
  const read = (path: string) => {
    if (!(path in files)) throw new Error(`no ${path}`);
    return files[path];
  };
  assert.deepEqual(brokenAnchors(["README.md", "bench/README.md"], read), [
    "README.md: #nonces (no heading makes #nonces)",
    "README.md: bench/README.md#runs (no heading makes #runs)",
    "README.md: docs/GONE.md#x (no file docs/GONE.md)",
    "README.md: #%E0%A4%A (no heading makes #%E0%A4%A)",
    "bench/README.md: ../README.md#perf (no heading makes #perf)",
  ]);
});
