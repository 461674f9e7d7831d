/**
 * The tier-perks discount Function builds and runs the way Shopify runs it, as far as can be checked here:
 * src/run.ts bundles with esbuild (the first step of the extension's build command) into one self-contained ES
 * module whose only export is the one shopify.extension.toml names, and that module, handed each fixture's input
 * through the `ShopifyFunction` global, writes the fixture's output. Javy (the second step, JavaScript → Wasm) and
 * Shopify's function runner cannot be downloaded here.
 *
 * src/run.graphql is parsed, and every fixture's input has exactly the fields the query selects. Shopify's Discount
 * Function input schema is not available offline, so the query is not validated against it: a misspelt field
 * would show only at `shopify app deploy`.
 */
import { readdirSync, readFileSync } from "node:fs";
import { build, type Metafile } from "esbuild";
import { Kind, parse, visit, type FieldNode, type OperationDefinitionNode, type SelectionSetNode, type StringValueNode } from "graphql";
import toml from "toml";
import { beforeAll, describe, expect, it, vi } from "vitest";

const DIR = "extensions/tier-perks";
const FIXTURES = "tests/extensions/fixtures/tier-perks";
/** No library gets bundled in: the Function pays for its size and start-up on every checkout. */
const BUNDLE_BUDGET_BYTES = 4 * 1024;

const config = toml.parse(readFileSync(`${DIR}/shopify.extension.toml`, "utf8"));
const [extension] = config.extensions;
const [targeting] = extension.targeting;
/** Shopify maps a kebab-case Wasm export to the JavaScript export of the same name in camelCase. */
const jsExport: string = targeting.export.replace(/-([a-z0-9])/g, (_: string, c: string) => c.toUpperCase());
const query = parse(readFileSync(`${DIR}/${targeting.input_query}`, "utf8"));
const fixtures = readdirSync(FIXTURES)
  .filter((file) => file.endsWith(".json"))
  .sort()
  .map((file) => ({ file, ...(JSON.parse(readFileSync(`${FIXTURES}/${file}`, "utf8")) as { input: unknown; expectedOutput: unknown }) }));

describe("the extension's configuration", () => {
  it("is one discount Function on the delivery-options target, built with esbuild from src/run.ts", () => {
    expect(config.extensions).toHaveLength(1);
    expect(extension).toMatchObject({ type: "function", handle: "tier-perks", build: { path: "dist/function.wasm" } });
    // toml's objects have no prototype, so toEqual rather than toStrictEqual.
    expect(extension.targeting).toEqual([
      { target: "cart.delivery-options.discounts.generate.run", input_query: "src/run.graphql", export: "cart-delivery-options-discounts-generate-run" },
    ]);
    expect(extension.build.command).toMatch(/^npx esbuild src\/run\.ts --bundle --format=esm --target=es2022 .*--outfile=dist\/function\.js && javy build /);
    expect(readFileSync(`${DIR}/javy-world.wit`, "utf8")).toContain(`export %${targeting.export}: func();`);
  });

  it("asks for the customer's tier and the discount's configuration in one named query", () => {
    const operations = query.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    expect(operations.map((o) => [o.operation, o.name?.value])).toStrictEqual([["query", "TierPerksInput"]]);
    const metafields: Record<string, string>[] = [];
    visit(query, {
      Field(field) {
        if (field.name.value === "metafield") metafields.push(Object.fromEntries(field.arguments?.map((a) => [a.name.value, (a.value as StringValueNode).value]) ?? []));
      },
    });
    expect(metafields).toStrictEqual([
      { namespace: "loyalty", key: "tier" },
      { namespace: "$app", key: "function-configuration" },
    ]);
  });
});

describe("the bundled Function", () => {
  let bundle: { text: string; output: Metafile["outputs"][string] };
  let entry: Record<string, () => void>;

  beforeAll(async () => {
    const result = await build({
      entryPoints: [`${DIR}/src/run.ts`],
      bundle: true,
      format: "esm",
      target: "es2022",
      legalComments: "none",
      write: false,
      metafile: true,
      outfile: "dist/function.js",
      logLevel: "silent",
    });
    bundle = { text: result.outputFiles[0].text, output: Object.values(result.metafile.outputs)[0] };
    entry = await import(/* @vite-ignore */ `data:text/javascript;base64,${Buffer.from(bundle.text).toString("base64")}`);
  });

  it("is one self-contained module exporting the toml's export, within its budget", () => {
    expect(bundle.output.imports).toStrictEqual([]);
    expect(bundle.output.exports).toStrictEqual([jsExport]);
    expect(Buffer.byteLength(bundle.text)).toBeLessThanOrEqual(BUNDLE_BUDGET_BYTES);
  });

  it.each(fixtures)("$file: the input has the fields run.graphql selects", ({ input }) => {
    const selection = (query.definitions[0] as OperationDefinitionNode).selectionSet;
    expectSelected(input, selection, "input");
  });

  it.each(fixtures)("$file: writes the expected output", ({ input, expectedOutput }) => {
    let written: unknown;
    vi.stubGlobal("ShopifyFunction", {
      readInput: () => input,
      writeOutput: (output: unknown) => {
        written = JSON.parse(JSON.stringify(output));
      },
    });
    try {
      entry[jsExport]();
    } finally {
      vi.unstubAllGlobals();
    }
    expect(written).toStrictEqual(expectedOutput);
  });
});

/** Shopify answers every selected field (null when there is none) and nothing else. */
function expectSelected(value: unknown, selectionSet: SelectionSetNode, path: string): void {
  if (value === null) return;
  if (Array.isArray(value)) return value.forEach((item, i) => expectSelected(item, selectionSet, `${path}[${i}]`));
  const fields = selectionSet.selections.filter((s): s is FieldNode => s.kind === Kind.FIELD);
  const key = (field: FieldNode) => (field.alias ?? field.name).value;
  expect(Object.keys(value as object).sort(), path).toStrictEqual(fields.map(key).sort());
  for (const field of fields) {
    if (field.selectionSet) expectSelected((value as Record<string, unknown>)[key(field)], field.selectionSet, `${path}.${key(field)}`);
  }
}
