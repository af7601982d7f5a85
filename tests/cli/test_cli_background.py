"""The batch CLI loads what pages need on a background thread: the normaliser from start-up, then
language models and other tables only while it waits for input; a page that needs something
being loaded waits for it, and a normaliser that cannot be built gives error records, not a hang."""
from __future__ import annotations

import json
import subprocess
import sys
import threading

from normalise.cli import _Loader, _records
from normalise.inputs import InputDocument
from normalise.langid import detector as detector_mod
from normalise.record import Record

from .helpers import REPO, cli_env

WAIT = 60  # seconds; only a safety net against a hang, never reached when the code is right


class _Normaliser:
    def __init__(self, steps):
        self._steps = steps

    def warm_up_steps(self):
        return self._steps

    def normalise_many(self, docs):
        return [Record(id=d.id) for d in docs]


def test_background_steps_start_only_while_the_main_thread_waits_for_input():
    ran = threading.Event()
    loader = _Loader(lambda: _Normaliser([("models", ran.set)]))
    normaliser = loader()
    assert loader.steps_done == [] and not ran.is_set()  # built, but the main thread has not read yet

    def slow_stdin():
        assert ran.wait(WAIT)  # the step runs while the next input is awaited
        yield InputDocument(id="a", text="A page.")

    assert [r.id for r in _records(loader, loader.read_ahead(slow_stdin()))] == ["a"]
    loader.join(WAIT)
    assert loader.steps_done == ["models"] and normaliser is loader()


def test_a_step_that_fails_is_logged_and_the_next_one_still_runs(caplog):
    def broken():
        raise OSError("model file unreadable")

    loader = _Loader(lambda: _Normaliser([("broken models", broken), ("other models", lambda: None)]))
    done = threading.Event()

    def stdin():
        loader.join(WAIT)
        done.set()
        yield InputDocument(id="a", text="A page.")

    list(_records(loader, loader.read_ahead(stdin())))
    assert done.is_set() and loader.steps_done == ["other models"]
    assert "loading broken models in the background failed: OSError: model file unreadable" in caplog.text


def test_a_normaliser_that_cannot_be_built_gives_each_page_an_error_record():
    def build():
        raise MemoryError("cannot allocate the names index")

    loader = _Loader(build)
    items = [InputDocument(id="a", text="A page.", url="https://example.org/a"),
             Record.failed("bad", "unreadable_input", "cannot read bad"), InputDocument(id="b", text="Another page.")]
    out = list(_records(loader, iter(items)))
    assert [(r.id, r.error.code) for r in out] == [("a", "internal_error"), ("bad", "unreadable_input"),
                                                   ("b", "internal_error")]
    assert "could not be loaded: MemoryError: cannot allocate the names index" in out[0].error.message
    assert out[0].url == "https://example.org/a"


def test_a_page_asking_for_a_detector_being_loaded_waits_for_it_and_gets_the_same_one(monkeypatch):
    release, started = threading.Event(), threading.Event()

    class SlowDetector:
        def __init__(self, codes, low_accuracy, ignore, preload):
            started.set()
            assert release.wait(WAIT)
            self.preloaded = preload

    monkeypatch.setattr(detector_mod, "Detector", SlowDetector)
    monkeypatch.setattr(detector_mod, "_detectors", {})
    background = {}
    loading = threading.Thread(target=lambda: background.update(d=detector_mod.get_detector(("en", "de"), preload=True)))
    loading.start()
    assert started.wait(WAIT)
    page = {}
    asking = threading.Thread(target=lambda: page.update(d=detector_mod.get_detector(("en", "de"))))
    asking.start()
    assert not page  # still loading: the page waits
    release.set()
    loading.join(WAIT)
    asking.join(WAIT)
    assert page["d"] is background["d"] and page["d"].preloaded


def test_a_page_piped_in_after_the_models_loaded_in_the_background_is_identified(tmp_path):
    proc = subprocess.Popen([sys.executable, "-m", "normalise", "--no-translate", "-v", "--format", "jsonl", "-"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO,
                            env=cli_env(tmp_path))
    try:
        assert proc.stdin is not None and proc.stderr is not None and proc.stdout is not None
        seen = []
        for line in proc.stderr:  # -v logs each background step
            seen.append(line.decode())
            if "loaded out-of-scope guard models in the background" in seen[-1]:
                break
        assert any("loaded language models de en es fr it pt in the background" in s for s in seen), seen
        proc.stdin.write(json.dumps({"id": "p1", "text": "Der Stadtrat hat am Montag den neuen Haushalt beschlossen."
                                     }).encode() + b"\n")
        proc.stdin.close()
        record = json.loads(proc.stdout.readline())
        assert record["id"] == "p1" and record["language"] == "de" and record["error"] is None
        assert proc.wait(WAIT) == 0
    finally:
        proc.kill()
        proc.wait()
