"""Pages under load: ``.venv/bin/python benchmarks/http_bench.py [--quick] [--duration S]``.

(Not ``benchmarks/http.py``: a script's directory comes first on ``sys.path``, so a file named
``http.py`` there would hide the standard library's ``http`` package from every other benchmark
run as ``python benchmarks/<name>.py``, and Django could not start.)

Builds the large area of ``benchmarks/large_area.py`` (with ``--quick``, a tenth of it), a
pathway caseload with meetings and actions (``benchmarks/pathway.py``, ``work_list.py``) and a
PIMM with its agenda built (``benchmarks/meeting_agenda.py``) in a fresh database, then serves it
with the production server: gunicorn with ``deploy/gunicorn.conf.py`` (2 sync workers, DEBUG off,
the production settings, static files collected as in production). Each main page, and its API
equivalent, is loaded with 16 concurrent connections (locust, headless) for a fixed time, signed
in as a demo user of the right role, beside

* its bare twin (``benchmarks/http_views.py``): the same rows read and rendered with the same
  template engine in the same layout, with no access policy and no audit event;
* the same page on a second server whose workers record no audit event
  (``benchmarks/http_wsgi.py``, ``RISKPATH_BENCH_AUDIT=off``: the benchmark's own WSGI module,
  nothing the application can be told to do);

and the median server time of the page in-process (Django's test client, no network). It prints
one table with the targets: the real page at least 50% of its bare twin's requests per second,
p95 under 500 ms at 16 connections, median in-process under 150 ms. Nothing here asserts.

SQLite by default; PostgreSQL with ``DATABASE_URL`` (its own database ``riskpath_http_bench``,
created and dropped by the run). See benchmarks/README.md ("Pages under load").
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gc
import os
import platform
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import large_area, meeting_agenda, pathway, run, work_list  # noqa: E402
from benchmarks.run import fmt_int, fmt_ms, progress  # noqa: E402

BIN = Path(sys.executable).parent
BENCH_DB_NAME = "riskpath_http_bench"  # on PostgreSQL, created and dropped by the run
CONNECTIONS = 16
WORKERS = 2
BARE_TARGET = 0.5  # the real page's req/s over its bare twin's, at least
P95_TARGET = 0.500  # seconds, at 16 connections
IN_PROCESS_TARGET = 0.150  # seconds, median server time in-process


@dataclass
class Page:
    label: str
    user: Any
    url: str
    bare: str  # the bare twin's URL (``?format=json`` for an API)
    api: bool = False


@dataclass
class Load:
    rps: float
    p50: float  # seconds
    p95: float
    requests: int
    failures: int


@dataclass
class Result:
    page: Page
    in_process: float | None = None
    real: Load | None = None
    bare: Load | None = None
    unaudited: Load | None = None


# ---------------------------------------------------------------------------------------------
# The data and the pages
# ---------------------------------------------------------------------------------------------


def build(quick: bool, rng: random.Random) -> tuple[list[Page], dict[str, int]]:
    from django.urls import reverse
    from django.utils import timezone

    from riskpath.accounts.models import Area
    from riskpath.core import clock
    from riskpath.meetings import agenda, services

    sizes = large_area.FULL.scaled(0.1) if quick else large_area.FULL
    area = large_area.build_area(sizes, rng)
    area.item_pks.clear()  # a server process holds no such heap
    gc.collect()
    # Each builder makes its own "Benchmark area"; the names of areas are unique.
    Area.objects.filter(name="Benchmark area").update(name="Large area")
    progress("a pathway caseload, meetings and actions")
    caseload = pathway.QUICK if quick else pathway.FULL
    consultant = pathway.build(caseload, rng)
    work = work_list.QUICK if quick else work_list.FULL
    work_list.add_meetings(consultant, work, rng)
    Area.objects.filter(name="Benchmark area").update(name="Pathway area")
    progress("a PIMM and its agenda")
    chair, pimm = meeting_agenda.build(meeting_agenda.QUICK if quick else meeting_agenda.FULL, rng)
    starts = timezone.make_aware(
        dt.datetime.combine(clock.today() + dt.timedelta(days=1), dt.time(10))
    )
    meeting = services.meeting_schedule(actor=chair, meeting_type=pimm, starts_at=starts)
    agenda_items = len(agenda.agenda_build(actor=chair, meeting=meeting))
    large_area.settle_after_load()

    counts = dict(area.counts)
    counts["open pathway episodes"] = caseload.open_episodes
    counts["agenda items"] = agenda_items
    cohort = "?tier=1&harm_type=cce"
    heavy = area.heavy
    pages = [
        Page("cohort, filtered (tier 1, CCE)", area.chair, "/cohort/" + cohort, "cohort" + cohort),
        Page(
            "young person, 500 items (lead professional)",
            area.world.user,
            reverse("people:detail", args=[heavy]),
            f"person?pk={heavy}",
        ),
        Page(
            "intelligence list (consultant social worker)",
            area.world.consultant,
            reverse("intelligence:list"),
            "intelligence",
        ),
        Page("pathway dashboard (consultant)", consultant, reverse("pathway:dashboard"), "pathway"),
        Page(
            f"PIMM agenda ({fmt_int(agenda_items)} items, chair)",
            chair,
            reverse("meetings:detail", args=[meeting.pk]),
            f"agenda?pk={meeting.pk}",
        ),
        Page("my work (consultant)", consultant, reverse("web:home"), "work"),
        Page(
            "GET /api/v1/cohort/ (tier 1, CCE)",
            area.chair,
            "/api/v1/cohort/" + cohort,
            "cohort" + cohort,
        ),
        Page(
            "GET /api/v1/young-people/<id>/",
            area.world.user,
            reverse("api:young_person_detail", args=[heavy]),
            f"person?pk={heavy}",
        ),
        Page(
            "GET /api/v1/intelligence/",
            area.world.consultant,
            reverse("api:intelligence_list"),
            "intelligence",
        ),
        Page("GET /api/v1/episodes/", consultant, reverse("api:episode_list"), "pathway"),
        Page(
            "GET /api/v1/meetings/<id>/agenda/",
            chair,
            reverse("api:agenda", args=[meeting.pk]),
            f"agenda?pk={meeting.pk}",
        ),
        Page("GET /api/v1/me/work/", consultant, reverse("api:my_work"), "work"),
    ]
    for page in pages:
        page.api = page.url.startswith("/api/")
        slug, _, query = page.bare.partition("?")
        params = [query] if query else []
        if page.api:
            params.append("format=json")
        page.bare = f"/bench-bare/{slug}/" + (f"?{'&'.join(params)}" if params else "")
    return pages, counts


# ---------------------------------------------------------------------------------------------
# In-process server time
# ---------------------------------------------------------------------------------------------


def in_process(pages: list[Page], runs: int) -> dict[str, float]:
    """Median server time of each page through Django's test client (middleware, view,
    template, audit write; no network, no WSGI server)."""
    out = {}
    for page in pages:
        client = large_area.signed_in_client(page.user)
        large_area.get_ok(client, page.url)
        times = run.timed_runs(lambda c=client, u=page.url: large_area.get_ok(c, u), runs, warmup=1)
        out[page.label] = statistics.median(times)
        progress(f"in-process {page.label}: {fmt_ms(out[page.label])}")
    return out


# ---------------------------------------------------------------------------------------------
# The production server and the load
# ---------------------------------------------------------------------------------------------


def database_url() -> str:
    from django.db import connection

    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(data_dir: Path, port: int, audit: bool) -> dict[str, str]:
    from django.conf import settings

    env = dict(os.environ)
    env.pop("DATABASE_OWNER_URL", None)
    env.update(
        DJANGO_SETTINGS_MODULE="benchmarks.http_settings",
        DATABASE_URL=database_url(),
        SECRET_KEY=settings.SECRET_KEY,  # the sessions signed in here must hold there
        DEBUG="false",
        SECURE_SSL_REDIRECT="false",  # plain HTTP on the loopback; no TLS proxy in front
        # The per-user API limit (300/minute) would answer most of the load 429.
        API_RATE_USER="off",
        API_RATE_TOKEN="off",
        API_RATE_ANON="off",
        RISKPATH_DATA_DIR=str(data_dir),
        WEB_CONCURRENCY=str(WORKERS),
        RISKPATH_BIND=f"127.0.0.1:{port}",
        PYTHONPATH=str(ROOT),
    )
    if not audit:
        env["RISKPATH_BENCH_AUDIT"] = "off"
    return env


def collect_static(data_dir: Path) -> None:
    progress("collecting static files as in production")
    env = server_env(data_dir, 0, True)
    subprocess.run(
        [str(BIN / "riskpath"), "collectstatic", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )


class Server:
    """gunicorn with the project's deploy configuration, in its own process group."""

    def __init__(self, data_dir: Path, log: Path, audit: bool) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log.open("ab")
        self.proc = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "-c",
                str(ROOT / "deploy" / "gunicorn.conf.py"),
                "benchmarks.http_wsgi:application",
            ],
            cwd=ROOT,
            env=server_env(data_dir, self.port, audit),
            stdout=self.log,
            stderr=self.log,
            start_new_session=True,
        )
        deadline = time.monotonic() + 90
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.proc.returncode}; see {log}")
            try:
                with urllib.request.urlopen(self.base + "/static/riskpath/app.css", timeout=5):
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"gunicorn did not answer; see {log}") from None
                time.sleep(0.5)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def cookie_for(user: Any) -> str:
    from django.conf import settings

    client = large_area.signed_in_client(user)
    name = settings.SESSION_COOKIE_NAME
    return f"{name}={client.cookies[name].value}"


def warm(base: str, path: str, cookie: str, n: int = 3) -> None:
    """A few requests first, so that templates are compiled and caches full in both workers;
    and the page must answer 200."""
    for _ in range(n):
        request = urllib.request.Request(base + path, headers={"Cookie": cookie})
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                response.read()
        except urllib.error.HTTPError as error:
            raise RuntimeError(f"GET {path} answered {error.code}") from None


def load(base: str, path: str, cookie: str, duration: int, out: Path) -> Load:
    """``CONNECTIONS`` locust users asking for ``path`` back to back for ``duration`` s."""
    warm(base, path, cookie)
    out.mkdir(parents=True, exist_ok=True)
    prefix = out / f"run{len(list(out.iterdir()))}"
    env = dict(os.environ, BENCH_PATH=path, BENCH_COOKIE=cookie)
    subprocess.run(
        [
            str(BIN / "locust"),
            "-f",
            str(ROOT / "benchmarks" / "http_locustfile.py"),
            "--headless",
            "-u",
            str(CONNECTIONS),
            "-r",
            str(CONNECTIONS),
            "-t",
            f"{duration}s",
            "--host",
            base,
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "ERROR",
        ],
        cwd=out,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=duration + 180,
        check=False,  # locust exits 1 when a request failed; the table says so
    )
    with open(f"{prefix}_stats.csv", newline="") as f:
        row = next(r for r in csv.DictReader(f) if r["Name"] == "Aggregated")

    def ms(key: str) -> float:
        return float(row[key]) / 1000 if row[key] not in ("", "N/A") else float("nan")

    return Load(
        rps=float(row["Requests/s"]),
        p50=ms("50%"),
        p95=ms("95%"),
        requests=int(row["Request Count"]),
        failures=int(row["Failure Count"]),
    )


def describe(load_: Load | None) -> str:
    if load_ is None:
        return "-"
    text = f"{load_.rps:.1f} req/s, p50 {fmt_ms(load_.p50)}, p95 {fmt_ms(load_.p95)}"
    if load_.failures:
        text += f" (**{fmt_int(load_.failures)} of {fmt_int(load_.requests)} failed**)"
    return text


# ---------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------


def print_results(results: list[Result], header: dict[str, str]) -> None:
    print()
    for key, value in header.items():
        print(f"- **{key}**: {value}")
    print()
    print(
        f"| Page | Real: req/s, p50, p95 ({CONNECTIONS} connections) | Bare twin | real / bare "
        "| Audit off | real / audit off | In-process median | Targets: ≥ 50% of bare, "
        "p95 < 500 ms, in-process < 150 ms |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for r in results:
        ratio = r.real.rps / r.bare.rps if r.real and r.bare and r.bare.rps else None
        audit_ratio = (
            r.real.rps / r.unaudited.rps if r.real and r.unaudited and r.unaudited.rps else None
        )
        met = []
        if ratio is not None:
            met.append("yes" if ratio >= BARE_TARGET else "**no**")
        if r.real is not None:
            met.append("yes" if r.real.p95 < P95_TARGET else "**no**")
        if r.in_process is not None:
            met.append("yes" if r.in_process < IN_PROCESS_TARGET else "**no**")
        print(
            f"| {r.page.label} | {describe(r.real)} | {describe(r.bare)} | "
            f"{f'{ratio:.2f}' if ratio is not None else '-'} | {describe(r.unaudited)} | "
            f"{f'{audit_ratio:.2f}' if audit_ratio is not None else '-'} | "
            f"{fmt_ms(r.in_process) if r.in_process is not None else '-'} | {', '.join(met)} |"
        )
    print()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the large area")
    parser.add_argument(
        "--duration", type=int, help="seconds of load per page and variant (20; 10 with --quick)"
    )
    parser.add_argument("--runs", type=int, default=5, help="in-process requests per page")
    parser.add_argument("--only", help="only the pages whose label contains this text")
    parser.add_argument(
        "--no-unaudited", action="store_true", help="skip the server without auditing"
    )
    parser.add_argument("--seed", type=int, default=20261205, help="seed for synthetic data")
    args = parser.parse_args(argv)
    duration = args.duration or (10 if args.quick else 20)
    rng = random.Random(args.seed)

    tmp = Path(tempfile.mkdtemp(prefix="riskpath-http-"))
    data_dir = tmp / "data"
    data_dir.mkdir()
    os.environ.setdefault("RISKPATH_DATA_DIR", str(data_dir))
    try:
        run.configure_django(tmp)
        import django
        from django.conf import settings

        if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
            settings.DATABASES["default"]["TEST"]["NAME"] = BENCH_DB_NAME
        began = time.perf_counter()
        load_before = run.loadavg()
        with run.fresh_database():
            vendor, version = run.database_description()
            start = time.perf_counter()
            pages, counts = build(args.quick, rng)
            generated = time.perf_counter() - start
            if args.only:
                pages = [p for p in pages if args.only.lower() in p.label.lower()]
            results = [Result(p) for p in pages]
            medians = in_process(pages, args.runs)
            for r in results:
                r.in_process = medians[r.page.label]
            cookies = {id(p.user): cookie_for(p.user) for p in pages}
            collect_static(data_dir)
            log = tmp / "gunicorn.log"
            out = tmp / "locust"
            with Server(data_dir, log, audit=True) as server:
                for r in results:
                    cookie = cookies[id(r.page.user)]
                    progress(f"loading {r.page.label}")
                    r.real = load(server.base, r.page.url, cookie, duration, out)
                    progress(f"  real: {describe(r.real)}")
                    r.bare = load(server.base, r.page.bare, cookie, duration, out)
                    progress(f"  bare: {describe(r.bare)}")
            if not args.no_unaudited:
                with Server(data_dir, log, audit=False) as server:
                    for r in results:
                        cookie = cookies[id(r.page.user)]
                        r.unaudited = load(server.base, r.page.url, cookie, duration, out)
                        progress(f"  {r.page.label}, audit off: {describe(r.unaudited)}")
            from riskpath.audit.models import AuditEvent

            events = AuditEvent.objects.count()
        label = "quick (--quick, a tenth of the large area)" if args.quick else "full"
        header = {
            "Date": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
            "Database": f"{vendor}: {version}",
            "Machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.system()}",
            "Python / Django": f"{platform.python_version()} / {django.get_version()}",
            "Sizes": f"{label}: " + ", ".join(f"{fmt_int(v)} {k}" for k, v in counts.items() if v),
            "Server": f"gunicorn -c deploy/gunicorn.conf.py, {WORKERS} sync workers, DEBUG off",
            "Load": f"locust, {CONNECTIONS} users back to back, {duration} s per page and "
            "variant, after 3 warm-up requests",
            "Audit events at the end": fmt_int(events),
            "Generating the data": f"{generated:.0f} s",
            "Total run time": f"{time.perf_counter() - began:.0f} s",
            "Load average (1 min) before / after": f"{load_before} / {run.loadavg()}",
        }
        print_results(results, header)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
