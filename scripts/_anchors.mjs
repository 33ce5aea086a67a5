// The README's links to its own headings (`[Errors](#errors)`) and to another
// Markdown file's (`bench/README.md#where-the-time-goes`) break silently when
// a heading is renamed: GitHub, npm and JSR just open the page at its top.
// These functions find such links; `scripts/doc_lint.mjs` fails on any.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";

// Fenced code blocks hold neither headings nor links.
const FENCE = /^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm;

/**
 * The anchor GitHub gives a heading's text: lower case, punctuation dropped
 * (hyphens and underscores kept), each space a hyphen.
 *
 * @param {string} text The heading without its `#`s.
 * @returns {string}
 * @example
 * headingAnchor("Command line: `kraken-embed`"); // "command-line-kraken-embed"
 */
export function headingAnchor(text) {
  return text.trim().toLowerCase()
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "")
    .replace(/ /g, "-");
}

/**
 * Every anchor a Markdown text's headings make, a repeated one numbered as
 * GitHub numbers it (`errors`, `errors-1`, ...).
 *
 * @param {string} markdown
 * @returns {Set<string>}
 */
export function headingAnchors(markdown) {
  const anchors = new Set();
  const counts = new Map();
  const text = markdown.replace(FENCE, "");
  for (
    const [, heading] of text.matchAll(
      /^#{1,6}[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$/gm,
    )
  ) {
    const anchor = headingAnchor(heading);
    const count = counts.get(anchor) ?? 0;
    counts.set(anchor, count + 1);
    anchors.add(count === 0 ? anchor : `${anchor}-${count}`);
  }
  return anchors;
}

/**
 * The links of the Markdown files given whose `#anchor` names no heading of
 * the file they point to (the same file, or another Markdown file by a
 * relative path). Links to other sites are not followed.
 *
 * @param {string[]} files Paths of Markdown files.
 * @param {(path: string) => string} [read] How a file is read.
 * @returns {string[]} One line per broken link: `file: target`, and why.
 * @example
 * brokenAnchors(["README.md", "bench/README.md"]); // [] when all resolve
 */
export function brokenAnchors(
  files,
  read = (path) => readFileSync(path, "utf8"),
) {
  const broken = [];
  // Each file read once, whether listed, linked to, or both; undefined for
  // one that cannot be read.
  const texts = new Map();
  const textOf = (path) => {
    if (!texts.has(path)) {
      let text;
      try {
        text = read(path);
      } catch {
        text = undefined;
      }
      texts.set(path, text);
    }
    return texts.get(path);
  };
  const anchors = new Map();
  const anchorsOf = (path) => {
    if (!anchors.has(path)) {
      const text = textOf(path);
      anchors.set(path, text === undefined ? undefined : headingAnchors(text));
    }
    return anchors.get(path);
  };
  for (const file of files) {
    // A listed file that cannot be read: read again, for its error.
    const text = (textOf(file) ?? read(file)).replace(FENCE, "");
    for (const [, target] of text.matchAll(/\]\(([^)\s]*#[^)\s]*)\)/g)) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
      const hash = target.indexOf("#");
      const path = target.slice(0, hash);
      if (path !== "" && !/\.md$/i.test(path)) continue;
      let anchor = target.slice(hash + 1);
      try {
        anchor = decodeURIComponent(anchor);
      } catch {
        // A malformed escape is compared as written, and matches no heading.
      }
      const linked = path === "" ? file : join(dirname(file), path);
      const made = anchorsOf(linked);
      if (made === undefined) {
        broken.push(`${file}: ${target} (no file ${linked})`);
      } else if (!made.has(anchor)) {
        broken.push(`${file}: ${target} (no heading makes #${anchor})`);
      }
    }
  }
  return broken;
}
