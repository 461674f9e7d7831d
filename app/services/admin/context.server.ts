/** What every admin loader and action starts from: the verified request's shop and staff member. */
import { shopIdFor } from "~/data/shops.server";
import { getDatabase } from "~/data/database.server";
import { authenticate } from "~/shopify.server";

export interface AdminContext {
  shop: string;
  shopId: number;
  /** The staff member's Shopify user id from the session token (`sub`), recorded with their changes. */
  staffUserId: string | null;
  session: { shop: string; accessToken?: string };
}

export async function adminContext(request: Request): Promise<AdminContext> {
  const { session, sessionToken } = await authenticate.admin(request);
  answerUnreadableFormsWith400(request);
  const shopId = await shopIdFor(getDatabase().pool, session.shop);
  return { shop: session.shop, shopId, staffUserId: sessionToken?.sub ?? null, session };
}

/**
 * Every admin action reads its body with `request.formData()`, which throws a TypeError when the body is not a
 * form (no body, JSON, text, a multipart body without its boundary or cut short): that would be a 500 with the
 * error page. Here such a body is a 400 with a reason instead, for every admin action at once. So is a text field
 * holding a NUL character, which PostgreSQL cannot store in any text or JSON value (uploaded files are checked by
 * the import itself).
 */
function answerUnreadableFormsWith400(request: Request): void {
  const read = request.formData.bind(request);
  Object.defineProperty(request, "formData", {
    configurable: true,
    value: async () => {
      let form: FormData;
      try {
        form = await read();
      } catch (error) {
        if (!(error instanceof TypeError)) throw error;
        throw new Response("The form could not be read: send it as application/x-www-form-urlencoded or multipart/form-data.", { status: 400 });
      }
      for (const [name, value] of form) {
        if (typeof value === "string" && value.includes("\u0000")) {
          throw new Response(`The field ${JSON.stringify(name.slice(0, 100))} contains a NUL character, which cannot be saved.`, { status: 400 });
        }
      }
      return form;
    },
  });
}
