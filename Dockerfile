# One image for every process. By default it runs the product: `npm start`'s entry, which reads CWX_ROLE
# (control-plane by default, or worker) in fleet mode (DATABASE_URL and AMQP_URL set), or local mode
# without them. The simulator and the demo data generator are other commands of the same image (see
# docker-compose.yml). Compiled at build time: the runtime image holds dist/ and production
# dependencies only, and starts with plain `node` (no compiler, no build step).
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:24-bookworm-slim
# Listen on every interface inside the container (the defaults, 127.0.0.1, suit a developer's machine);
# data and the platform's data folder under /data (a volume in docker-compose.yml).
ENV NODE_ENV=production \
    HTTP_HOST=0.0.0.0 \
    WORKER_HTTP_HOST=0.0.0.0 \
    CW_SIM_HOST=0.0.0.0 \
    LOCAL_DATA_DIR=/data \
    PLATFORM_DATA_DIR=/data/platform
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/libs/persistence/migrations ./libs/persistence/migrations
# /data belongs to the unprivileged user, so a fresh named volume mounted there does too.
RUN mkdir -p /data/platform && chown -R node:node /data
USER node
# 3000: the control plane (API, /docs, /console, /metrics); 3100: a worker's health and metrics; 4010: the simulator.
EXPOSE 3000 3100 4010
HEALTHCHECK --interval=10s --timeout=6s --start-period=60s --retries=6 CMD ["node", "dist/scripts/healthcheck.js"]
CMD ["node", "dist/scripts/start.js"]
