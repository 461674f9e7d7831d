-- CreateEnum
CREATE TYPE "LedgerEntryKind" AS ENUM ('order_earn', 'order_refund', 'order_cancel', 'action', 'redemption', 'redemption_reversal', 'expiry', 'adjustment', 'import');

-- CreateEnum
CREATE TYPE "RedemptionStatus" AS ENUM ('pending', 'issued', 'reversed');

-- CreateEnum
CREATE TYPE "ReferralStatus" AS ENUM ('pending', 'completed', 'refused');

-- CreateEnum
CREATE TYPE "LoyaltyEventKind" AS ENUM ('points_earned', 'reward_redeemed', 'tier_changed', 'points_expiring');

-- CreateTable
CREATE TABLE "LoyaltyProgram" (
    "shopId" INTEGER NOT NULL,
    "settings" JSONB NOT NULL,
    "timeZone" TEXT NOT NULL DEFAULT 'UTC',
    "version" INTEGER NOT NULL DEFAULT 1,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LoyaltyProgram_pkey" PRIMARY KEY ("shopId")
);

-- CreateTable
CREATE TABLE "Customer" (
    "id" BIGSERIAL NOT NULL,
    "shopId" INTEGER NOT NULL,
    "shopifyCustomerId" TEXT,
    "email" TEXT,
    "firstName" TEXT,
    "lastName" TEXT,
    "phone" TEXT,
    "addresses" JSONB,
    "birthdayMonth" INTEGER,
    "birthdayDay" INTEGER,
    "referralCode" TEXT,
    "tierId" TEXT,
    "tierSince" TIMESTAMPTZ(3),
    "pointsBalance" INTEGER NOT NULL DEFAULT 0,
    "lifetimeSpendMinor" BIGINT NOT NULL DEFAULT 0,
    "lastActivityAt" TIMESTAMPTZ(3),
    "lastExpiryReminderAt" TIMESTAMPTZ(3),
    "shopifyUpdatedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "redactedAt" TIMESTAMPTZ(3),
    "syncedTierId" TEXT,
    "syncedPointsBalance" INTEGER,
    "syncedAt" TIMESTAMPTZ(3),
    "syncDueAt" TIMESTAMPTZ(3),

    CONSTRAINT "Customer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LedgerEntry" (
    "id" BIGSERIAL NOT NULL,
    "shopId" INTEGER NOT NULL,
    "customerId" BIGINT NOT NULL,
    "kind" "LedgerEntryKind" NOT NULL,
    "points" INTEGER NOT NULL,
    "availableAt" TIMESTAMPTZ(3) NOT NULL,
    "occurredAt" TIMESTAMPTZ(3) NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "orderId" TEXT,
    "action" TEXT,
    "reason" TEXT,
    "staffUserId" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LedgerEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OrderPoints" (
    "shopId" INTEGER NOT NULL,
    "orderId" TEXT NOT NULL,
    "customerId" BIGINT,
    "state" JSONB NOT NULL,
    "postedPoints" INTEGER NOT NULL DEFAULT 0,
    "spendMinor" BIGINT NOT NULL DEFAULT 0,
    "paidAt" TIMESTAMPTZ(3),
    "taxesIncluded" BOOLEAN,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OrderPoints_pkey" PRIMARY KEY ("shopId","orderId")
);

-- CreateTable
CREATE TABLE "Reward" (
    "id" SERIAL NOT NULL,
    "shopId" INTEGER NOT NULL,
    "definition" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Reward_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Redemption" (
    "id" BIGSERIAL NOT NULL,
    "shopId" INTEGER NOT NULL,
    "customerId" BIGINT NOT NULL,
    "rewardId" INTEGER NOT NULL,
    "rewardSnapshot" JSONB NOT NULL,
    "pointsCost" INTEGER NOT NULL,
    "status" "RedemptionStatus" NOT NULL DEFAULT 'pending',
    "requestKey" TEXT NOT NULL,
    "code" TEXT,
    "shopifyDiscountId" TEXT,
    "creditedMinor" INTEGER,
    "currencyCode" TEXT NOT NULL,
    "expiresAt" TIMESTAMPTZ(3),
    "failure" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "issuedAt" TIMESTAMPTZ(3),
    "reversedAt" TIMESTAMPTZ(3),

    CONSTRAINT "Redemption_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Referral" (
    "id" BIGSERIAL NOT NULL,
    "shopId" INTEGER NOT NULL,
    "referrerId" BIGINT NOT NULL,
    "friendId" BIGINT NOT NULL,
    "status" "ReferralStatus" NOT NULL DEFAULT 'pending',
    "refusal" TEXT,
    "friendDiscountCode" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMPTZ(3),

    CONSTRAINT "Referral_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LoyaltyEvent" (
    "id" BIGSERIAL NOT NULL,
    "shopId" INTEGER NOT NULL,
    "customerId" BIGINT NOT NULL,
    "kind" "LoyaltyEventKind" NOT NULL,
    "payload" JSONB NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LoyaltyEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CustomerDataExport" (
    "id" BIGSERIAL NOT NULL,
    "shopId" INTEGER NOT NULL,
    "customerId" BIGINT,
    "shopifyCustomerId" TEXT NOT NULL,
    "requestId" TEXT NOT NULL,
    "document" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CustomerDataExport_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Customer_shopId_pointsBalance_idx" ON "Customer"("shopId", "pointsBalance");

-- CreateIndex
CREATE INDEX "Customer_shopId_lifetimeSpendMinor_idx" ON "Customer"("shopId", "lifetimeSpendMinor");

-- CreateIndex
CREATE INDEX "Customer_shopId_lastActivityAt_idx" ON "Customer"("shopId", "lastActivityAt");

-- CreateIndex
CREATE UNIQUE INDEX "Customer_shopId_shopifyCustomerId_key" ON "Customer"("shopId", "shopifyCustomerId");

-- CreateIndex
CREATE UNIQUE INDEX "Customer_shopId_referralCode_key" ON "Customer"("shopId", "referralCode");

-- CreateIndex
CREATE INDEX "LedgerEntry_customerId_id_idx" ON "LedgerEntry"("customerId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "LedgerEntry_shopId_idempotencyKey_key" ON "LedgerEntry"("shopId", "idempotencyKey");

-- CreateIndex
CREATE INDEX "OrderPoints_customerId_paidAt_idx" ON "OrderPoints"("customerId", "paidAt");

-- CreateIndex
CREATE INDEX "Reward_shopId_idx" ON "Reward"("shopId");

-- CreateIndex
CREATE INDEX "Redemption_customerId_createdAt_idx" ON "Redemption"("customerId", "createdAt");

-- CreateIndex
CREATE INDEX "Redemption_shopId_status_createdAt_idx" ON "Redemption"("shopId", "status", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Redemption_shopId_requestKey_key" ON "Redemption"("shopId", "requestKey");

-- CreateIndex
CREATE UNIQUE INDEX "Redemption_shopId_code_key" ON "Redemption"("shopId", "code");

-- CreateIndex
CREATE UNIQUE INDEX "Referral_friendId_key" ON "Referral"("friendId");

-- CreateIndex
CREATE INDEX "Referral_shopId_referrerId_idx" ON "Referral"("shopId", "referrerId");

-- CreateIndex
CREATE INDEX "LoyaltyEvent_shopId_id_idx" ON "LoyaltyEvent"("shopId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "CustomerDataExport_shopId_requestId_key" ON "CustomerDataExport"("shopId", "requestId");

-- AddForeignKey
ALTER TABLE "LoyaltyProgram" ADD CONSTRAINT "LoyaltyProgram_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Customer" ADD CONSTRAINT "Customer_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LedgerEntry" ADD CONSTRAINT "LedgerEntry_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LedgerEntry" ADD CONSTRAINT "LedgerEntry_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OrderPoints" ADD CONSTRAINT "OrderPoints_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OrderPoints" ADD CONSTRAINT "OrderPoints_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Reward" ADD CONSTRAINT "Reward_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Redemption" ADD CONSTRAINT "Redemption_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Redemption" ADD CONSTRAINT "Redemption_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Redemption" ADD CONSTRAINT "Redemption_rewardId_fkey" FOREIGN KEY ("rewardId") REFERENCES "Reward"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Referral" ADD CONSTRAINT "Referral_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Referral" ADD CONSTRAINT "Referral_referrerId_fkey" FOREIGN KEY ("referrerId") REFERENCES "Customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Referral" ADD CONSTRAINT "Referral_friendId_fkey" FOREIGN KEY ("friendId") REFERENCES "Customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LoyaltyEvent" ADD CONSTRAINT "LoyaltyEvent_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LoyaltyEvent" ADD CONSTRAINT "LoyaltyEvent_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CustomerDataExport" ADD CONSTRAINT "CustomerDataExport_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CustomerDataExport" ADD CONSTRAINT "CustomerDataExport_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- ---------------------------------------------------------------- written by hand
-- Prisma's migration runner splits a script at every semicolon, so the function bodies below are E'' strings
-- that write each semicolon as \x3B.

-- The ledger is append-only: no row is ever updated, and none is deleted except along with its customer or
-- shop (a cascade, which arrives here nested inside the foreign key's own trigger).
CREATE FUNCTION "loyalty_ledger_entry_frozen"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  IF TG_OP = ''DELETE'' AND pg_trigger_depth() > 1 THEN
    RETURN OLD\x3B
  END IF\x3B
  RAISE EXCEPTION ''LedgerEntry rows are append-only: post a correcting row instead''\x3B
END';
CREATE TRIGGER "LedgerEntry_append_only" BEFORE UPDATE OR DELETE ON "LedgerEntry"
  FOR EACH ROW EXECUTE FUNCTION "loyalty_ledger_entry_frozen"();

-- Customer.pointsBalance is the sum of the customer's ledger rows, kept by the inserting transaction.
CREATE FUNCTION "loyalty_ledger_entry_inserted"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  UPDATE "Customer" SET "pointsBalance" = "pointsBalance" + NEW."points" WHERE "id" = NEW."customerId"\x3B
  RETURN NULL\x3B
END';
CREATE TRIGGER "LedgerEntry_points_balance" AFTER INSERT ON "LedgerEntry"
  FOR EACH ROW EXECUTE FUNCTION "loyalty_ledger_entry_inserted"();

-- Customer.lifetimeSpendMinor is the sum of spendMinor over the customer's OrderPoints rows.
CREATE FUNCTION "loyalty_order_spend_changed"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  IF TG_OP = ''UPDATE'' AND OLD."customerId" IS NOT NULL THEN
    UPDATE "Customer" SET "lifetimeSpendMinor" = "lifetimeSpendMinor" - OLD."spendMinor" WHERE "id" = OLD."customerId"\x3B
  END IF\x3B
  IF NEW."customerId" IS NOT NULL THEN
    UPDATE "Customer" SET "lifetimeSpendMinor" = "lifetimeSpendMinor" + NEW."spendMinor" WHERE "id" = NEW."customerId"\x3B
  END IF\x3B
  RETURN NULL\x3B
END';
CREATE TRIGGER "OrderPoints_spend_inserted" AFTER INSERT ON "OrderPoints"
  FOR EACH ROW WHEN (NEW."spendMinor" <> 0) EXECUTE FUNCTION "loyalty_order_spend_changed"();
CREATE TRIGGER "OrderPoints_spend_updated" AFTER UPDATE OF "spendMinor", "customerId" ON "OrderPoints"
  FOR EACH ROW WHEN (OLD."spendMinor" IS DISTINCT FROM NEW."spendMinor" OR OLD."customerId" IS DISTINCT FROM NEW."customerId")
  EXECUTE FUNCTION "loyalty_order_spend_changed"();
