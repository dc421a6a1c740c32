"""Requests per second under gunicorn, driven by wrk, on the loopback interface only.

gunicorn runs with the project's deploy/gunicorn.conf.py, 2 workers that are never
replaced during the run (GUNICORN_MAX_REQUESTS=0), DEBUG off, a
secret key generated for the run, no https redirect (plain http on 127.0.0.1),
on the first free port of 8320-8329, against the current database. Signed-in
pages get the session cookie of a session made for the run (with the same
secret key), passed to wrk with -H. /healthz is measured before and after the
pages, and each page's rate is given as a fraction of /healthz's mean.
"""

import dataclasses
import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
PORTS = range(8320, 8330)


@dataclasses.dataclass
class Rate:
    label: str
    path: str
    rps: float
    latency: str
    errors: int
    ratio: float = 0.0


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("No free port in 8320-8329.")


def wrk_path() -> str | None:
    return shutil.which("wrk")


class Gunicorn:
    """gunicorn in the background for the duration of a `with` block."""

    def __init__(self, secret_key: str, workers: int = 2, log_path: Path | None = None):
        self.port = free_port()
        self.secret_key = secret_key
        self.workers = workers
        self.log_path = log_path or Path(os.environ.get("TMPDIR", "/tmp")) / f"bench-gunicorn-{self.port}.log"
        self.process = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        env = {
            **os.environ,
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": self.secret_key,
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "GUNICORN_WORKERS": str(self.workers),
            "GUNICORN_LOG_LEVEL": "warning",
            # Steady state: with max_requests (1000 in production) a worker serving
            # /healthz at 350 requests a second would be replaced every 3 s, and
            # the new one's start (importing Django) would count against the page.
            "GUNICORN_MAX_REQUESTS": "0",
        }
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", str(BASE_DIR / "deploy" / "gunicorn.conf.py"), "--access-logfile", "/dev/null"],
            cwd=BASE_DIR, env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped at once; see {self.log_path}")
            try:
                if get(self.port, "/healthz")[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        self.__exit__()
        raise RuntimeError(f"gunicorn did not answer within 30 s; see {self.log_path}")

    def __exit__(self, *exc):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()  # the master stops its workers
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def get(port: int, path: str, cookie: str = "") -> tuple[int, str, int]:
    """(status, Location, body size) of one GET."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = conn.getresponse()
        body = response.read()
        return response.status, response.getheader("Location", ""), len(body)
    finally:
        conn.close()


def parse_wrk(output: str) -> tuple[float, str, int]:
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latency = re.search(r"Latency\s+(\S+)", output).group(1)
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses:\s+(\d+)", output))
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    if socket_errors:
        errors += int(socket_errors.group(1)) + int(socket_errors.group(4))
    return rps, latency, errors


def run_wrk(server: Gunicorn, label: str, path: str, cookie: str, seconds: int, connections: int) -> Rate:
    status, location, _ = get(server.port, path, cookie)
    if status != 200:
        raise RuntimeError(f"{path} answered {status} {location} under gunicorn (expected 200)")
    command = [wrk_path(), "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(command + [server.base + path], capture_output=True, text=True, check=True).stdout
    rps, latency, errors = parse_wrk(output)
    return Rate(label, path, rps, latency, errors)


def run_load(pages: list[tuple[str, str, str]], secret_key: str, seconds: int = 5, connections: int = 4, log=print):
    """`pages`: (label, path, cookie). Returns the rates, /healthz first and last."""
    rates = []
    with Gunicorn(secret_key) as server:
        log(f"  gunicorn on {server.base}, 2 workers; wrk -t1 -c{connections} -d{seconds}s per page")
        # Warm up each worker (imports, template caches, the figures cache).
        for _, path, cookie in pages:
            for _ in range(4):
                get(server.port, path, cookie)
        rates.append(run_wrk(server, "/healthz", "/healthz", "", seconds, connections))
        for label, path, cookie in pages:
            rates.append(run_wrk(server, label, path, cookie, seconds, connections))
        rates.append(run_wrk(server, "/healthz (again)", "/healthz", "", seconds, connections))
    health = (rates[0].rps + rates[-1].rps) / 2
    for rate in rates:
        rate.ratio = rate.rps / health if health else 0.0
    return rates
