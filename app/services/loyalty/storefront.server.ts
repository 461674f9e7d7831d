/**
 * What shoppers see and do, in the JSON contract of the storefront widget and the customer-account and checkout
 * extensions (program info, the customer's summary, redeem). The caller has identified the shop and the
 * customer from what Shopify signed; these use cases trust those and nothing else.
 */
import { inTransaction, type Database } from "~/data/db.server";
import { customerViewByShopifyId, type CustomerView } from "~/data/loyalty/customer-view.server";
import { upsertAndLockCustomer } from "~/data/loyalty/customers.server";
import type { LedgerHistoryRow } from "~/data/loyalty/ledger.server";
import { findShopId } from "~/data/loyalty/programs.server";
import {
  EARNING_ACTIONS,
  STOREFRONT_LANGUAGES,
  defaultProgramSettings,
  pointsBalance,
  qualifyingAmount,
  rewardSchema,
  rollingWindowStart,
  type DiscountValue,
  type EarningAction,
  type LedgerEntryKind,
  type ProgramSettings,
  type StorefrontLanguage,
  type StorefrontTextSet,
  type Tier,
} from "~/domain/loyalty";
import type { AdminClient } from "~/shopify/admin/client.server";
import { loadProgramByDomain, type LoadedProgram } from "./program.server";
import { redeemReward, type RedemptionFailure } from "./redemption.server";
import { ensureReferralCode, referralUrl } from "./referrals.server";
import { listRewards } from "./rewards.server";

/** The endpoints' result: the body to send, or a refusal with its status and `{ error: { code, message } }`. */
export type Outcome<T> = { ok: true; body: T } | { ok: false; status: number; code: string; message: string };

export type HistoryKind = "earn" | "redeem" | "refund" | "cancel" | "expiry" | "adjustment" | "action" | "import";

export interface StorefrontProgram {
  locale: StorefrontLanguage;
  texts: Record<string, string>;
  program: {
    enabled: boolean;
    pointsName: string;
    currencyCode: string;
    earnRate: { points: number; perMinor: number };
    waysToEarn: { key: string; title: string; points: number; description: string }[];
    rewards: { id: string; title: string; kind: string; pointsCost: number; minimumOrderMinor: number; tier: string | null }[];
    tiers: { id: string; name: string; threshold: number; thresholdKind: "spend" | "points_earned"; perks: string[] }[];
    /** What a referred friend gets (the widget greets a friend who came with `?ref=CODE`); null when referrals are off. */
    referral: { friendDiscount: DiscountValue & { minimumOrderMinor: number } } | null;
  };
  customer: StorefrontCustomer | null;
}

export interface StorefrontCustomer {
  firstName: string;
  balance: number;
  pending: number;
  tier: { id: string; name: string } | null;
  nextTier: { name: string; remaining: number; progress: number } | null;
  referralUrl: string;
  history: { at: string; points: number; kind: HistoryKind; description: string }[];
  rewardsIssued: { code: string | null; title: string; at: string }[];
}

const HISTORY_KIND: Record<LedgerEntryKind, HistoryKind> = {
  order_earn: "earn",
  order_refund: "refund",
  order_cancel: "cancel",
  action: "action",
  redemption: "redeem",
  redemption_reversal: "redeem",
  expiry: "expiry",
  adjustment: "adjustment",
  import: "import",
};

/** Ways to earn, in the storefront's languages: [title, description]. */
const WAYS_TO_EARN: Record<StorefrontLanguage, Record<"order" | EarningAction, [string, string]>> = {
  en: {
    order: ["Place an order", "Points for every purchase"],
    signup: ["Create an account", "Once, when you join"],
    birthday: ["Birthday", "Every year on your birthday"],
    review: ["Write a review", "For each product review"],
    referral: ["Refer a friend", "When their first order is paid"],
    social_follow: ["Follow us", "For following us on social media"],
    survey: ["Answer a survey", "For each survey you answer"],
  },
  pl: {
    order: ["Złóż zamówienie", "Punkty za każdy zakup"],
    signup: ["Załóż konto", "Jednorazowo, przy rejestracji"],
    birthday: ["Urodziny", "Co roku w dniu urodzin"],
    review: ["Napisz opinię", "Za każdą opinię o produkcie"],
    referral: ["Poleć znajomemu", "Gdy opłaci pierwsze zamówienie"],
    social_follow: ["Obserwuj nas", "Za obserwowanie nas w mediach społecznościowych"],
    survey: ["Wypełnij ankietę", "Za każdą wypełnioną ankietę"],
  },
  ru: {
    order: ["Сделайте заказ", "Баллы за каждую покупку"],
    signup: ["Создайте аккаунт", "Один раз, при регистрации"],
    birthday: ["День рождения", "Каждый год в ваш день рождения"],
    review: ["Оставьте отзыв", "За каждый отзыв о товаре"],
    referral: ["Пригласите друга", "Когда он оплатит первый заказ"],
    social_follow: ["Подпишитесь на нас", "За подписку в соцсетях"],
    survey: ["Пройдите опрос", "За каждый пройденный опрос"],
  },
  fi: {
    order: ["Tee tilaus", "Pisteitä jokaisesta ostoksesta"],
    signup: ["Luo tili", "Kerran, kun liityt"],
    birthday: ["Syntymäpäivä", "Joka vuosi syntymäpäivänäsi"],
    review: ["Kirjoita arvostelu", "Jokaisesta tuotearvostelusta"],
    referral: ["Suosittele ystävälle", "Kun ystäväsi ensimmäinen tilaus on maksettu"],
    social_follow: ["Seuraa meitä", "Kun seuraat meitä somessa"],
    survey: ["Vastaa kyselyyn", "Jokaisesta vastatusta kyselystä"],
  },
};

function language(locale: string | null | undefined): StorefrontLanguage {
  const base = (locale ?? "").slice(0, 2).toLowerCase();
  return (STOREFRONT_LANGUAGES as readonly string[]).includes(base) ? (base as StorefrontLanguage) : "en";
}

/**
 * The merchant's own texts, under the widget's keys (its theme locale files hold the defaults): only those the
 * merchant changed, so an untouched program keeps the theme's wording.
 */
function merchantTexts(texts: StorefrontTextSet, defaults: StorefrontTextSet): Record<string, string> {
  const keys: [keyof Omit<StorefrontTextSet, "pointsUnit">, string][] = [
    ["launcherLabel", "launcher"],
    ["guestTitle", "how_it_works"],
    ["guestBody", "how_it_works_text"],
    ["signUp", "join"],
    ["logIn", "sign_in"],
    ["waysToEarnTitle", "ways_to_earn"],
    ["rewardsTitle", "rewards"],
    ["referralTitle", "referral"],
  ];
  const result: Record<string, string> = {};
  for (const [ours, widget] of keys) if (texts[ours] !== defaults[ours]) result[widget] = texts[ours];
  if (JSON.stringify(texts.pointsUnit) !== JSON.stringify(defaults.pointsUnit)) {
    for (const [form, unit] of Object.entries(texts.pointsUnit)) if (unit) result[`points.${form}`] = `{count} ${unit}`;
  }
  return result;
}

function perks(tier: Tier, program: ProgramSettings): string[] {
  const list: string[] = [];
  if (tier.perks.multiplierBps !== 10_000) list.push(`${tier.perks.multiplierBps / 10_000}× points`);
  if (tier.perks.freeShipping) list.push("Free shipping");
  if (tier.perks.earlyAccessTag) list.push("Early access");
  if (tier.perks.birthdayBonusPoints > 0 && program.actions.birthday.enabled) list.push(`+${tier.perks.birthdayBonusPoints} birthday points`);
  return list;
}

function describe(row: LedgerHistoryRow, lang: StorefrontLanguage): string {
  if (row.orderId) return `Order ${row.orderId}`;
  if (row.action) return WAYS_TO_EARN[lang][row.action][0];
  if (row.kind === "redemption") return "Reward redeemed";
  if (row.kind === "redemption_reversal") return "Reward returned";
  return row.reason ?? row.kind;
}

/**
 * The program section of the answer, the same for every shopper of the shop asking in one language: built once per
 * loaded program (loadProgram hands out the same object while it trusts it), so a reward or settings change
 * shows within the program's trust period and the hot read skips the rewards query and the building.
 */
const programInfos = new WeakMap<LoadedProgram, Map<StorefrontLanguage, Promise<StorefrontProgram["program"]>>>();

function cachedProgramInfo(db: Database, program: LoadedProgram, lang: StorefrontLanguage): Promise<StorefrontProgram["program"]> {
  let byLanguage = programInfos.get(program);
  if (!byLanguage) programInfos.set(program, (byLanguage = new Map()));
  let info = byLanguage.get(lang);
  if (!info) {
    info = programInfo(db, program, lang);
    info.catch(() => byLanguage.delete(lang));
    byLanguage.set(lang, info);
  }
  return info;
}

async function programInfo(db: Database, program: LoadedProgram, lang: StorefrontLanguage): Promise<StorefrontProgram["program"]> {
  const { settings } = program;
  const ways = WAYS_TO_EARN[lang];
  return {
    enabled: settings.enabled,
    pointsName: settings.texts[lang].pointsUnit.other,
    currencyCode: program.currencyCode,
    earnRate: { points: settings.earning.points, perMinor: settings.earning.perAmountMinor },
    waysToEarn: [
      { key: "order", title: ways.order[0], points: settings.earning.points, description: ways.order[1] },
      ...EARNING_ACTIONS.filter((action) => settings.actions[action].enabled).map((action) => ({
        key: action,
        title: ways[action][0],
        points: settings.actions[action].points,
        description: ways[action][1],
      })),
    ],
    rewards: (await listRewards({ db: db.pool, shopId: program.shopId })).map((reward) => ({
      id: reward.id,
      title: reward.name,
      kind: reward.type,
      pointsCost: reward.pointsCost,
      minimumOrderMinor: reward.type === "store_credit" ? 0 : reward.minimumOrderMinor,
      tier: reward.minimumTierId,
    })),
    tiers: settings.tiers.levels.map((tier) => ({ id: tier.id, name: tier.name, threshold: tier.threshold, thresholdKind: settings.tiers.basis, perks: perks(tier, settings) })),
    referral: settings.actions.referral.enabled
      ? { friendDiscount: { ...settings.referral.friendDiscount.value, minimumOrderMinor: settings.referral.friendDiscount.minimumOrderMinor } }
      : null,
  };
}

async function customerSummary(db: Database, program: LoadedProgram, view: CustomerView, shopDomain: string, lang: StorefrontLanguage, now: Date): Promise<StorefrontCustomer> {
  const rules = program.settings.tiers;
  const { customer, history, redemptions } = view;
  const balance = pointsBalance(view.balanceEntries, now);
  const amount = qualifyingAmount(view.standing, rules);
  const held = rules.levels.findIndex((tier) => tier.id === customer.tierId);
  const next = rules.levels.slice(held + 1).find((tier) => tier.threshold > amount) ?? null;
  const referralCode = await ensureReferralCode(db.pool, customer);
  return {
    firstName: customer.firstName ?? "",
    balance: balance.available,
    pending: balance.pending,
    tier: held >= 0 ? { id: rules.levels[held].id, name: rules.levels[held].name } : null,
    nextTier: next && { name: next.name, remaining: next.threshold - amount, progress: next.threshold > 0 ? Math.min(1, Math.max(0, amount / next.threshold)) : 1 },
    referralUrl: referralUrl(shopDomain, referralCode),
    history: history.map((row) => ({ at: row.occurredAt.toISOString(), points: row.points, kind: HISTORY_KIND[row.kind], description: describe(row, lang) })),
    rewardsIssued: redemptions
      .filter((redemption) => redemption.status === "issued")
      .map((redemption) => ({ code: redemption.code, title: rewardSchema.parse(redemption.rewardSnapshot).name, at: (redemption.issuedAt ?? redemption.createdAt).toISOString() })),
  };
}

const unknownShop = { ok: false as const, status: 404, code: "unknown_shop", message: "This shop does not use the rewards program." };

/** GET program: the program for everyone, and the logged-in customer's summary (`customerId` from Shopify's signature). */
export async function loadStorefrontProgram(input: { db: Database; shopDomain: string; customerId: string | null; locale?: string | null; now: Date }): Promise<Outcome<StorefrontProgram>> {
  const program = await loadProgramByDomain(input.db.pool, input.shopDomain);
  if (program === null) return unknownShop;
  const shopId = program.shopId;
  const lang = language(input.locale);
  const info = cachedProgramInfo(input.db, program, lang);
  let customer: StorefrontCustomer | null = null;
  if (input.customerId !== null) {
    const shopifyCustomerId = input.customerId;
    // A customer who has just signed up may ask before customers/create is processed: their record starts here.
    const readView = () => customerViewByShopifyId(input.db.pool, shopId, shopifyCustomerId, rollingWindowStart(input.now), { history: 20, redemptions: 10 });
    let view = await readView();
    if (!view) {
      await inTransaction(input.db.pool, (tx) =>
        upsertAndLockCustomer(tx, shopId, { shopifyCustomerId, email: null, firstName: null, lastName: null, phone: null, addresses: null, createdAt: null, updatedAt: null }),
      );
      view = (await readView())!;
    }
    customer = await customerSummary(input.db, program, view, input.shopDomain, lang, input.now);
  }
  return {
    ok: true,
    body: {
      locale: lang,
      texts: merchantTexts(program.settings.texts[lang], defaultProgramSettings(program.currencyCode).texts[lang]),
      program: await info,
      customer,
    },
  };
}

export interface StorefrontRedemption {
  code: string | null;
  title: string;
  balance: number;
  kind: string;
  creditedMinor?: number;
}

const REFUSALS: Record<RedemptionFailure, { status: number; code: string }> = {
  not_a_customer: { status: 404, code: "not_a_customer" },
  program_off: { status: 403, code: "program_off" },
  reward_unavailable: { status: 404, code: "reward_unavailable" },
  reward_archived: { status: 404, code: "reward_unavailable" },
  tier_restricted: { status: 403, code: "tier_restricted" },
  insufficient_points: { status: 409, code: "insufficient_points" },
  in_progress: { status: 409, code: "in_progress" },
  shopify_refused: { status: 503, code: "reward_not_created" },
};

/** POST redeem: the same concurrency-safe redemption as everywhere (redeemReward), in the contract's shape. */
export async function redeemForStorefront(input: {
  db: Database;
  admin: AdminClient;
  shopDomain: string;
  customerId: string;
  rewardId: string;
  now: Date;
  requestKey?: string;
}): Promise<Outcome<StorefrontRedemption>> {
  const shopId = await findShopId(input.db.pool, input.shopDomain);
  if (shopId === null) return unknownShop;
  const result = await redeemReward({ db: input.db, admin: input.admin, shopId, customerId: input.customerId, rewardId: input.rewardId, now: input.now, requestKey: input.requestKey });
  if (!result.ok) return { ok: false, ...REFUSALS[result.reason], message: result.message };
  const { code, title, balance, kind, creditedMinor } = result.redemption;
  return { ok: true, body: kind === "store_credit" ? { code, title, balance, kind, creditedMinor: creditedMinor ?? 0 } : { code, title, balance, kind } };
}
