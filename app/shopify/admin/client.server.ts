/**
 * The one way the app talks to Shopify's Admin GraphQL API. Throttled answers (THROTTLED, HTTP 429), server
 * errors and timeouts are retried with exponential back-off; GraphQL errors and a mutation's userErrors
 * become AdminApiError, so a caller never mistakes a refusal for success.
 */
import { ClientError, GraphQLClient } from "graphql-request";
import { API_VERSION_STRING } from "./version";

export interface AdminSession {
  shop: string;
  accessToken: string;
}

export interface AdminClientOptions {
  /** Demo and tests: the fake Admin API's origin instead of https://{shop}. */
  origin?: string;
  maxAttempts?: number;
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export class AdminApiError extends Error {
  override name = "AdminApiError";
  constructor(
    message: string,
    readonly kind: "graphql" | "user_errors" | "throttled" | "unavailable",
    readonly details: unknown = undefined,
  ) {
    super(message);
  }
}

export interface UserError {
  field?: string[] | null;
  message: string;
  code?: string | null;
}

export type AdminClient = <T>(document: string, variables?: Record<string, unknown>) => Promise<T>;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createAdminClient(session: AdminSession, options: AdminClientOptions = {}): AdminClient {
  const origin = options.origin ?? `https://${session.shop}`;
  const client = new GraphQLClient(`${origin}/admin/api/${API_VERSION_STRING}/graphql.json`, {
    headers: { "X-Shopify-Access-Token": session.accessToken, "X-Shopify-Shop-Domain": session.shop },
  });
  const maxAttempts = options.maxAttempts ?? 5;
  const sleep = options.sleep ?? defaultSleep;
  const timeoutMs = options.timeoutMs ?? 10_000;

  return async function request<T>(document: string, variables?: Record<string, unknown>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      let retryable: AdminApiError;
      try {
        return await client.request<T>({ document, variables, signal: AbortSignal.timeout(timeoutMs) });
      } catch (error) {
        retryable = classify(error);
      }
      if (attempt >= maxAttempts) throw retryable;
      await sleep(Math.min(8_000, 250 * 2 ** (attempt - 1)) + Math.floor(Math.random() * 100));
    }
  };
}

/** Errors worth retrying are returned; the rest are thrown at once. */
function classify(error: unknown): AdminApiError {
  if (error instanceof ClientError) {
    const status = error.response.status;
    const errors = error.response.errors ?? [];
    if (status === 429 || errors.some((e) => e.extensions?.code === "THROTTLED")) return new AdminApiError("Shopify throttled the request", "throttled");
    if (status >= 500) return new AdminApiError(`Shopify answered ${status}`, "unavailable");
    throw new AdminApiError(errors.map((e) => e.message).join("; ") || `Shopify answered ${status}`, "graphql", errors);
  }
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError" || "cause" in error)) {
    return new AdminApiError(`Shopify did not answer: ${error.message}`, "unavailable");
  }
  throw error;
}

/** A mutation's payload: throws when Shopify refused it, with the fields and messages it gave. */
export function assertNoUserErrors<P extends { userErrors: UserError[] }>(operation: string, payload: P | null | undefined): P {
  if (!payload) throw new AdminApiError(`${operation} returned no payload`, "graphql");
  if (payload.userErrors.length > 0) {
    throw new AdminApiError(`${operation}: ${payload.userErrors.map((e) => `${e.field?.join(".") ?? ""} ${e.message}`.trim()).join("; ")}`, "user_errors", payload.userErrors);
  }
  return payload;
}
