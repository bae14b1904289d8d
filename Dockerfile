# syntax=docker/dockerfile:1
# Codex-Wrapper: build with dev dependencies, run with production ones only.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM node:20-bookworm-slim AS runtime
# Codex talks TLS to its model provider; commands it runs use bash (present in the base image).
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8000 \
    LOG_FORMAT=json \
    CODEX_HOME=/var/lib/codex-wrapper/codex-home \
    CODEX_WORKDIR=/var/lib/codex-wrapper/workdir \
    CODEX_DATA_DIR=/var/lib/codex-wrapper/data \
    PATH=/app/node_modules/.bin:$PATH
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force
COPY --from=build /app/dist ./dist
# Owned by the unprivileged `node` user (uid 1000) before the volumes are mounted, so new named
# volumes inherit the ownership.
RUN mkdir -p /var/lib/codex-wrapper/codex-home /var/lib/codex-wrapper/workdir /var/lib/codex-wrapper/data \
 && chown -R node:node /var/lib/codex-wrapper
USER node
VOLUME ["/var/lib/codex-wrapper/codex-home", "/var/lib/codex-wrapper/workdir", "/var/lib/codex-wrapper/data"]
EXPOSE 8000
# Liveness only: /readyz also needs Codex signed in, and a container that is not signed in yet
# should wait for `docker compose run --rm login`, not be restarted.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
STOPSIGNAL SIGTERM
CMD ["node", "dist/main.js"]
