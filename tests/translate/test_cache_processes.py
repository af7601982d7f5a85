"""The translation cache shared by several processes (the batch CLI's --jobs workers, crawler
processes): each has its own SQLite connection, also a child forked after the parent opened it."""
from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
from pathlib import Path

from normalise.translate.cache import TranslationCache

REPO = Path(__file__).resolve().parents[2]
WRITERS = 3
PAIRS = 200


def _write_own_sentences(path: str, writer: int) -> None:
    cache = TranslationCache(path)
    for start in range(0, PAIRS, 20):
        cache.put_many("de-en", {f"Satz {writer}-{i}": f"sentence {writer}-{i}" for i in range(start, start + 20)})
        # Reading while the others write: every sentence this process wrote so far is there.
        assert len(cache.get_many("de-en", [f"Satz {writer}-{i}" for i in range(start + 20)])) == start + 20


def test_processes_writing_one_cache_at_once_keep_every_sentence(tmp_path):
    path = str(tmp_path / "cache.sqlite")
    TranslationCache(path).close()  # created first, as the CLI's first worker would
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_write_own_sentences, args=(path, w)) for w in range(WRITERS)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(300)
    assert [p.exitcode for p in procs] == [0] * WRITERS
    cache = TranslationCache(path)
    assert len(cache) == WRITERS * PAIRS
    assert cache.get_many("de-en", ["Satz 2-199"]) == {"Satz 2-199": "sentence 2-199"}


def _child(cache: TranslationCache, inherited_db_id: int, conn) -> None:
    try:
        found = cache.get_many("de-en", ["Hallo"])
        cache.put_many("de-en", {"Tschüss": "bye"})
        conn.send((found, id(cache._db) != inherited_db_id))
    except BaseException as exc:  # noqa: BLE001 -- reported to the test
        conn.send(repr(exc))


def test_a_forked_child_opens_its_own_connection_and_the_parent_keeps_working(tmp_path):
    if "fork" not in multiprocessing.get_all_start_methods():
        return
    cache = TranslationCache(tmp_path / "cache.sqlite")
    cache.put_many("de-en", {"Hallo": "hello"})
    parent_db = cache._db
    ctx = multiprocessing.get_context("fork")
    here, there = ctx.Pipe()
    proc = ctx.Process(target=_child, args=(cache, id(parent_db), there))
    proc.start()
    answer = here.recv() if here.poll(300) else "no answer"
    proc.join(300)
    assert answer == ({"Hallo": "hello"}, True)
    assert proc.exitcode == 0
    assert cache._db is parent_db and cache._pid == os.getpid()
    assert cache.get_many("de-en", ["Hallo", "Tschüss"]) == {"Hallo": "hello", "Tschüss": "bye"}


def _cli(tmp_path, packages_dir, data_dir, jobs: str, batch) -> list[dict]:
    env = dict(os.environ, XDG_DATA_HOME=str(tmp_path / "xdg"), HOME=str(tmp_path / "home"))
    env.pop("NEWS_DATA_DIR", None)
    proc = subprocess.run([sys.executable, "-m", "normalise", "--packages-dir", str(packages_dir), "--data-dir",
                           str(data_dir), "--no-world-names", "--jobs", jobs, str(batch)],
                          capture_output=True, cwd=REPO, env=env, timeout=600, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return [json.loads(line) for line in proc.stdout.splitlines()]


def test_cli_workers_share_one_cache_and_translate_as_one_process(tmp_path, packages_dir):
    # Every sentence its page's own: no page finds another's in the cache in the middle of a run,
    # which would depend on which worker got there first.
    towns = ["Hamburg", "Bremen", "Kiel", "Lübeck"]
    pages = [{"id": f"d{i}", "lang": "de",
              "text": f"Der Stadtrat von {towns[i % 4]} hat am Montag {i} Stunden über die neue Brücke beraten.\n"
                      f"Die Fähre fährt ab Juli wieder {i + 2} Mal am Tag."} for i in range(70)]
    batch = tmp_path / "de.jsonl"
    batch.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in pages), encoding="utf-8")
    first = _cli(tmp_path, packages_dir, tmp_path / "shared", "2", batch)
    cache = TranslationCache(tmp_path / "shared" / "translation-cache.sqlite")
    assert len(cache) > 0  # both workers wrote into the one file
    again = _cli(tmp_path, packages_dir, tmp_path / "shared", "2", batch)
    uncached = [(r["id"], r["translation"], r["warnings"]) for r in again if not r["translation"]["cached_sentences"]]
    assert not uncached, uncached  # seen once on a loaded machine: the record says why
    alone = _cli(tmp_path, packages_dir, tmp_path / "alone", "1", batch)
    texts = [[r["text_en"] for r in run] for run in (first, again, alone)]
    assert texts[0] == texts[1] == texts[2]
    assert all(r["translation"]["translated_blocks"] > 0 for r in first)
    assert first == alone  # the same records: workers see the batches one process sees
