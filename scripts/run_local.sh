#!/usr/bin/env bash
# Serve the app on 127.0.0.1:8000 with an embedded Celery worker (and beat) beside it.
# The worker uses the filesystem broker in var/celery/: no Redis or other server needed.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p var/celery/queue var/celery/processed
.venv/bin/celery -A commissioning worker --beat --pool=solo --loglevel=INFO \
  --logfile=var/celery/worker.log &
worker=$!
trap 'kill "$worker" 2>/dev/null || true' EXIT INT TERM
echo "Celery worker (with beat) running, log in var/celery/worker.log"
.venv/bin/python manage.py runserver "${RUN_ADDRESS:-127.0.0.1:8000}"
