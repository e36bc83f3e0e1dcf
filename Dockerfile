# uavwatch in a container: `docker compose up -d` (compose.yaml), or
#   docker build -t uavwatch . && docker run -d --env-file .env -v uavwatch-data:/data uavwatch
# Everything that must survive a new image lives in the /data volume: the database, the
# Telegram sessions and the nightly backups.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# A dedicated user with no login and no home of its own: the service runs as it.
RUN groupadd --system --gid 10001 uavwatch \
    && useradd --system --uid 10001 --gid uavwatch --home-dir /data --no-create-home \
       --shell /usr/sbin/nologin uavwatch \
    && install -d -m 0700 -o uavwatch -g uavwatch /data

# Only what the package needs (.dockerignore keeps tests, .env and databases out).
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
# The charts extra draws the digest's PNG; a plain install would send digests without it.
RUN pip install '.[charts]' && rm -rf /src

# Where the data goes, inside the volume. compose.yaml repeats these so that a .env
# copied from config.example.env (DB_PATH=./uavwatch.db ...) cannot point elsewhere.
ENV DB_PATH=/data/uavwatch.db \
    TG_SESSION=/data/watcher \
    BACKUP_DIR=/data/backups \
    MPLCONFIGDIR=/tmp/matplotlib

USER uavwatch
WORKDIR /data
VOLUME ["/data"]

# Unhealthy when a part failed or stopped writing heartbeats, or the database cannot be
# read (`uavwatch status --check`); Docker wants exactly 1 for unhealthy. The report is kept
# in `docker inspect` (State.Health.Log).
HEALTHCHECK --interval=5m --timeout=30s --start-period=2m --retries=3 \
    CMD uavwatch status --check || exit 1

# SIGTERM drains within 10 s (compose gives 20 s before SIGKILL).
STOPSIGNAL SIGTERM
ENTRYPOINT ["uavwatch"]
CMD ["run"]
