# One image for the web server, the Celery worker and Celery beat (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    UV_NO_CACHE=1

WORKDIR /app

# Dependencies first, so that a code change does not reinstall them.
RUN pip install uv==0.13.9
COPY pyproject.toml ./
RUN uv pip install --system --compile-bytecode -r pyproject.toml
# msgfmt compiles the interface's message catalogues below.
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*

COPY . .

# Static files are collected into the image (served by WhiteNoise). The key is a build-time
# dummy: the settings refuse to start without one when DEBUG is off; the real key comes
# from the environment at run time.
RUN DEBUG=false SECRET_KEY=build-time-dummy-key-never-used-at-run-time-0123456789 \
    python manage.py collectstatic --noinput --verbosity 0 \
    && python manage.py compilemessages --verbosity 0

RUN useradd --system --uid 10001 --user-group --home-dir /app --no-create-home app
USER app

EXPOSE 8000
CMD ["gunicorn", "tan_tracker.wsgi:application", "-b", "0.0.0.0:8000", "-w", "2"]
