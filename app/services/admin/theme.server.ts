/** Whether the shop's published theme shows our widget, read from Shopify. */
import { AdminApiError, type AdminClient } from "~/shopify/admin/client.server";
import * as MainThemeSettings from "~/shopify/admin/operations/MainThemeSettings";
import { isAppEmbedEnabled } from "./onboarding";

/** null when Shopify could not tell (no access to themes, or unavailable): the checklist says so instead of guessing. */
export async function storefrontWidgetEnabled(admin: AdminClient): Promise<boolean | null> {
  try {
    const { themes } = await admin<MainThemeSettings.MainThemeSettingsData>(MainThemeSettings.document);
    const content = themes.nodes[0]?.files?.nodes[0]?.body.content;
    return content === undefined ? false : isAppEmbedEnabled(content);
  } catch (error) {
    if (error instanceof AdminApiError) return null;
    throw error;
  }
}
