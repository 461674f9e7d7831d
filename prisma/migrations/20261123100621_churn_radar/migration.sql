-- CreateEnum
CREATE TYPE "ChurnRiskLevel" AS ENUM ('low', 'medium', 'high');

-- CreateEnum
CREATE TYPE "ChurnRunStatus" AS ENUM ('queued', 'running', 'succeeded', 'failed');

-- CreateEnum
CREATE TYPE "WinBackIncentive" AS ENUM ('discount_percentage', 'discount_amount', 'bonus_points');

-- CreateEnum
CREATE TYPE "WinBackStatus" AS ENUM ('launching', 'active', 'failed');

-- CreateEnum
CREATE TYPE "WinBackGroup" AS ENUM ('treated', 'holdout');

-- CreateEnum
CREATE TYPE "FeedbackKind" AS ENUM ('nps', 'csat');

-- CreateEnum
CREATE TYPE "FollowUpStatus" AS ENUM ('open', 'contacted', 'resolved');

-- CreateEnum
CREATE TYPE "MomentKind" AS ENUM ('birthday', 'anniversary');

-- CreateTable
CREATE TABLE "CustomerOrder" (
    "shopId" INTEGER NOT NULL,
    "orderId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "orderedAt" TIMESTAMPTZ(3) NOT NULL,
    "amountMinor" INTEGER NOT NULL,
    "currencyCode" TEXT NOT NULL,
    "discountMinor" INTEGER NOT NULL DEFAULT 0,
    "discountCodes" TEXT[],
    "cancelledAt" TIMESTAMPTZ(3),

    CONSTRAINT "CustomerOrder_pkey" PRIMARY KEY ("shopId","orderId")
);

-- CreateTable
CREATE TABLE "CustomerOrderRefund" (
    "shopId" INTEGER NOT NULL,
    "refundId" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "amountMinor" INTEGER NOT NULL,
    "refundedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "CustomerOrderRefund_pkey" PRIMARY KEY ("shopId","refundId")
);

-- CreateTable
CREATE TABLE "ChurnSettings" (
    "shopId" INTEGER NOT NULL,
    "settings" JSONB NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ChurnSettings_pkey" PRIMARY KEY ("shopId")
);

-- CreateTable
CREATE TABLE "ChurnRun" (
    "id" SERIAL NOT NULL,
    "shopId" INTEGER NOT NULL,
    "trigger" TEXT NOT NULL,
    "status" "ChurnRunStatus" NOT NULL DEFAULT 'queued',
    "stage" TEXT,
    "processed" INTEGER NOT NULL DEFAULT 0,
    "total" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "requestedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMPTZ(3),
    "finishedAt" TIMESTAMPTZ(3),
    "timeUnit" TEXT,
    "bgNbd" JSONB,
    "gammaGamma" JSONB,
    "customers" INTEGER,
    "metrics" JSONB,
    "timings" JSONB,

    CONSTRAINT "ChurnRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CustomerChurnScore" (
    "shopId" INTEGER NOT NULL,
    "customerId" TEXT NOT NULL,
    "runId" INTEGER NOT NULL,
    "orders" INTEGER NOT NULL,
    "spentMinor" INTEGER NOT NULL,
    "firstOrderAt" TIMESTAMPTZ(3) NOT NULL,
    "lastOrderAt" TIMESTAMPTZ(3) NOT NULL,
    "frequency" INTEGER NOT NULL,
    "recencyDays" INTEGER NOT NULL,
    "ageDays" INTEGER NOT NULL,
    "probabilityAlive" DOUBLE PRECISION NOT NULL,
    "expectedPurchases90d" DOUBLE PRECISION NOT NULL,
    "lifetimeValueMinor" INTEGER,
    "riskLevel" "ChurnRiskLevel" NOT NULL,
    "riskReasons" TEXT[],
    "segment" TEXT NOT NULL,
    "rfmRecency" INTEGER NOT NULL,
    "rfmFrequency" INTEGER NOT NULL,
    "rfmMonetary" INTEGER NOT NULL,
    "scoredAt" TIMESTAMPTZ(3) NOT NULL,
    "syncedRiskLevel" "ChurnRiskLevel",
    "syncedSegment" TEXT,
    "syncedAt" TIMESTAMPTZ(3),

    CONSTRAINT "CustomerChurnScore_pkey" PRIMARY KEY ("shopId","customerId")
);

-- CreateTable
CREATE TABLE "WinBackCampaign" (
    "id" SERIAL NOT NULL,
    "shopId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "segment" TEXT,
    "riskLevel" "ChurnRiskLevel",
    "incentive" "WinBackIncentive" NOT NULL,
    "incentiveValue" INTEGER NOT NULL,
    "holdoutPercent" INTEGER NOT NULL DEFAULT 10,
    "measureDays" INTEGER NOT NULL DEFAULT 30,
    "status" "WinBackStatus" NOT NULL DEFAULT 'launching',
    "error" TEXT,
    "createdBy" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "launchedAt" TIMESTAMPTZ(3),

    CONSTRAINT "WinBackCampaign_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WinBackMember" (
    "campaignId" INTEGER NOT NULL,
    "shopId" INTEGER NOT NULL,
    "customerId" TEXT NOT NULL,
    "group" "WinBackGroup" NOT NULL,
    "discountCode" TEXT,
    "pointsAwarded" INTEGER,
    "treatedAt" TIMESTAMPTZ(3),
    "lastError" TEXT,

    CONSTRAINT "WinBackMember_pkey" PRIMARY KEY ("campaignId","customerId")
);

-- CreateTable
CREATE TABLE "FeedbackResponse" (
    "id" SERIAL NOT NULL,
    "shopId" INTEGER NOT NULL,
    "customerId" TEXT NOT NULL,
    "kind" "FeedbackKind" NOT NULL,
    "orderId" TEXT NOT NULL DEFAULT '',
    "score" INTEGER NOT NULL,
    "comment" TEXT,
    "answeredAt" TIMESTAMPTZ(3) NOT NULL,
    "followUp" "FollowUpStatus",
    "followUpNote" TEXT,
    "followUpBy" TEXT,
    "followUpAt" TIMESTAMPTZ(3),

    CONSTRAINT "FeedbackResponse_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CustomerMoment" (
    "shopId" INTEGER NOT NULL,
    "customerId" TEXT NOT NULL,
    "kind" "MomentKind" NOT NULL,
    "year" INTEGER NOT NULL,
    "triggeredAt" TIMESTAMPTZ(3) NOT NULL,
    "rewardCode" TEXT,

    CONSTRAINT "CustomerMoment_pkey" PRIMARY KEY ("shopId","customerId","kind","year")
);

-- CreateIndex
CREATE INDEX "CustomerOrder_shopId_customerId_orderedAt_idx" ON "CustomerOrder"("shopId", "customerId", "orderedAt");

-- CreateIndex
CREATE INDEX "CustomerOrder_shopId_orderedAt_idx" ON "CustomerOrder"("shopId", "orderedAt");

-- CreateIndex
CREATE INDEX "CustomerOrderRefund_shopId_orderId_idx" ON "CustomerOrderRefund"("shopId", "orderId");

-- CreateIndex
CREATE INDEX "ChurnRun_shopId_requestedAt_idx" ON "ChurnRun"("shopId", "requestedAt");

-- CreateIndex
CREATE INDEX "CustomerChurnScore_shopId_riskLevel_idx" ON "CustomerChurnScore"("shopId", "riskLevel");

-- CreateIndex
CREATE INDEX "CustomerChurnScore_shopId_segment_idx" ON "CustomerChurnScore"("shopId", "segment");

-- CreateIndex
CREATE INDEX "WinBackCampaign_shopId_createdAt_idx" ON "WinBackCampaign"("shopId", "createdAt");

-- CreateIndex
CREATE INDEX "WinBackMember_shopId_customerId_idx" ON "WinBackMember"("shopId", "customerId");

-- CreateIndex
CREATE INDEX "FeedbackResponse_shopId_answeredAt_idx" ON "FeedbackResponse"("shopId", "answeredAt");

-- CreateIndex
CREATE UNIQUE INDEX "FeedbackResponse_shopId_customerId_kind_orderId_key" ON "FeedbackResponse"("shopId", "customerId", "kind", "orderId");

-- AddForeignKey
ALTER TABLE "CustomerOrder" ADD CONSTRAINT "CustomerOrder_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CustomerOrderRefund" ADD CONSTRAINT "CustomerOrderRefund_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChurnSettings" ADD CONSTRAINT "ChurnSettings_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChurnRun" ADD CONSTRAINT "ChurnRun_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CustomerChurnScore" ADD CONSTRAINT "CustomerChurnScore_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WinBackCampaign" ADD CONSTRAINT "WinBackCampaign_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WinBackMember" ADD CONSTRAINT "WinBackMember_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "WinBackCampaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WinBackMember" ADD CONSTRAINT "WinBackMember_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FeedbackResponse" ADD CONSTRAINT "FeedbackResponse_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CustomerMoment" ADD CONSTRAINT "CustomerMoment_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

