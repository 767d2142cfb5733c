# Vigil as a container: `docker build -t vigil .` then see docker-compose.yml.
# A slim Python base, dependencies in a virtual environment, a non-root user, and a
# HEALTHCHECK on /healthz (served by `vigil run` on VIGIL_HTTP_PORT).
ARG PYTHON_IMAGE=python:3.11-slim
FROM ${PYTHON_IMAGE}

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PATH=/opt/vigil/bin:$PATH

WORKDIR /src
COPY pyproject.toml README.md ./
COPY engine ./engine
COPY storage ./storage
COPY bot ./bot
COPY adapters ./adapters
RUN python3 -m venv /opt/vigil \
    && /opt/vigil/bin/pip install --no-cache-dir . \
    && useradd --create-home --uid 10001 --shell /usr/sbin/nologin vigil \
    && mkdir -p /data \
    && chown 10001:10001 /data

USER 10001:10001
WORKDIR /data
# The embedded SQLite database lives in the /data volume unless VIGIL_DATABASE_URL says
# otherwise (docker-compose.yml points it at PostgreSQL). JSON logs suit log collectors.
ENV VIGIL_DATABASE_URL=sqlite:////data/vigil.db \
    VIGIL_HTTP_PORT=3000 \
    VIGIL_LOG_FORMAT=json
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python3", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('VIGIL_HTTP_PORT', '3000'), timeout=4)"]
# SIGTERM stops Vigil within seconds (platform connections included).
STOPSIGNAL SIGTERM
ENTRYPOINT ["vigil"]
CMD ["run"]
