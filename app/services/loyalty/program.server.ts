/** The shop's program settings: read (cached by version for the webhook hot path), validated updates. */
import type { z } from "zod";
import { requestTierMembersSync } from "~/data/loyalty/customers.server";
import { findShopId, readProgram, writeProgram } from "~/data/loyalty/programs.server";
import type { Queryable } from "~/data/loyalty/queryable";
import { programSettingsSchema, renamedTiers, setProgramEnabled, type ProgramSettings, type ProgramSettingsInput } from "~/domain/loyalty";

export interface LoadedProgram {
  shopId: number;
  settings: ProgramSettings;
  currencyCode: string;
  /** IANA time zone of the shop's calendar (birthdays). */
  timeZone: string;
  version: number;
}

/**
 * How long a process trusts the settings it read without asking again. Webhook processing reads them for every
 * order; an admin change reaches other processes within this time (this process's own changes at once).
 */
const TRUSTED_FOR_MS = 1_000;
const parsed = new Map<number, LoadedProgram & { readAt: number }>();

/** The shop's program; the stored JSON is parsed again only when its version changed. */
export async function loadProgram(db: Queryable, shopId: number): Promise<LoadedProgram> {
  const cached = parsed.get(shopId);
  if (cached && Date.now() - cached.readAt < TRUSTED_FOR_MS) return cached;
  let row = await readProgram(db, shopId, cached?.version ?? null);
  if (cached && row.settings === undefined) {
    if (cached.currencyCode === row.currencyCode) {
      const current = { ...cached, timeZone: row.timeZone, readAt: Date.now() };
      parsed.set(shopId, current);
      return current;
    }
    row = await readProgram(db, shopId);
  }
  const program = {
    shopId,
    settings: programSettingsSchema(row.currencyCode).parse(row.settings),
    currencyCode: row.currencyCode,
    timeZone: row.timeZone,
    version: row.version,
    readAt: Date.now(),
  };
  parsed.set(shopId, program);
  return program;
}

const shopIds = new Map<string, { shopId: number; readAt: number }>();

/**
 * The program of the shop with this domain (the storefront's requests name the shop by domain), or null when the
 * app has never heard of it. The domain's id is trusted as long as the settings are.
 */
export async function loadProgramByDomain(db: Queryable, domain: string): Promise<LoadedProgram | null> {
  const known = shopIds.get(domain);
  if (known && Date.now() - known.readAt < TRUSTED_FOR_MS) return loadProgram(db, known.shopId);
  const shopId = await findShopId(db, domain);
  if (shopId === null) return null;
  shopIds.set(domain, { shopId, readAt: Date.now() });
  return loadProgram(db, shopId);
}

export type SettingsUpdate = { ok: true; program: LoadedProgram } | { ok: false; issues: z.core.$ZodIssue[] };

/**
 * Changes the settings: `change` gets the current settings and returns the new ones (the admin's forms change one
 * section), which are validated by the domain's schema before anything is saved. The first switch-on fixes
 * `startedAt` (orders created before it earn nothing) unless the change sets it.
 */
export async function updateProgramSettings(input: {
  db: Queryable;
  shopId: number;
  change: (current: ProgramSettings) => ProgramSettingsInput;
  timeZone?: string;
  now: Date;
}): Promise<SettingsUpdate> {
  const current = await loadProgram(input.db, input.shopId);
  const proposed = input.change(current.settings);
  const startedAt = proposed.startedAt ?? setProgramEnabled(current.settings, proposed.enabled ?? false, input.now).startedAt;
  const result = programSettingsSchema(current.currencyCode).safeParse({ ...proposed, startedAt });
  if (!result.success) return { ok: false, issues: result.error.issues };
  await writeProgram(input.db, input.shopId, result.data, input.timeZone ?? null);
  const renamed = renamedTiers(current.settings.tiers, result.data.tiers);
  if (renamed.length > 0) await requestTierMembersSync(input.db, input.shopId, renamed, input.now);
  parsed.delete(input.shopId);
  return { ok: true, program: await loadProgram(input.db, input.shopId) };
}

/** The settings as the admin shows them. */
export async function getProgramSettings(input: { db: Queryable; shopId: number }): Promise<LoadedProgram> {
  return loadProgram(input.db, input.shopId);
}
