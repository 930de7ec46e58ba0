"""gunicorn settings for serving the dashboard (`gunicorn app:server` reads this file from the working directory).

Every value can be overridden on the command line or with the environment variable named beside it."""

import os

# The app is CPU-bound Python: one or two workers per core. Each worker holds its own read-only snapshot of the
# warehouse and its own caches (`bench/load.py` prints their memory).
workers = int(os.environ.get("MISSION_WORKERS", "2"))
# Two threads per worker: a slow request (a first PNG export) does not hold the whole worker, and CPU-bound
# requests do not fight over the interpreter lock as they do with more (measured with bench/app_latency.py, 8 busy
# clients on 2 cores: 161 requests/s with 1 thread, 152 with 2, 136 with 4; bench/load.py p95 was lowest with 2).
threads = int(os.environ.get("MISSION_THREADS", "2"))
worker_class = "gthread"
bind = os.environ.get("MISSION_BIND", "127.0.0.1:8050")  # behind a reverse proxy: never exposed directly
# A request that takes longer than this is stuck (the slowest answer is a first PNG, about 2 s): the worker is
# replaced. Briefs run as background jobs and are not bound by it.
timeout = int(os.environ.get("MISSION_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Workers are recycled after this many requests (with jitter, so they do not all restart at once): caches and the
# headless browser used for PNGs start fresh, and slow leaks cannot accumulate.
max_requests = int(os.environ.get("MISSION_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# Request lines and headers larger than this are refused (414/400) before they reach the app.
limit_request_line = 8190
limit_request_fields = 100
accesslog = os.environ.get("MISSION_ACCESS_LOG")  # e.g. "-" for standard output; the proxy usually logs requests
errorlog = "-"
loglevel = os.environ.get("MISSION_LOG_LEVEL", "info")
# gunicorn believes X-Forwarded-Proto only from these addresses: the reverse proxy's.
forwarded_allow_ips = os.environ.get("MISSION_FORWARDED_ALLOW_IPS", "127.0.0.1")
