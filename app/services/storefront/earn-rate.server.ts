/**
 * The program's earn rate as an app-data metafield (`app.metafields.retention.earn_rate`), so the theme's
 * "you'll earn N points" blocks compute their figure in Liquid with no script and no request
 * (docs/decisions/040-storefront-budget.md). Written whenever the program settings are saved.
 */
import type { ProgramSettings } from "~/domain/loyalty";
import { assertNoUserErrors, type AdminClient } from "~/shopify/admin/client.server";
import * as CurrentAppInstallation from "~/shopify/admin/operations/CurrentAppInstallation";
import * as MetafieldsSet from "~/shopify/admin/operations/MetafieldsSetMutation";

export const EARN_RATE_METAFIELD = { namespace: "retention", key: "earn_rate", type: "json" } as const;

export interface EarnRate {
  points: number;
  perMinor: number;
}

/** What the storefront may promise: the base rate, or no points at all while the program is off. */
export function storefrontEarnRate(settings: Pick<ProgramSettings, "enabled" | "earning">): EarnRate {
  return { points: settings.enabled ? settings.earning.points : 0, perMinor: settings.earning.perAmountMinor };
}

/** Writes the shop's earn rate to the app-data metafield; throws AdminApiError if Shopify refuses it. */
export async function publishEarnRate(admin: AdminClient, settings: Pick<ProgramSettings, "enabled" | "earning">): Promise<EarnRate> {
  const earnRate = storefrontEarnRate(settings);
  const { currentAppInstallation } = await admin<CurrentAppInstallation.CurrentAppInstallationData>(CurrentAppInstallation.document);
  const metafields: MetafieldsSet.MetafieldsSetInput[] = [
    { ownerId: currentAppInstallation.id, ...EARN_RATE_METAFIELD, value: JSON.stringify(earnRate) },
  ];
  const result = await admin<MetafieldsSet.MetafieldsSetData>(MetafieldsSet.document, { metafields });
  assertNoUserErrors("metafieldsSet", result.metafieldsSet);
  return earnRate;
}
