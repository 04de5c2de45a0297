# skinbridge image: the TypeScript sources run as they are through tsx (a production
# dependency), so there is no compile stage; the deps stage exists to keep npm's cache, the
# lockfile churn and anything only installing needs out of the image.
# Verified without a Docker engine by `npx tsx scripts/verify-shipping.ts` (test/shipping/).

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# `npm install`, not `npm ci`: the lockfile is written by npm 11, which leaves out other
# platforms' optional packages that `npm ci` then refuses to do without.
# i18next lists typescript as an optional peer, so npm keeps the root's dev copy of it
# (lockfile: devOptional); nothing loads it at run time, and it is a quarter of the size.
RUN npm install --omit=dev --no-audit --no-fund \
 && rm -rf node_modules/typescript node_modules/.bin/tsc node_modules/.bin/tsserver

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
# Everything stays owned by root: the process, running as `node`, can read its code but not
# change it. tsx keeps its transform cache in /tmp, which `node` may write.
COPY --from=deps /app/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY src ./src
COPY commands ./commands
COPY locales ./locales
USER node
EXPOSE 8080
# main.ts drains callbacks and DM sends on SIGTERM; give it the 25 s it allows itself before
# the engine's SIGKILL (compose: stop_grace_period).
STOPSIGNAL SIGTERM
# No curl in the slim image: node's own fetch. HTTP_PORT is the port main.ts listens on.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.HTTP_PORT || 8080}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node itself, not npm or a shell, so the engine's SIGTERM reaches main.ts's handler.
CMD ["node", "--import", "tsx", "src/main.ts"]
