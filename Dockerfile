# zs-server image (operations.md "TLS and deployment"). Build: docker build -t zs-server .
# The build stage runs deploy/build-image.sh, which CI runs too (deploy/check-image.sh).
FROM node:20-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ libsqlite3-dev \
 && rm -rf /var/lib/apt/lists/* \
 && npm install -g pnpm@10.34.9
WORKDIR /src
COPY . .
RUN bash deploy/build-image.sh /app

FROM node:20-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends libsqlite3-0 \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system zs && useradd --system --gid zs --home-dir /var/lib/zs --create-home zs
COPY --from=build --chown=root:root /app /app
USER zs
WORKDIR /var/lib/zs
ENV NODE_ENV=production \
    ZS_HOST=0.0.0.0 \
    ZS_PORT=8237 \
    ZS_DATA_DIR=/var/lib/zs
VOLUME ["/var/lib/zs"]
EXPOSE 8237
# Liveness only: readiness (/health/ready) is for the load balancer, not for restarting the container.
# With ZS_TLS_* set, probe https (the image trusts no private CA: -k is for this loopback probe only).
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "const u=(process.env.ZS_TLS_CERT_FILE?'https':'http')+'://127.0.0.1:'+(process.env.ZS_PORT||8237)+'/health/live';if(u.startsWith('https'))process.env.NODE_TLS_REJECT_UNAUTHORIZED='0';fetch(u).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM drains requests (ZS_SHUTDOWN_TIMEOUT, default 10s; keep docker's stop timeout above it).
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "/app/dist/zs-server.js"]
