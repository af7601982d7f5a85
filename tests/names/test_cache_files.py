"""The compiled names files in a cache directory shared by checkouts, versions and processes:
other versions' files are kept and pruned by age and count, and a missing index is built by
one process while the others wait and then load it."""
from __future__ import annotations

import gc
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from normalise.names import index_cache
from normalise.names.index import NameIndex
from normalise.names.pickle_cache import KEEP_FILES, MAX_AGE_DAYS, building, load_pickled, prune, write_pickled

REPO = Path(__file__).resolve().parents[2]
DAY = 86400


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWS_INGEST_CACHE", str(tmp_path))
    return tmp_path


def _file(folder: Path, name: str, days_unused: float) -> Path:
    path = folder / name
    path.write_bytes(b"x")
    used = time.time() - days_unused * DAY
    os.utime(path, (used, used))
    return path


def test_writing_a_new_version_keeps_the_other_versions_recently_used(tmp_path):
    other = _file(tmp_path, "names-index-world-aaaa.pickle", days_unused=1)
    hand = _file(tmp_path, "names-index-hand-bbbb.pickle", days_unused=MAX_AGE_DAYS + 30)  # another stem
    write_pickled(tmp_path / "names-index-world-cccc.pickle", {"v": 2})
    assert other.exists() and hand.exists()
    assert load_pickled(tmp_path / "names-index-world-cccc.pickle", dict, "a dict") == {"v": 2}


def test_other_versions_unused_for_long_or_beyond_the_count_are_removed(tmp_path):
    old = _file(tmp_path, "names-index-world-0001.pickle", days_unused=MAX_AGE_DAYS + 1)
    recent = [_file(tmp_path, f"names-index-world-1{i:03}.pickle", days_unused=i) for i in range(KEEP_FILES + 1)]
    leftover = _file(tmp_path, ".names-index-world-tmp1234", days_unused=2)  # a killed writer's
    in_progress = _file(tmp_path, ".names-index-world-tmp5678", days_unused=0)  # someone writing now
    current = tmp_path / "names-index-world-ffff.pickle"
    write_pickled(current, [1])
    kept = sorted(p.name for p in tmp_path.iterdir())
    # the new file and the KEEP_FILES - 1 most recently used others
    assert kept == sorted([current.name, in_progress.name, *(p.name for p in recent[:KEEP_FILES - 1])])
    assert not old.exists() and not leftover.exists()


def test_a_file_loaded_to_keep_goes_to_the_collectors_permanent_generation(tmp_path):
    path = tmp_path / "names-index-world-aaaa.pickle"
    write_pickled(path, {"rows": [[i] for i in range(1000)]})
    before = gc.get_freeze_count()
    plain = load_pickled(path, dict, "a dict")
    assert gc.get_freeze_count() == before and gc.is_tracked(plain)
    kept = load_pickled(path, dict, "a dict", freeze=True)
    assert gc.get_freeze_count() >= before + 1001  # the dict and its lists
    assert kept == plain


def test_loading_marks_a_file_used_so_it_is_not_pruned(tmp_path):
    path = tmp_path / "names-index-world-aaaa.pickle"
    write_pickled(path, {"k": 1})
    unused = time.time() - (MAX_AGE_DAYS + 5) * DAY
    os.utime(path, (unused, unused))
    load_pickled(path, dict, "a dict")
    assert prune(tmp_path / "names-index-world-bbbb.pickle") == []
    assert path.exists()


def test_a_new_index_key_keeps_the_previous_index_file(cache, monkeypatch):
    index_cache.load_index(world=False)
    old = index_cache.index_path(world=False)
    monkeypatch.setattr(index_cache, "index_key", lambda world: "0123456789abcdef")  # data or code changed
    new = index_cache.index_path(world=False)
    assert new != old
    index_cache.load_index(world=False)  # not the old file: built for the new key
    assert new.exists() and old.exists()  # another checkout still on the old key loads it, no rebuild


_CHILD = """
import logging, sys
logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="%(message)s")
from normalise.names.index_cache import load_index
index = load_index(world=False)
print(len(index.english.exact))
"""


def _wait_for(paths: list[Path], text: str, procs: list[subprocess.Popen]) -> None:
    """Until every file in `paths` holds `text` (a child that exits first fails the test)."""
    while not all(text in p.read_text() for p in paths):
        for proc in procs:
            assert proc.poll() is None, f"a child exited early: {[p.read_text() for p in paths]}"
        time.sleep(0.1)


def test_two_processes_missing_the_index_build_it_once(cache):
    path = index_cache.index_path(world=False)
    assert not path.exists()
    env = {**os.environ, "NEWS_INGEST_CACHE": str(cache)}
    (cache / "logs").mkdir()
    logs = [cache / "logs" / f"child-{i}.log" for i in range(2)]
    procs = []
    with building(path):  # as if a third process were building it: both children find no file and wait
        for log in logs:
            with open(log, "w") as err:
                procs.append(subprocess.Popen([sys.executable, "-c", _CHILD], cwd=REPO, env=env, stderr=err,
                                              stdout=subprocess.PIPE, text=True))
        try:
            _wait_for(logs, "waiting for another process building", procs)
        except BaseException:
            for proc in procs:
                proc.kill()
            raise
    outputs = [proc.communicate(timeout=600)[0] for proc in procs]
    errors = [log.read_text() for log in logs]
    assert [proc.returncode for proc in procs] == [0, 0], errors
    assert sum(e.count("building the names index") for e in errors) == 1, errors  # one built, one loaded
    assert outputs[0] == outputs[1] and int(outputs[0]) > 0
    assert isinstance(load_pickled(path, NameIndex, "a names index"), NameIndex)


def test_without_a_writable_cache_directory_the_build_goes_on_unlocked_with_a_warning(tmp_path, caplog):
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")
    ran = []
    with building(not_a_folder / "names-index-world-aaaa.pickle"):
        ran.append(True)
    assert ran == [True] and "no build lock" in caplog.text
