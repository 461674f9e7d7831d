-- CreateTable
CREATE TABLE "ProgramReview" (
    "shopId" INTEGER NOT NULL,
    "section" TEXT NOT NULL,
    "staffUserId" TEXT,
    "reviewedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProgramReview_pkey" PRIMARY KEY ("shopId","section")
);

-- AddForeignKey
ALTER TABLE "ProgramReview" ADD CONSTRAINT "ProgramReview_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

