/**
 * Server side of every admin form: FormData (nested names such as `earning.points` or `levels[0].threshold`)
 * parsed by a zod schema. Invalid input is answered with 400 and the messages keyed by field name, and the
 * caller saves nothing.
 */
import { parseWithZod } from "@conform-to/zod/v4";
import { data } from "@remix-run/node";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { FieldErrors } from "./forms";

export type FormParse<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

/** Empty fields arrive as undefined and numbers/booleans are coerced from text, as conform does. */
export function parseForm<S extends z.ZodType>(formData: FormData, schema: S): FormParse<z.output<S>> {
  const submission = parseWithZod(formData, { schema });
  if (submission.status === "success") return { ok: true, value: submission.value as z.output<S> };
  const errors: FieldErrors = {};
  for (const [name, messages] of Object.entries(submission.error ?? {})) {
    if (messages?.length) errors[name || "form"] = messages[0];
  }
  return { ok: false, errors };
}

/** The form's fields as a nested object of text (names like `a.b[0].c`), for forms converted by hand. */
export function formPayload(formData: FormData): Record<string, unknown> {
  return parseWithZod(formData, { schema: z.record(z.string(), z.unknown()) }).payload as Record<string, unknown>;
}

/** The form field name of a zod issue's path: ["levels", 0, "threshold"] → "levels[0].threshold". */
export function fieldName(path: readonly PropertyKey[]): string {
  return path.reduce<string>((name, segment) => (typeof segment === "number" ? `${name}[${segment}]` : name ? `${name}.${String(segment)}` : String(segment)), "");
}

/** Every issue of a failed zod parse, as field errors (the first message per field). */
export function issuesToFieldErrors(issues: readonly { path: readonly PropertyKey[]; message: string }[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) errors[fieldName(issue.path) || "form"] ??= issue.message;
  return errors;
}

/** The 400 answer for an invalid form; `useFieldErrors` shows its messages next to the fields. */
export function invalidForm(errors: FieldErrors) {
  return data({ ok: false as const, errors }, { status: 400 });
}

/** A saved form's answer; `useSavedToast` shows the message. */
export function savedForm(message: string) {
  return { ok: true as const, message };
}

/**
 * A token for one rendering of a form, issued by the loader. The action keys its write on it, so a double
 * submit (same token) changes nothing twice; the loader's revalidation after a save issues a fresh one.
 */
export function newFormToken(): string {
  return randomUUID();
}
