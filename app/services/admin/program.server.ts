/** The shop's program settings as the admin pages read them: stored settings parsed with the domain's defaults. */
import { findProgramRow } from "~/data/admin/program.server";
import type { Database } from "~/data/db.server";
import { programSettingsSchema, type ProgramSettings } from "~/domain/loyalty";

export async function loadProgram(database: Database, shopId: number): Promise<{ settings: ProgramSettings; currencyCode: string }> {
  const row = await findProgramRow(database, shopId);
  // A shop that never saved settings has the defaults of a new shop in its currency.
  return { settings: programSettingsSchema(row.currencyCode).parse(row.settings ?? {}), currencyCode: row.currencyCode };
}
