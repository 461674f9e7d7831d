/**
 * A fake of Shopify's Admin GraphQL API for the demo and the tests — the only fake in the project.
 * Every operation it receives is validated against Shopify's real 2025-01 schema first (an unknown field, a
 * wrong argument or type is answered with GraphQL errors, as Shopify does), then answered by operation name
 * from in-memory state. Faults can be injected per operation: THROTTLED, HTTP 5xx, a hang, or userErrors.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { parse, validate, type OperationDefinitionNode } from "graphql";
import { adminSchema } from "~/shopify/admin/schema";

export type Resolver = (variables: Record<string, any>, state: FakeShopState) => unknown;

export interface FakeShopState {
  /** Free-form per-area state: operations files keep their records here (codes, credits, contracts, metafields...). */
  [area: string]: any;
}

export type Fault = "throttled" | "server_error" | "hang" | { userErrors: { field: string[]; message: string; code?: string }[] };

export interface FakeAdminApi {
  origin: string;
  state: FakeShopState;
  /** Every validated call, in order. */
  calls: { operationName: string; variables: Record<string, unknown> }[];
  /** The next `times` calls of `operationName` fail this way. */
  injectFault(operationName: string, fault: Fault, times?: number): void;
  close(): Promise<void>;
}

export async function startFakeAdminApi(resolvers: Record<string, Resolver>, options: { port?: number; state?: FakeShopState } = {}): Promise<FakeAdminApi> {
  const schema = adminSchema();
  const state: FakeShopState = options.state ?? {};
  const calls: FakeAdminApi["calls"] = [];
  const faults = new Map<string, Fault[]>();

  const server: Server = createServer(async (req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (req.method !== "POST" || !/^\/admin\/api\/[\w-]+\/graphql\.json$/.test(req.url ?? "")) return send(404, { errors: "Not Found" });
    if (!req.headers["x-shopify-access-token"]) return send(401, { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" });
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body: { query?: string; variables?: Record<string, unknown> };
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      return send(400, { errors: "Bad Request" });
    }
    let document;
    try {
      document = parse(body.query ?? "");
    } catch (error) {
      return send(200, { errors: [{ message: (error as Error).message, extensions: { code: "PARSE_ERROR" } }] });
    }
    const errors = validate(schema, document);
    if (errors.length > 0) return send(200, { errors: errors.map((e) => ({ message: e.message, extensions: { code: "GRAPHQL_VALIDATION_FAILED" } })) });
    const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === "OperationDefinition");
    const operationName = operation?.name?.value ?? "";
    const variables = body.variables ?? {};
    calls.push({ operationName, variables });

    const queued = faults.get(operationName);
    const fault = queued?.shift();
    if (fault === "throttled") return send(200, { errors: [{ message: "Throttled", extensions: { code: "THROTTLED" } }] });
    if (fault === "server_error") return send(502, { errors: "Bad Gateway" });
    if (fault === "hang") return; // never answers; the client's timeout must fire
    const resolver = resolvers[operationName];
    if (!resolver) return send(200, { errors: [{ message: `fake Admin API has no resolver for operation ${JSON.stringify(operationName)}` }] });
    try {
      const data = resolver(variables, state) as Record<string, unknown>;
      if (fault && typeof fault === "object") {
        // A refusal: the mutation's payload carries userErrors and nothing else.
        const field = Object.keys(data)[0];
        return send(200, { data: { [field]: { userErrors: fault.userErrors } } });
      }
      send(200, { data });
    } catch (error) {
      send(200, { errors: [{ message: (error as Error).message }] });
    }
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    origin: `http://127.0.0.1:${port}`,
    state,
    calls,
    injectFault(operationName, fault, times = 1) {
      faults.set(operationName, [...(faults.get(operationName) ?? []), ...Array.from({ length: times }, () => fault)]);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
