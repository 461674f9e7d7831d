-- CreateEnum
CREATE TYPE "SubscriptionContractStatus" AS ENUM ('ACTIVE', 'PAUSED', 'CANCELLED', 'EXPIRED', 'FAILED');

-- CreateEnum
CREATE TYPE "CancelAttemptStep" AS ENUM ('survey', 'offer', 'accepted', 'cancelled');

-- CreateTable
CREATE TABLE "SubscriptionContract" (
    "shopId" INTEGER NOT NULL,
    "contractId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "status" "SubscriptionContractStatus" NOT NULL,
    "currencyCode" TEXT NOT NULL,
    "billingInterval" TEXT NOT NULL,
    "billingIntervalCount" INTEGER NOT NULL,
    "deliveryInterval" TEXT NOT NULL,
    "deliveryIntervalCount" INTEGER NOT NULL,
    "nextBillingDate" TIMESTAMPTZ(3),
    "lines" JSONB NOT NULL DEFAULT '[]',
    "hasActiveDiscount" BOOLEAN NOT NULL DEFAULT false,
    "revisionId" DECIMAL(20,0) NOT NULL,
    "detailsSynced" BOOLEAN NOT NULL DEFAULT false,
    "startedAt" TIMESTAMPTZ(3),
    "pausedOn" TIMESTAMPTZ(3),
    "resumeOn" TIMESTAMPTZ(3),
    "reminderSentFor" TIMESTAMPTZ(3),
    "priceProtectedUntil" TIMESTAMPTZ(3),
    "syncedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "SubscriptionContract_pkey" PRIMARY KEY ("shopId","contractId")
);

-- CreateTable
CREATE TABLE "SubscriptionBillingAttempt" (
    "shopId" INTEGER NOT NULL,
    "attemptKey" TEXT NOT NULL,
    "contractId" TEXT NOT NULL,
    "succeeded" BOOLEAN NOT NULL,
    "errorCode" TEXT,
    "attemptedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "SubscriptionBillingAttempt_pkey" PRIMARY KEY ("shopId","attemptKey")
);

-- CreateTable
CREATE TABLE "SubscriberBillingRisk" (
    "shopId" INTEGER NOT NULL,
    "customerId" TEXT NOT NULL,
    "level" "ChurnRiskLevel",
    "consecutiveFailures" INTEGER NOT NULL,
    "failingSince" TIMESTAMPTZ(3),
    "contractId" TEXT,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "SubscriberBillingRisk_pkey" PRIMARY KEY ("shopId","customerId")
);

-- CreateTable
CREATE TABLE "CancelSaveSettings" (
    "shopId" INTEGER NOT NULL,
    "settings" JSONB NOT NULL,
    "membership" JSONB,
    "lastFormToken" TEXT,
    "updatedBy" TEXT,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "CancelSaveSettings_pkey" PRIMARY KEY ("shopId")
);

-- CreateTable
CREATE TABLE "CancelAttempt" (
    "id" TEXT NOT NULL,
    "shopId" INTEGER NOT NULL,
    "customerId" TEXT NOT NULL,
    "contractId" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "step" "CancelAttemptStep" NOT NULL,
    "reason" TEXT,
    "freeText" TEXT,
    "offer" JSONB,
    "offerKind" TEXT,
    "ruleId" TEXT,
    "noOfferBecause" TEXT,
    "passedOver" JSONB,
    "cancelledVia" TEXT,
    "priceMinor" INTEGER NOT NULL,
    "currencyCode" TEXT NOT NULL,
    "billingInterval" TEXT NOT NULL,
    "billingIntervalCount" INTEGER NOT NULL,
    "startedAt" TIMESTAMPTZ(3) NOT NULL,
    "acceptedAt" TIMESTAMPTZ(3),
    "cancelledAt" TIMESTAMPTZ(3),
    "busyUntil" TIMESTAMPTZ(3),
    "lastError" TEXT,

    CONSTRAINT "CancelAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PriceRise" (
    "id" SERIAL NOT NULL,
    "shopId" INTEGER NOT NULL,
    "variantId" TEXT NOT NULL,
    "newUnitPriceMinor" INTEGER NOT NULL,
    "currencyCode" TEXT NOT NULL,
    "effectiveOn" TIMESTAMPTZ(3) NOT NULL,
    "rule" JSONB NOT NULL,
    "createdBy" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "PriceRise_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ScheduledRepricing" (
    "id" SERIAL NOT NULL,
    "priceRiseId" INTEGER NOT NULL,
    "shopId" INTEGER NOT NULL,
    "customerId" TEXT NOT NULL,
    "contractId" TEXT NOT NULL,
    "lineId" TEXT NOT NULL,
    "fromUnitPriceMinor" INTEGER NOT NULL,
    "toUnitPriceMinor" INTEGER NOT NULL,
    "currencyCode" TEXT NOT NULL,
    "protectedBecause" TEXT[],
    "dueOn" TIMESTAMPTZ(3) NOT NULL,
    "appliedAt" TIMESTAMPTZ(3),
    "lastError" TEXT,

    CONSTRAINT "ScheduledRepricing_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SubscriptionContract_shopId_customerId_idx" ON "SubscriptionContract"("shopId", "customerId");

-- CreateIndex
CREATE INDEX "SubscriptionContract_shopId_status_resumeOn_idx" ON "SubscriptionContract"("shopId", "status", "resumeOn");

-- CreateIndex
CREATE INDEX "SubscriptionBillingAttempt_shopId_contractId_idx" ON "SubscriptionBillingAttempt"("shopId", "contractId");

-- CreateIndex
CREATE INDEX "SubscriberBillingRisk_shopId_level_idx" ON "SubscriberBillingRisk"("shopId", "level");

-- CreateIndex
CREATE INDEX "CancelAttempt_shopId_startedAt_idx" ON "CancelAttempt"("shopId", "startedAt");

-- CreateIndex
CREATE INDEX "CancelAttempt_shopId_customerId_acceptedAt_idx" ON "CancelAttempt"("shopId", "customerId", "acceptedAt");

-- CreateIndex
CREATE INDEX "CancelAttempt_shopId_contractId_idx" ON "CancelAttempt"("shopId", "contractId");

-- CreateIndex
CREATE INDEX "PriceRise_shopId_createdAt_idx" ON "PriceRise"("shopId", "createdAt");

-- CreateIndex
CREATE INDEX "ScheduledRepricing_shopId_dueOn_idx" ON "ScheduledRepricing"("shopId", "dueOn");

-- CreateIndex
CREATE UNIQUE INDEX "ScheduledRepricing_priceRiseId_contractId_lineId_key" ON "ScheduledRepricing"("priceRiseId", "contractId", "lineId");

-- AddForeignKey
ALTER TABLE "SubscriptionContract" ADD CONSTRAINT "SubscriptionContract_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SubscriptionBillingAttempt" ADD CONSTRAINT "SubscriptionBillingAttempt_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SubscriberBillingRisk" ADD CONSTRAINT "SubscriberBillingRisk_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CancelSaveSettings" ADD CONSTRAINT "CancelSaveSettings_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CancelAttempt" ADD CONSTRAINT "CancelAttempt_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PriceRise" ADD CONSTRAINT "PriceRise_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScheduledRepricing" ADD CONSTRAINT "ScheduledRepricing_priceRiseId_fkey" FOREIGN KEY ("priceRiseId") REFERENCES "PriceRise"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScheduledRepricing" ADD CONSTRAINT "ScheduledRepricing_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

