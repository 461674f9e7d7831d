-- CreateTable
CREATE TABLE "AdminSubmission" (
    "shopId" INTEGER NOT NULL,
    "token" TEXT NOT NULL,
    "createdId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AdminSubmission_pkey" PRIMARY KEY ("shopId","token")
);

-- AddForeignKey
ALTER TABLE "AdminSubmission" ADD CONSTRAINT "AdminSubmission_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

