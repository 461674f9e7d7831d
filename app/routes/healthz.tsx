/** Liveness and readiness for load balancers: 200 when the database answers, 503 when it does not. */
import { getDatabase } from "~/data/database.server";

export async function loader() {
  try {
    await getDatabase().pool.query("select 1");
    return new Response("ok", { headers: { "cache-control": "no-store" } });
  } catch {
    return new Response("database unavailable", { status: 503 });
  }
}
