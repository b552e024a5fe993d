# syntax=docker/dockerfile:1
# Vaultflow's image: build in one stage, ship only the runtime tree in the next.
# The runtime tree is made by scripts/build-runtime-tree.sh, the same script the test
# suite uses to build and start that tree as an unprivileged user against PostgreSQL
# (tests/e2e/runtime-tree.test.ts), so the image and the test cannot drift apart.
# No secret is baked in: .dockerignore keeps every .env file out of the build context,
# and configuration comes from the container's environment (docker-compose.yml).

FROM node:22-slim AS build
WORKDIR /src
ENV NEXT_TELEMETRY_DISABLED=1
# Dependencies first, so a source change reuses this layer. --ignore-scripts: nothing
# downloads binaries at install; the Prisma client is generated offline right after.
COPY package.json package-lock.json ./
COPY prisma/schema.prisma prisma/schema.prisma
COPY scripts/prisma-generate.mjs scripts/prisma-generate.mjs
RUN npm ci --ignore-scripts --no-audit --no-fund && node scripts/prisma-generate.mjs
COPY . .
RUN NODE_ENV=production node node_modules/next/dist/bin/next build \
 && sh scripts/build-runtime-tree.sh /src /runtime

FROM node:22-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data \
    NEXT_TELEMETRY_DISABLED=1
# The app runs as its own unprivileged user; its code is root-owned and read-only to
# it, and the data folder (embedded database, generated secrets) is its only
# writable place.
RUN groupadd --system --gid 10001 vaultflow \
 && useradd --system --uid 10001 --gid vaultflow --create-home --home-dir /home/vaultflow --shell /usr/sbin/nologin vaultflow \
 && mkdir -p /data && chown vaultflow:vaultflow /data && chmod 0700 /data
WORKDIR /app
COPY --from=build /runtime /app
USER vaultflow:vaultflow
VOLUME /data
EXPOSE 3000
# Liveness only (the process answers); readiness is /api/health/ready. slim has no
# curl: Node's fetch does the request.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Migrations are applied at start; SIGTERM closes the server and the database cleanly.
CMD ["node", "--import", "tsx", "server.ts"]
