/** Client side of the admin's forms: field errors from the action's 400 answer, toasts for saved forms. */
import { useActionData, useFetcher } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import { useEffect } from "react";

/** Field name (as in the form) → the first message for it; `form` for errors not tied to one field. */
export type FieldErrors = Record<string, string>;

export type FormResult = { ok: false; errors: FieldErrors } | { ok: true; message: string };

function errorsOf(result: unknown): FieldErrors {
  return result && typeof result === "object" && "errors" in result ? (result as { errors: FieldErrors }).errors : {};
}

/** The message for a field of the last submission of this route's form, if it was refused. */
export function useFieldErrors(): (name: string) => string | undefined {
  const errors = errorsOf(useActionData());
  return (name) => errors[name];
}

/** The same, for a fetcher's submission (forms that do not navigate). */
export function fetcherFieldErrors(fetcher: ReturnType<typeof useFetcher>): (name: string) => string | undefined {
  const errors = errorsOf(fetcher.data);
  return (name) => errors[name];
}

/** Shows App Bridge's toast once per saved result. */
export function useSavedToast(result: unknown): void {
  const shopify = useAppBridge();
  useEffect(() => {
    if (result && typeof result === "object" && (result as FormResult).ok === true) {
      shopify.toast.show((result as { message: string }).message);
    }
  }, [result, shopify]);
}
