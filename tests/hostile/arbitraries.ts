/** fast-check generators for hostile input: values that break parsers, databases and naive code. */
import fc from "fast-check";

/**
 * JSON documents PostgreSQL's jsonb refuses to store although JSON allows them: a NUL character, an unpaired
 * surrogate, a number beyond `numeric`'s range, nesting deeper than its parser's stack (about 16,000 levels here).
 */
export const UNSTORABLE_JSON: { name: string; text: string }[] = [
  { name: "a NUL character in a string", text: '"a\\u0000b"' },
  { name: "an unpaired surrogate in a string", text: '"x\\ud800y"' },
  { name: "a number beyond PostgreSQL numeric", text: "1e1000000" },
  { name: "nesting 20,000 levels deep", text: "[".repeat(20_000) + "]".repeat(20_000) },
];

/** Text that JSON can carry but that trips code and storage further on. */
export const hostileText = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.constantFrom("", " ", "\u0000", "a\u0000b", "\ud800", "\udfff", "\u0001", "\ufeff", "\u202e", "\uffff", "💥", "null", "undefined", "NaN", "-0", "1e999", "<script>alert(1)</script>", "' or 1=1 --", "%00", "../../etc/passwd", "__proto__", "constructor"),
  fc.integer({ min: 0xd800, max: 0xdfff }).map((unit) => `x${String.fromCharCode(unit)}y`),
  fc.integer({ min: 1, max: 200_000 }).map((length) => "x".repeat(length)),
);

/** Whether text is well-formed Unicode (no unpaired surrogate): only such text survives a URL or an HTTP header. */
export function isWellFormed(text: string): boolean {
  try {
    encodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
}

export const hostileNumber = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(Number),
  fc.constantFrom(0, -0, -1, 1e308, -1e308, 5e-324, 2 ** 53, 2 ** 53 + 2, 2 ** 64, Number.MAX_SAFE_INTEGER, 0.1 + 0.2),
);

/** Nested arrays/objects `depth` levels deep. */
export function nested(depth: number, kind: "array" | "object"): unknown {
  let value: unknown = 1;
  for (let level = 0; level < depth; level += 1) value = kind === "array" ? [value] : { a: value };
  return value;
}

export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileText,
  hostileNumber,
  fc.constantFrom(null, true, false, [], {}),
  fc.jsonValue({ maxDepth: 4 }),
  fc.tuple(fc.integer({ min: 1, max: 3_000 }), fc.constantFrom("array" as const, "object" as const)).map(([depth, kind]) => nested(depth, kind)),
);

/**
 * Number literals and nesting that `JSON.stringify` cannot produce but a raw body can carry: they are spliced
 * into the JSON text in place of a marker string.
 */
export const RAW_MARKER = "\u0001raw\u0001";
export const rawJsonLiteral = fc.oneof(
  fc.constantFrom("1e400", "-1e400", "1e100000", "1e1000000", "123456789012345678901234567890", "-0", "0.0000000000000000000000001", "1E+2", "-0.0"),
  fc.integer({ min: 1_000, max: 400_000 }).map((depth) => "[".repeat(depth) + "]".repeat(depth)),
);

/** Every path to a value inside a JSON document (object keys and array indexes). */
export function jsonPaths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const paths: (string | number)[][] = prefix.length ? [prefix] : [];
  if (Array.isArray(value)) value.forEach((item, index) => paths.push(...jsonPaths(item, [...prefix, index])));
  else if (value && typeof value === "object") for (const [key, item] of Object.entries(value)) paths.push(...jsonPaths(item, [...prefix, key]));
  return paths;
}

/** A copy of `document` with the value at `path` replaced. */
export function replaceAt(document: unknown, path: (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const copy: any = Array.isArray(document) ? [...document] : { ...(document as object) };
  copy[path[0]] = replaceAt(copy[path[0]], path.slice(1), value);
  return copy;
}
