"""Fault benchmark: real crawls and CLI runs under runtime faults, one table row per case.

    .venv/bin/python bench/faults.py                 # every case, Markdown table on stdout
    .venv/bin/python bench/faults.py --cases kill9,redis_cut

Each case runs `scrapy crawl` / `python -m normalise` in its own session against a local site
(crawler/testing/fixture_site.py) or a hostile input, and reports: what happened (finish reason or
error line), wall time until the process exited, peak RSS of the whole process tree (sampled every
0.1 s), pages lost (articles not stored once the fault is gone and the crawl re-run), pages
duplicated (revisions: stored twice), processes left behind after the main process exited, and the
exit status (normalise/exit_codes.py). Cases needing Redis or PostgreSQL say "skipped" when the
server is unreachable. Exits 1 when a row misses its target (non-zero exit whenever data was not
stored, 0 lost, 0 duplicated, nothing left behind).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from crawler.testing import fixture_site
from crawler.testing import local_crawl as crawl
from crawler.testing.local_crawl import sqlite_count, wait_for
from crawler.testing.sessions import kill_session, process_stat, session_members, wait_until_gone

REPO = Path(__file__).resolve().parents[1]
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


@dataclass
class Row:
    case: str
    happened: str = ""
    seconds: float = 0.0
    peak_mb: float = 0.0
    lost: int | str = "-"
    duplicated: int | str = "-"
    left_behind: int = 0
    exit: int | str = "-"
    ok: bool = True
    notes: list[str] = field(default_factory=list)

    def measure(self, s: Session, timeout: float = 600) -> None:
        """Wait for the session: its exit status, wall time, peak memory and processes left behind."""
        self.exit = s.wait(timeout)
        self.seconds, self.peak_mb = s.seconds, s.peak / 2**20
        self.left_behind += len(s.left_behind())


# -- processes -------------------------------------------------------------------------------------
class Session:
    """A command in its own session; peak RSS of all its processes sampled until it exits."""

    def __init__(self, cmd: list[str], env: dict, log: Path, stdin: bytes | None = None,
                 file_size_limit: int | None = None):
        self.log = log
        self.started = time.monotonic()
        self.proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdin=subprocess.PIPE if stdin is not None else None,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
        if file_size_limit is not None:
            import resource

            resource.prlimit(self.proc.pid, resource.RLIMIT_FSIZE, (file_size_limit, file_size_limit))
        self.peak = 0
        self._copier = threading.Thread(target=self._copy, daemon=True)
        self._copier.start()
        if stdin is not None:
            threading.Thread(target=self._feed, args=(stdin,), daemon=True).start()
        self._sampler = threading.Thread(target=self._sample, daemon=True)
        self._sampler.start()
        self.seconds = 0.0

    def _feed(self, data: bytes) -> None:
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write(data)
            self.proc.stdin.close()
        except OSError:
            pass

    def _copy(self) -> None:
        stream = self.proc.stdout
        assert stream is not None
        with open(self.log, "wb") as out:
            out.writelines(iter(lambda: stream.read1(65536), b""))  # type: ignore[attr-defined]

    def _sample(self) -> None:
        while self.proc.poll() is None:
            total = 0
            for pid in session_members(self.proc.pid):
                fields = process_stat(pid)
                if fields:
                    total += int(fields[21]) * PAGE_SIZE  # rss, in pages
            self.peak = max(self.peak, total)
            time.sleep(0.1)

    def wait(self, timeout: float = 600) -> int:
        try:
            code = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = self.proc.wait()
        self.seconds = time.monotonic() - self.started
        self._copier.join(timeout=30)
        return code

    def left_behind(self, grace: float = 5.0) -> list[int]:
        """Processes of the session still alive `grace` s after the main one exited; then killed."""
        left = wait_until_gone(self.proc.pid, grace)
        kill_session(self.proc.pid)
        return left

    def text(self) -> str:
        return self.log.read_text(errors="replace")


def _finish(text: str) -> str:
    m = re.search(r"'finish_reason': '([a-z_]+)'", text)
    return m.group(1) if m else ""


def _env(site, work: Path, store: str | None = None, **extra) -> dict:
    return crawl.crawl_env(site.seeds(work / "seeds"), store or f"sqlite:///{work / 'news.sqlite'}",
                           work / "data", **extra)


def _crawl_cmd(**settings) -> list[str]:
    return crawl.crawl_command(settings={"FEEDS": "{}", "CONCURRENT_REQUESTS": "2", **settings})


def _resume_andsqlite_count(row: Row, site, work: Path, env: dict, articles: int, cmd: list[str] | None = None) -> None:
    again = Session(cmd or _crawl_cmd(), env, work / "resume.log")
    code = again.wait()
    row.left_behind += len(again.left_behind())
    db = work / "news.sqlite"
    row.lost = articles - sqlite_count(db, "SELECT count(*) FROM pages")
    row.duplicated = sqlite_count(db, "SELECT count(*) FROM revisions")
    if code != 0:
        row.notes.append(f"re-run exit {code}")


# -- cases ---------------------------------------------------------------------------------------
def case_kill9(work: Path) -> Row:
    row, articles = Row("kill -9 mid-crawl, then resume (JOBDIR)"), 40
    with fixture_site.FixtureSite(articles=articles, delay=0.2) as site:
        env = _env(site, work)
        cmd = _crawl_cmd(JOBDIR=str(work / "job"))
        s = Session(cmd, env, work / "crawl.log")
        wait_for(lambda: sqlite_count(work / "news.sqlite", "SELECT count(*) FROM pages") >= 5)
        os.kill(s.proc.pid, signal.SIGKILL)
        row.exit = s.wait()
        row.seconds, row.peak_mb = s.seconds, s.peak / 2**20
        left = s.left_behind()
        row.left_behind = len(left)
        row.happened = f"killed after {sqlite_count(work / 'news.sqlite', 'SELECT count(*) FROM pages')} stored"
        _resume_andsqlite_count(row, site, work, env, articles, cmd)
    row.ok = row.left_behind == 0 and row.lost == 0 and row.duplicated == 0
    return row


def case_disk_full(work: Path) -> Row:
    row, articles = Row("disk full (file size limit 160 KiB), then re-run"), 100
    with fixture_site.FixtureSite(articles=articles, delay=0.2) as site:
        env = _env(site, work)
        s = Session(_crawl_cmd(NEWS_NORMALISE_BATCH="1"), env, work / "crawl.log", file_size_limit=160 * 1024)
        row.measure(s)
        text = s.text()
        m = re.search(r"(\d+) fetched but NOT stored", text)
        row.happened = f"{_finish(text)}; {m.group(1) if m else 0} fetched, not stored"
        _resume_andsqlite_count(row, site, work, env, articles)
    row.ok = row.exit != 0 and row.lost == 0 and row.duplicated == 0 and row.left_behind == 0
    return row


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=2):
            return True
    except OSError:
        return False


def case_redis_cut(work: Path) -> Row:
    row, articles = Row("Redis link cut mid-crawl, then resume"), 60
    if not _redis_up():
        row.happened, row.ok = "skipped: no Redis at 127.0.0.1:6379", True
        return row
    import redis

    from crawler.testing.tcp_proxy import CuttableProxy

    prefix = f"news-bench-faults-{os.getpid()}"
    client = redis.Redis()
    try:
        with fixture_site.FixtureSite(articles=articles, delay=0.5) as site:
            def env(port: int) -> dict:
                return _env(site, work, module="settings.production", NEWS_REDIS_URL=f"redis://127.0.0.1:{port}/0",
                            NEWS_REDIS_PREFIX=prefix, NEWS_REDIS_IDLE="1")
            with CuttableProxy(("127.0.0.1", 6379)) as proxy:
                s = Session(_crawl_cmd(), env(proxy.port), work / "crawl.log")
                wait_for(lambda: site.article_hits() >= 5)
                cut_at = time.monotonic()
                proxy.cut()
                row.exit = s.wait()
            row.seconds, row.peak_mb = s.seconds, s.peak / 2**20
            row.left_behind = len(s.left_behind())
            row.happened = f"{_finish(s.text())} {time.monotonic() - cut_at:.1f} s after the cut"
            with CuttableProxy(("127.0.0.1", 6379)) as proxy:
                _resume_andsqlite_count(row, site, work, env(proxy.port), articles)
    finally:
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)
    row.ok = row.exit != 0 and row.lost == 0 and row.duplicated == 0 and row.left_behind == 0
    return row


def case_postgres_unreachable(work: Path) -> Row:
    row = Row("PostgreSQL unreachable")
    with fixture_site.FixtureSite(articles=5) as site:
        env = _env(site, work, "postgresql://news@127.0.0.1:1/news", module="settings.production",
                   NEWS_STORE_RETRIES="2", NEWS_STORE_RETRY_BACKOFF="0.1")
        s = Session(_crawl_cmd(), env, work / "crawl.log")
        row.measure(s)
        row.happened = f"{_finish(s.text())}; {site.article_hits()} articles fetched"
    row.ok = row.exit != 0 and row.left_behind == 0
    return row


def case_stalling_page(work: Path) -> Row:
    row, articles = Row("page that never finishes normalising (deadline 5 s), then renormalise --kept-pages"), 12
    with fixture_site.FixtureSite(articles=articles) as site:
        env = _env(site, work, NEWS_TEST_STALL_ON="/story-5.html")
        s = Session(_crawl_cmd(NEWS_NORMALISE_FACTORY="crawler.testing.worker_doubles.StallingRealNormaliser",
                               NEWS_NORMALISE_PAGE_TIMEOUT="5", NEWS_KEPT_PAGES_DIR=str(work / "kept")),
                    env, work / "crawl.log")
        row.measure(s)
        db = work / "news.sqlite"
        skipped = sqlite_count(db, "SELECT count(*) FROM skips WHERE reason = 'normalise_timeout'")
        kept = len(list((work / "kept").glob("*.html.gz"))) if (work / "kept").exists() else 0
        # Then the kept page is normalised again by the normaliser that does not stall.
        again = subprocess.run([sys.executable, "-m", "scrapy", "renormalise", "--kept-pages", "-s",
                                f"NEWS_KEPT_PAGES_DIR={work / 'kept'}", "-s", 'NORMALISER={"translate": false}'],
                               cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
        left = len(list((work / "kept").glob("*.html.gz"))) if (work / "kept").exists() else 0
        row.happened = (f"{skipped} normalise_timeout skip, raw kept: {kept}; then `renormalise --kept-pages` "
                        f"exit {again.returncode}, kept left: {left}")
        row.lost = articles - sqlite_count(db, "SELECT count(*) FROM pages")
        row.duplicated = sqlite_count(db, "SELECT count(*) FROM revisions")
    row.ok = (row.exit == 1 and skipped == 1 and kept == 1 and again.returncode == 0 and left == 0
              and row.lost == 0 and row.left_behind == 0)
    return row


def case_every_request_refused(work: Path) -> Row:
    row = Row("every request refused (site down)")
    with fixture_site.FixtureSite(articles=3) as site:
        env = _env(site, work)
    s = Session(_crawl_cmd(), env, work / "crawl.log")
    row.measure(s)
    row.happened = "connection_refused skips" if "connection_refused" in s.text() else "?"
    row.ok = row.exit == 3
    return row


def case_unknown_source(work: Path) -> Row:
    row = Row("unknown source (-a source=dww)")
    with fixture_site.FixtureSite(articles=1) as site:
        env = _env(site, work)
        s = Session(crawl.crawl_command("dww", settings={"FEEDS": "{}"}), env, work / "crawl.log")
        row.measure(s)
    row.happened = "unknown_source" if "no seeds file defines source 'dww'" in s.text() else "?"
    row.ok = row.exit == 2
    return row


def case_bad_sqlite_path(work: Path) -> Row:
    row = Row("SQLite store path is a directory")
    with fixture_site.FixtureSite(articles=1) as site:
        env = _env(site, work, f"sqlite:///{work}")
        s = Session(_crawl_cmd(), env, work / "crawl.log")
        row.measure(s)
    text = s.text()
    row.happened = "one line, no traceback" if "cannot open the SQLite store" in text and "Traceback" not in text else "?"
    row.ok = row.exit == 3
    return row


def case_huge_node(work: Path) -> Row:
    row = Row("12 MB inline script before the article")
    article = ("<article><h1>Harbour barrier tested</h1><p>The new harbour barrier in Kelmore was tested on Monday, "
               "officials said, and it held against the spring tide.</p></article>")
    page = work / "page.html"
    page.write_text(f"<html lang='en'><body><script>var a='{'x' * 12_000_000}';</script>{article}</body></html>")
    s = Session([sys.executable, "-m", "normalise", "--no-translate", str(page)], dict(os.environ), work / "out.log")
    row.measure(s)
    kept = "The new harbour barrier" in s.text()
    row.happened = "article kept, warning" if kept and "before parsing" in s.text() else "article LOST"
    row.lost = 0 if kept else 1
    row.ok = kept and row.exit == 0
    return row


def case_splitter_dots(work: Path) -> Row:
    row = Row("200,000 dots in one paragraph (sentence splitter)")
    code = ("import time; from normalise.translate.splitter import split_sentences; t = time.monotonic(); "
            "split_sentences('Start' + '.' * 200_000 + ' End.', 'en'); print(f'split in {time.monotonic() - t:.2f} s')")
    s = Session([sys.executable, "-c", code], dict(os.environ, PYTHONPATH=str(REPO)), work / "out.log")
    row.measure(s, timeout=300)
    row.happened = s.text().strip().splitlines()[-1] if s.text().strip() else "?"
    row.ok = row.exit == 0
    return row


def _user_file_case(work: Path, name: str, option: str, text: str) -> Row:
    row = Row(name)
    path = work / "user.yaml"
    path.write_text(text, encoding="utf-8")
    s = Session([sys.executable, "-m", "normalise", "--no-translate", option, str(path)], dict(os.environ),
                work / "out.log", stdin=b"A paragraph about the harbour.")
    row.measure(s, timeout=120)
    lines = [line for line in s.text().splitlines() if str(path) in line]
    row.happened = "one line: " + lines[0].split(str(path), 1)[1][:60].strip(": ") if lines else "?"
    row.ok = row.exit == 2 and len(lines) == 1 and "Traceback" not in s.text()
    return row


def case_alias_bomb(work: Path) -> Row:
    bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for prev, name in zip("abcdefgh", "bcdefghi", strict=False):
        bomb += f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]\n"
    return _user_file_case(work, f"{len(bomb)}-byte alias bomb in --lexicon", "--lexicon", bomb)


def case_deep_yaml(work: Path) -> Row:
    return _user_file_case(work, "50,000-deep nesting in --gazetteer", "--gazetteer",
                           "entities: " + "[" * 50_000 + "]" * 50_000 + "\n")


def case_backtracking_lexicon(work: Path) -> Row:
    return _user_file_case(work, "lexicon pattern ^(a+)+$", "--lexicon",
                           "rules:\n  promo:\n    patterns: ['^(a+)+$']\n")


def case_random_bytes(work: Path) -> Row:
    row = Row("random bytes, no Content-Type")
    body = random.Random(7).randbytes(20_000)
    page = work / "page.bin"
    page.write_bytes(body)
    s = Session([sys.executable, "-m", "normalise", "--no-translate", str(page)], dict(os.environ), work / "out.log")
    row.measure(s)
    records = [json.loads(line) for line in s.text().splitlines() if line.startswith("{")]
    code = (records[0].get("error") or {}).get("code") if records else None
    row.happened = f"error {code}" if code else "stored as text"
    row.ok = code is not None
    return row


CASES = {
    "splitter_dots": case_splitter_dots, "huge_node": case_huge_node, "random_bytes": case_random_bytes,
    "alias_bomb": case_alias_bomb, "deep_yaml": case_deep_yaml, "backtracking_lexicon": case_backtracking_lexicon,
    "unknown_source": case_unknown_source, "bad_sqlite_path": case_bad_sqlite_path,
    "every_request_refused": case_every_request_refused, "postgres_unreachable": case_postgres_unreachable,
    "stalling_page": case_stalling_page, "kill9": case_kill9, "disk_full": case_disk_full,
    "redis_cut": case_redis_cut,
}


def table(rows: list[Row]) -> str:
    header = ("| case | what happened | time (s) | peak RSS (MB) | pages lost | pages duplicated | "
              "processes left | exit | target met |")
    lines = [header, "|---|---|---:|---:|---:|---:|---:|---:|---|"]
    for r in rows:
        happened = "; ".join([r.happened, *r.notes])
        lines.append(f"| {r.case} | {happened} | {r.seconds:.1f} | {r.peak_mb:.0f} | {r.lost} | {r.duplicated} | "
                     f"{r.left_behind} | {r.exit} | {'yes' if r.ok else 'NO'} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", default=",".join(CASES), help=f"comma-separated, from: {', '.join(CASES)}")
    args = parser.parse_args(argv)
    names = [c.strip() for c in args.cases.split(",") if c.strip()]
    unknown = [n for n in names if n not in CASES]
    if unknown:
        parser.error(f"unknown case(s): {', '.join(unknown)}")
    rows = []
    for name in names:
        with tempfile.TemporaryDirectory(prefix=f"faults-{name}-") as tmp:
            print(f"running {name} ...", file=sys.stderr, flush=True)
            try:
                rows.append(CASES[name](Path(tmp)))
            except Exception as exc:  # one broken case is a row saying so, not a lost table
                rows.append(Row(name, happened=f"bench error: {type(exc).__name__}: {exc}", ok=False))
    print(table(rows))
    return 0 if all(r.ok for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
