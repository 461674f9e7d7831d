-- CreateExtension
CREATE EXTENSION IF NOT EXISTS "pg_trgm";

-- CreateIndex
CREATE INDEX "Customer_search_trgm_idx" ON "Customer" USING GIN ("email" gin_trgm_ops, "firstName" gin_trgm_ops, "lastName" gin_trgm_ops);

