# Production image: gunicorn serves the app; the same image runs the Celery worker and beat.
# Build: docker build -t collaborative-commissioning .   (docker-compose.yml does this for you)
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint's system libraries (Pango, HarfBuzz and its subsetter) and a font for the PDFs.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz0b \
        libharfbuzz-subset0 \
        fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first, so that a code change does not reinstall them.
COPY requirements.lock ./
RUN pip install -r requirements.lock

COPY . .

# Static files are collected into the image (WhiteNoise serves them from STATIC_ROOT).
# DJANGO_DEBUG=false selects the manifest storage; the key exists only for this command.
RUN DJANGO_DEBUG=false \
    DJANGO_SECRET_KEY=build-only-collectstatic-key-not-used-at-runtime-0000000000 \
    python manage.py collectstatic --noinput

# A non-root user; the code stays root-owned (read-only to it), only var/ (MEDIA_ROOT) is
# writable.
RUN groupadd --system --gid 1000 app \
    && useradd --system --uid 1000 --gid app --create-home --home-dir /home/app app \
    && mkdir -p /app/var/media \
    && chown -R app:app /app/var

USER app

EXPOSE 8000

CMD ["gunicorn", "commissioning.wsgi:application", "--bind", "0.0.0.0:8000"]
