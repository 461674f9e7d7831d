/**
 * Shopify's theme-check, with its theme-app-extension rules (app block tags, asset sizes, parser-blocking
 * scripts, translation keys, Liquid objects and filters), over the storefront extension.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { themeCheckRun } from "@shopify/theme-check-node";
import { expect, test } from "vitest";
import { THEME_DIR } from "./support/theme";

const CONFIG = "theme-check:theme-app-extension";

async function offenses(root: string) {
  const run = await themeCheckRun(root, CONFIG);
  return { files: run.theme.length, offenses: run.offenses.map((offense) => `${offense.check} ${path.basename(offense.uri)}: ${offense.message}`) };
}

test("the theme app extension passes theme-check with no offense", async () => {
  const result = await offenses(THEME_DIR);

  expect(result.offenses).toEqual([]);
  expect(result.files).toBeGreaterThanOrEqual(15); // blocks, snippet, assets and locales were all read
});

test("the same check flags a script that blocks the parser, so a clean run means something", async () => {
  const copy = await mkdtemp(path.join(tmpdir(), "loyalty-theme-"));
  try {
    await cp(THEME_DIR, copy, { recursive: true });
    const snippet = path.join(copy, "snippets", "loyalty-config.liquid");
    await writeFile(snippet, (await readFile(snippet, "utf8")).replace(" defer>", ">"));

    expect((await offenses(copy)).offenses).toEqual([expect.stringMatching(/^ParserBlockingScript loyalty-config\.liquid/)]);
  } finally {
    await rm(copy, { recursive: true, force: true });
  }
});
