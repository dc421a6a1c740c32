"""gunicorn settings of the portal: `gunicorn --config deploy/gunicorn.conf.py`.

Behind nginx (deploy/nginx/portal.conf) on the same host. Environment:
GUNICORN_BIND (default 127.0.0.1:8000), GUNICORN_FORWARDED_ALLOW_IPS (default 127.0.0.1), GUNICORN_WORKERS (default 2 x cores + 1,
at most 9), GUNICORN_TIMEOUT (seconds, default 60: the Word file of every unit's
feedback sheet takes a while on a big community), GUNICORN_MAX_REQUESTS (default
1000; 0: workers are never replaced).
"""

import multiprocessing
import os
from pathlib import Path

MAX_WORKERS = 9

chdir = str(Path(__file__).resolve().parent.parent)  # the project folder, whatever the caller's
wsgi_app = "config.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS") or min(2 * multiprocessing.cpu_count() + 1, MAX_WORKERS))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 60)
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests (0: never), a guard against slow leaks.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS") or 1000)
max_requests_jitter = 100

# Only nginx may say that a request came over https (X-Forwarded-Proto): on this host,
# or the proxy's address when app hosts sit behind one (GUNICORN_FORWARDED_ALLOW_IPS).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")

# Logs to stdout/stderr: the journal under systemd. The access log has the path
# without the query string, no referrer and no user agent (they can carry
# search terms and tracking codes); nginx logs the client's address.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
