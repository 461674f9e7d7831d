/** Demo only: what App Bridge's idToken() would return inside Shopify's admin. 404 outside demo mode. */
import { demoSessionToken } from "~/shopify/demo.server";

export async function loader() {
  return new Response(await demoSessionToken(), { headers: { "content-type": "text/plain", "cache-control": "no-store" } });
}
