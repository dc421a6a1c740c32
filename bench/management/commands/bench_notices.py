"""Throughput of the notification worker: `python manage.py bench_notices [--count N]`.

Queues N SMS (notices.services.notify; the commit that would wake the worker never
comes), then lets the worker (send_due, as the Celery task runs it) send them through the console backend and through the webhook backend
to a gateway on loopback, and prints messages per second of each. Everything happens in
one transaction that is rolled back at the end: the database is left as it was.
"""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test.utils import override_settings
from django.utils import timezone

from notices import services
from notices.models import Notification


class _Gateway(BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        answer = json.dumps({"ref": "ok"}).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Measure the notification worker's throughput (messages per second); changes nothing."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=2000, help="Messages per run (default 2000).")

    def handle(self, *args, count, **options):
        server = ThreadingHTTPServer(("127.0.0.1", 0), _Gateway)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_port}/sms"
        out = self.stdout.write
        out(f"Database: {connection.vendor}; {count} SMS per run, each to its own number; rolled back afterwards")
        try:
            with transaction.atomic():
                for backend, extra in (("console", {}), ("webhook", {"SMS_WEBHOOK_URL": url})):
                    # No quiet hours, no daily limit: the sending itself is measured, at any time of day.
                    limits = {"NOTICES_SMS_DAILY_LIMIT": count + 1, "NOTICES_QUIET_HOURS": (24, 0)}
                    with override_settings(SMS_BACKEND=backend, **limits, **extra):
                        self.run(backend, count, out)
                raise _Rollback
        except _Rollback:
            pass
        finally:
            server.shutdown()
            server.server_close()

    def run(self, backend, count, out):
        began = time.perf_counter()
        with transaction.atomic():
            for n in range(count):
                services.notify(
                    event="bench", key=f"bench:{backend}:{n}", channel="sms", to=f"199{n:08d}", template="bench",
                    text="您的微心愿已被认领。查看进度：http://127.0.0.1:8000/wishes/track/?code=ABCDEFGHJK",
                )
        queued = time.perf_counter() - began
        began = time.perf_counter()
        sent = 0
        while True:
            result = services.send_due(now=timezone.now(), limit=200)
            sent += result["sent"]
            if not any(result.values()):
                break
        took = time.perf_counter() - began
        left = Notification.objects.filter(key__startswith=f"bench:{backend}:").exclude(status="sent").count()
        out(f"- {backend}: queued {count / queued:,.0f} messages/s; sent {sent} at {sent / took:,.0f} messages/s ({took:.2f} s); not sent: {left}")
