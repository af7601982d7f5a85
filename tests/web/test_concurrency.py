"""A slow model never blocks the server's other requests: POST /normalise runs off the event loop."""
from __future__ import annotations

import threading

import httpx
import slow_normaliser
from conftest import TOKEN, web_config


def test_health_and_records_answer_while_a_normalise_request_is_held(serve, sqlite_store, tmp_path):
    app = serve(web_config(f"sqlite:///{sqlite_store.path}", tmp_path,
                           normaliser_factory="slow_normaliser.SlowNormaliser"))
    slow_normaliser.RELEASE.clear()
    slow_normaliser.STARTED.clear()
    result: dict = {}

    def post():
        result["response"] = httpx.post(f"{app.url}/normalise", json={"text": "held text"},
                                        headers={"Authorization": f"Bearer {TOKEN}"}, timeout=180)

    poster = threading.Thread(target=post)
    poster.start()
    try:
        assert slow_normaliser.STARTED.wait(timeout=120), "the normalise request never reached the model"
        # The model is busy now: other requests are still answered, and health says one is in progress.
        health = httpx.get(f"{app.url}/health", timeout=30)
        assert health.status_code == 200 and health.json()["normalise_in_progress"] == 1
        assert httpx.get(f"{app.url}/records", timeout=30).status_code == 200
        assert "response" not in result  # still held: the answers above did not wait for it
    finally:
        slow_normaliser.RELEASE.set()
        poster.join(timeout=180)
    assert result["response"].status_code == 200
    assert result["response"].json()["records"][0]["text"] == "held text"
    assert httpx.get(f"{app.url}/health").json()["normalise_in_progress"] == 0
