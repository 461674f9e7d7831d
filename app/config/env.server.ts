/**
 * Every environment variable the app reads, parsed once at start-up. A missing or malformed one stops
 * the process with one line naming it. Production refuses demo mode.
 */
import { z } from "zod";

const DEMO_API_KEY = "demo-api-key";
const DEMO_API_SECRET = "demo-api-secret";

const flag = z
  .enum(["0", "1", "true", "false", ""])
  .optional()
  .transform((value) => value === "1" || value === "true");

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    DEMO_MODE: flag,
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: "must be a postgres:// URL" }),
    PORT: z.coerce.number().int().min(1).max(65_535).default(3000),
    /** Connections per process. Webhook intake commits many small transactions; PostgreSQL's group commit
     * needs enough of them in flight to share each disk flush. */
    DATABASE_POOL_SIZE: z.coerce.number().int().min(2).max(500).default(40),
    SHOPIFY_API_KEY: z.string().min(1).optional(),
    SHOPIFY_API_SECRET: z.string().min(1).optional(),
    SHOPIFY_APP_URL: z.url().optional(),
    SCOPES: z.string().min(1).optional(),
    /** Demo and tests only: the origin of the fake Admin API that stands in for https://{shop}. */
    SHOPIFY_ADMIN_API_ORIGIN: z.url().optional(),
    LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
    WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
    /** Seconds after which a job whose worker died is handed to another worker. */
    JOB_EXPIRE_SECONDS: z.coerce.number().int().min(1).default(60),
    JOB_MAINTENANCE_SECONDS: z.coerce.number().int().min(1).default(30),
    WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
    MAX_REQUEST_BYTES: z.coerce.number().int().min(1_024).default(1_048_576),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === "production" && env.DEMO_MODE) {
      ctx.addIssue({ code: "custom", path: ["DEMO_MODE"], message: "demo mode is refused in production" });
    }
    if (env.NODE_ENV === "production" && env.SHOPIFY_ADMIN_API_ORIGIN) {
      ctx.addIssue({ code: "custom", path: ["SHOPIFY_ADMIN_API_ORIGIN"], message: "the fake Admin API is refused in production" });
    }
    if (!env.DEMO_MODE) {
      for (const key of ["SHOPIFY_API_KEY", "SHOPIFY_API_SECRET", "SHOPIFY_APP_URL", "SCOPES"] as const) {
        if (!env[key]) ctx.addIssue({ code: "custom", path: [key], message: "is required (outside demo mode)" });
      }
    }
  });

export const APP_SCOPES =
  "read_orders,read_customers,write_customers,read_discounts,write_discounts,read_store_credit_account_transactions,write_store_credit_account_transactions,read_own_subscription_contracts,write_own_subscription_contracts,read_metafields,write_metafields";

export type Env = Omit<z.infer<typeof schema>, "SHOPIFY_API_KEY" | "SHOPIFY_API_SECRET" | "SHOPIFY_APP_URL" | "SCOPES"> & {
  SHOPIFY_API_KEY: string;
  SHOPIFY_API_SECRET: string;
  SHOPIFY_APP_URL: string;
  SCOPES: string;
};

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = schema.safeParse(source);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new EnvError(`${issue.path.join(".") || "environment"} ${issue.message}`);
  }
  const env = result.data;
  return {
    ...env,
    SHOPIFY_API_KEY: env.SHOPIFY_API_KEY ?? DEMO_API_KEY,
    SHOPIFY_API_SECRET: env.SHOPIFY_API_SECRET ?? DEMO_API_SECRET,
    SHOPIFY_APP_URL: env.SHOPIFY_APP_URL ?? `http://localhost:${env.PORT}`,
    SCOPES: env.SCOPES ?? APP_SCOPES,
  };
}

export class EnvError extends Error {
  override name = "EnvError";
}

let cached: Env | undefined;

/** The process's configuration; the first call parses and, on a bad variable, ends the process with one line. */
export function env(): Env {
  if (!cached) {
    try {
      cached = parseEnv(process.env);
    } catch (error) {
      if (error instanceof EnvError) {
        process.stderr.write(`configuration error: ${error.message}\n`);
        process.exit(1);
      }
      throw error;
    }
  }
  return cached;
}
