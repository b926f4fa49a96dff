"""gunicorn's settings for riskpath in production: `gunicorn -c deploy/gunicorn.conf.py`.

Every value can be changed from the environment the service runs with (docs/operations.md,
"Processes"). riskpath's pages are short synchronous requests against the database, so it
runs sync workers, a few per core; the worker and the scheduler, not the web servers, do
anything slow (e-mail, reminders, documents)."""

from __future__ import annotations

import multiprocessing
import os

wsgi_app = "riskpath.config.wsgi:application"
bind = os.environ.get("RISKPATH_BIND", "127.0.0.1:8000")
# gunicorn's usual rule, 2 * cores + 1, capped: each worker holds a database connection, and
# PostgreSQL's max_connections is shared by every application server (docs/operations.md).
workers = int(os.environ.get("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 9)))
worker_class = "sync"
# A page that takes longer than this is a fault to find, not to wait for; the worker is
# restarted and the request answered 502 by the proxy.
timeout = int(os.environ.get("RISKPATH_REQUEST_TIMEOUT", 30))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, so that memory one of them gathers is given back.
max_requests = 1000
max_requests_jitter = 100
# Only the TLS proxy in front may say which address a request came from (it matters for the
# sign-in and API rate limits).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# No access log: request lines carry query strings, and a search's query can be a child's name.
# riskpath logs its own request line, without the query string, as JSON on standard error.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# Requests with absurd request lines or headers are refused before they reach Django.
limit_request_line = 8190
limit_request_fields = 100
