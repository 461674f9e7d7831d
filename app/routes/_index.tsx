/** The app's front door: Shopify opens /app inside the admin; the demo opens it with a locally minted token. */
import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { env } from "~/config/env.server";
import { demoAdminPath, ensureDemoShop } from "~/shopify/demo.server";

export async function loader({ request }: LoaderFunctionArgs) {
  if (env().DEMO_MODE) {
    await ensureDemoShop();
    return redirect(await demoAdminPath());
  }
  const url = new URL(request.url);
  if (url.searchParams.get("shop")) return redirect(`/app?${url.searchParams}`);
  return new Response("Retention Engine is opened from your Shopify admin.", { headers: { "content-type": "text/plain" } });
}
