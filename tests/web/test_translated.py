"""With a (tiny, random-weight) Argos package installed: POST /normalise translates, and the
article view names the model beside each translated block."""
from __future__ import annotations

from urllib.parse import quote

import httpx
from conftest import TOKEN, save_record, web_config

from normalise.config import NormaliserConfig
from normalise.translate.install import install_archive, sha256_file
from normalise.translate.random_package import build_argos_package

PAGE = ("<html lang='de'><head><title>Gespräche in Istanbul</title></head><body><article>"
        "<h1>Gespräche in Istanbul</h1>"
        "<p>Die Delegationen haben sich am Montag in Istanbul getroffen und über einen Austausch gesprochen.</p>"
        "<p>Der Präsident sagte nach den Gesprächen, die Verhandlungen würden bald weitergehen.</p>"
        "</article></body></html>")


def test_translated_blocks_show_their_model(serve, sqlite_store, tmp_path):
    archive = build_argos_package(tmp_path / "archives", "de", "en", seed=3)
    packages = tmp_path / "argos-packages"
    install_archive(archive, packages, sha256=sha256_file(archive))
    normaliser = NormaliserConfig(translate=True, argos_packages_dir=packages, data_dir=tmp_path)
    app = serve(web_config(f"sqlite:///{sqlite_store.path}", tmp_path, normaliser=normaliser))
    got = httpx.post(f"{app.url}/normalise", json={"html": PAGE, "url": "https://de.example/a", "lang": "de"},
                     headers={"Authorization": f"Bearer {TOKEN}"}, timeout=300)
    assert got.status_code == 200, got.text
    record = got.json()["records"][0]
    translated = [b for b in record["blocks"] if b["translation"] == "translated"]
    assert translated and record["translation"]["models"], record["translation"]
    model = translated[0]["model"]
    save_record(sqlite_store, record, PAGE.encode("utf-8"), source="de")
    page = httpx.get(f"{app.url}/article", params={"url": record["canonical_url"]}).text
    assert f"translated by <code>{model}</code>" in page
    assert '<span class="state state-translated">translated</span>' in page
    listed = httpx.get(f"{app.url}/records", params={"translation": "translated"}).json()["records"]
    assert [r["canonical_url"] for r in listed] == [record["canonical_url"]]
    by_id = httpx.get(f"{app.url}/records/{quote(record['canonical_url'], safe='')}").json()
    assert by_id["translation"]["models"] == record["translation"]["models"]
