# skinbridge image: TypeScript compiled to JavaScript in a build stage, run by plain Node 24 in
# the runtime stage with production dependencies only (no tsx, esbuild, typescript, sandbox or
# demo). test/shipping/production-stage.test.ts rehearses the runtime stage without an engine.

ARG NODE_IMAGE=node:24-bookworm-slim

# Build: every dependency from the lockfile, then tsc into dist/ (type errors fail the build).
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY commands ./commands
COPY locales ./locales
COPY scripts/register-commands.ts ./scripts/register-commands.ts
RUN npm run build

# Production dependencies only, from the same lockfile.
# i18next lists typescript as an optional peer, so npm keeps the root's dev copy of it
# (lockfile: devOptional); nothing loads it at run time, and it is a quarter of the size.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund \
 && rm -rf node_modules/typescript node_modules/.bin/tsc node_modules/.bin/tsserver

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
# Everything stays owned by root: the process, running as `node`, can read its code but not
# change it.
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
USER node
EXPOSE 8080
# main.js drains callbacks and DM sends on SIGTERM; give it the 25 s it allows itself before
# the engine's SIGKILL (compose: stop_grace_period).
STOPSIGNAL SIGTERM
# Liveness, not readiness: an AssetPay or Discord outage must not get the container restarted.
# No curl in the slim image: node's own fetch. HTTP_PORT is the port main.js listens on.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.HTTP_PORT || 8080}/livez`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node itself, not npm or a shell, so the engine's SIGTERM reaches main.js's handler.
CMD ["node", "--enable-source-maps", "dist/src/main.js"]
