# Retention Engine: one image for every role (docs/deployment.md).
#   web:      docker run IMAGE                                   (node --import tsx server.ts, port 3000)
#   worker:   docker run IMAGE node --import tsx worker.ts
#   migrate:  docker run IMAGE npm run db:migrate                (once per release, before the new web/workers)
# Every role needs DATABASE_URL and the Shopify variables; nothing is baked into the image.
#
# Shaped like Shopify's Remix app template, with three differences this repository needs:
# - node:20-slim (Debian, glibc) rather than alpine: the lock file's native packages (esbuild, rollup, the
#   embedded PostgreSQL used by the demo) are the glibc builds the project is developed and tested on.
# - `npm ci` with dev dependencies, not `--omit=dev`: the postinstall generates the Prisma client with the
#   Prisma CLI and tsx (both devDependencies), the processes run TypeScript entry points through tsx, and
#   `npm run db:migrate` runs the Prisma CLI. `--omit=dev` would fail in the postinstall.
# - the processes are started with node itself (tsx as a loader), not `npm start`: SIGTERM then reaches the
#   process that drains its connections, and no extra npm/tsx parent sits in between.

FROM node:20-slim AS build
WORKDIR /app
ENV CI=1
# The postinstall (`tsx scripts/db.ts generate`) reads the schema and the Prisma config.
COPY package.json package-lock.json prisma.config.ts tsconfig.json ./
COPY prisma ./prisma
COPY scripts ./scripts
RUN npm ci --no-audit --no-fund && npm cache clean --force
COPY . .
RUN npm run build

FROM node:20-slim
WORKDIR /app
ENV NODE_ENV=production \
    PORT=3000
COPY --from=build --chown=node:node /app /app
USER node
EXPOSE 3000
CMD ["node", "--import", "tsx", "server.ts"]
