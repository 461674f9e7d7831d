-- CreateIndex
CREATE INDEX "LedgerEntry_shopId_occurredAt_idx" ON "LedgerEntry"("shopId", "occurredAt");

