// Prisma's CLI here runs its bundled WebAssembly schema engine through a driver adapter, because its
// native engines cannot be downloaded on our machines (docs/decisions/001-postgres-and-prisma.md).
import { PrismaPg } from "@prisma/adapter-pg-cli";
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  experimental: { adapter: true },
  engine: "js",
  async adapter() {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set: run Prisma through `npm run db:*`, which starts the database");
    return new PrismaPg({ connectionString: url });
  },
});
