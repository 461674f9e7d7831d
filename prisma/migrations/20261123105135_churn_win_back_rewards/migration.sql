-- AlterEnum
ALTER TYPE "WinBackIncentive" ADD VALUE 'reward';

-- AlterTable
ALTER TABLE "WinBackCampaign" ADD COLUMN     "rewardId" TEXT,
ADD COLUMN     "valuePer100PointsMinor" INTEGER;

-- AlterTable
ALTER TABLE "WinBackMember" ADD COLUMN     "issuedCostMinor" INTEGER;

