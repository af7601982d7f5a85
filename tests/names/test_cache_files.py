"""The compiled names files in a cache directory shared by checkouts, versions and processes:
other versions' files are kept and pruned by age and count."""
from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from normalise.names import index_cache
from normalise.names.pickle_cache import KEEP_FILES, MAX_AGE_DAYS, load_pickled, prune, write_pickled

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
