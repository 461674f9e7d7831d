/**
 * The real CDNOW purchase history (reference/cdnow/CDNOW_master.txt) as orders for the demo shop:
 * one row, one paid order; dates shifted so the last purchase lands shortly before `now`.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { OrderSpec } from "../fake-shopify/webhook-samples";

export const CDNOW_MASTER = resolve(process.env.CDNOW_DIR ?? "reference/cdnow", "CDNOW_master.txt");

export interface CdnowPurchase {
  customer: number;
  /** UTC midnight of the purchase day. */
  date: Date;
  cds: number;
  amountMinor: number;
}

export function readCdnowPurchases(path = CDNOW_MASTER): CdnowPurchase[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => /^\s*\d/.test(line)) // skips the header line
    .map((line) => {
      const [customer, ymd, cds, dollars] = line.trim().split(/\s+/);
      return {
        customer: Number(customer),
        date: new Date(Date.UTC(Number(ymd.slice(0, 4)), Number(ymd.slice(4, 6)) - 1, Number(ymd.slice(6, 8)))),
        cds: Number(cds),
        amountMinor: Math.round(Number(dollars) * 100),
      };
    });
}

const FIRST_NAMES = ["Ann", "Ben", "Carla", "Dmitri", "Eeva", "Filip", "Grace", "Hanna", "Ivan", "Julia", "Kai", "Lena", "Marek", "Nina", "Olli", "Paula"];
const LAST_NAMES = ["Nowak", "Smith", "Ivanova", "Virtanen", "Kowalski", "Brown", "Petrov", "Korhonen", "Wiśniewska", "Jones", "Sokolov", "Mäkinen"];

export const CDNOW_CUSTOMER_ID_BASE = 7_000_000_000;
export const CDNOW_ORDER_ID_BASE = 5_000_000_000;

export function cdnowCustomer(customer: number) {
  return {
    customerId: CDNOW_CUSTOMER_ID_BASE + customer,
    email: `cdnow.${customer}@example.com`,
    firstName: FIRST_NAMES[customer % FIRST_NAMES.length],
    lastName: LAST_NAMES[Math.floor(customer / FIRST_NAMES.length) % LAST_NAMES.length],
  };
}

/** Orders in purchase order, dates shifted so the last purchase is one day before `now`. */
export function cdnowOrders(purchases: CdnowPurchase[], now: Date): OrderSpec[] {
  const last = Math.max(...purchases.map((p) => p.date.getTime()));
  const shift = now.getTime() - 86_400_000 - last;
  return purchases
    .map((p, index) => ({ p, index }))
    .sort((x, y) => x.p.date.getTime() - y.p.date.getTime() || x.index - y.index)
    .map(({ p, index }) => ({
      orderId: CDNOW_ORDER_ID_BASE + index + 1,
      ...cdnowCustomer(p.customer),
      // Spread the day's orders over working hours so they do not all share one timestamp.
      createdAt: new Date(p.date.getTime() + shift + 9 * 3_600_000 + ((index * 7919) % (10 * 3_600_000))),
      subtotalMinor: p.amountMinor,
      quantity: Math.max(1, p.cds),
    }));
}
