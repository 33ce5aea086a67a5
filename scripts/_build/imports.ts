/**
 * Checks the emitted files for imports the published package cannot satisfy:
 * a bare package that is not a dependency, a `node:` module (or Node's types)
 * outside src/cli/, or a relative `.ts` specifier left unrewritten.
 * TypeScript's own scanner finds the imports, so examples in comments are
 * not mistaken for code.
 *
 * @module
 */

import ts from "typescript";

function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

/**
 * Returns one message per import the package cannot ship.
 *
 * @param file The file's path relative to its build folder, e.g. `src/cli/main.js`.
 * @param text The file's text.
 * @param dependencies The package's runtime dependencies.
 */
export function badImports(
  file: string,
  text: string,
  dependencies: string[],
): string[] {
  const cli = file.startsWith("src/cli/");
  const scanned = ts.preProcessFile(text, true, true);
  const problems: string[] = [];
  for (const { fileName: specifier } of scanned.importedFiles) {
    if (specifier.startsWith(".")) {
      if (/\.[mc]?ts$/.test(specifier) && !/\.d\.[mc]?ts$/.test(specifier)) {
        problems.push(
          `${file}: relative import ${specifier} still ends in .ts`,
        );
      }
    } else if (specifier.startsWith("node:")) {
      if (!cli) {
        problems.push(
          `${file}: imports ${specifier}; only src/cli/ may use node: modules`,
        );
      }
    } else if (!dependencies.includes(packageName(specifier))) {
      problems.push(`${file}: imports ${specifier}, which is not a dependency`);
    }
  }
  for (const { fileName } of scanned.typeReferenceDirectives) {
    if (!cli) problems.push(`${file}: references the types of ${fileName}`);
  }
  return problems;
}
