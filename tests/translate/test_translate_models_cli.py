"""`python -m normalise models ...`: list, install (file, folder, checksums, corrupt input), verify, remove, index."""
from __future__ import annotations

import hashlib
import json
import socket
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from crawler.testing.http_server import StaticServer
from normalise.translate.index import install_from_index
from normalise.translate.install import InstallError
from normalise.translate.models_cli import main


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def _entries(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir()) if directory.exists() else []


def test_list_shows_installed_packages_and_languages_without_a_model(capsys, packages_dir):
    code, out, _ = _run(capsys, "--packages-dir", packages_dir, "list")
    assert code == 0
    assert "de-en" in out and "ru-en" in out
    assert "without a model to English: fr, es, it, pt, zh, uk, el" in out
    code, out, _ = _run(capsys, "--packages-dir", packages_dir, "list", "--json")
    data = json.loads(out)
    assert sorted(p["pair"] for p in data["installed"]) == ["de-en", "ru-en"] and "zh" in data["missing"]


def test_install_with_sha256_then_verify_then_remove(capsys, tmp_path, argos_archives):
    target = tmp_path / "pk"
    archive = argos_archives["zh"]
    code, out, err = _run(capsys, "--packages-dir", target, "install", archive, "--sha256", _sha(archive))
    assert code == 0, err
    assert "installed zh-en" in out and _entries(target) == ["translate-zh_en-1_0"]
    code, out, _ = _run(capsys, "--packages-dir", target, "verify")
    assert code == 0 and out.startswith("ok   zh-en")
    code, out, _ = _run(capsys, "--packages-dir", target, "remove", "zh")
    assert code == 0 and "removed zh-en" in out and _entries(target) == []
    code, _, err = _run(capsys, "--packages-dir", target, "remove", "zh")
    assert code == 1 and "no installed package matches" in err


def test_folder_install_uses_the_sha256sums_file_beside_the_archives(capsys, tmp_path, argos_archives):
    folder = tmp_path / "usb"
    folder.mkdir()
    lines = []
    for lang in ("de", "ru"):
        copy = folder / argos_archives[lang].name
        copy.write_bytes(argos_archives[lang].read_bytes())
        lines.append(f"{_sha(copy)}  {copy.name}")
    (folder / "SHA256SUMS").write_text("\n".join(lines) + "\n")
    code, out, err = _run(capsys, "--packages-dir", tmp_path / "pk", "install", folder)
    assert code == 0, err
    assert _entries(tmp_path / "pk") == ["translate-de_en-1_0", "translate-ru_en-1_0"]


def test_sha256_mismatch_installs_nothing(capsys, tmp_path, argos_archives):
    target = tmp_path / "pk"
    code, _, err = _run(capsys, "--packages-dir", target, "install", argos_archives["de"], "--sha256", "0" * 64)
    assert code == 1 and "SHA-256 mismatch" in err and "nothing was installed" in err
    assert _entries(target) == []


def test_missing_checksum_is_refused_unless_explicitly_skipped(capsys, tmp_path, argos_archives):
    target = tmp_path / "pk"
    code, _, err = _run(capsys, "--packages-dir", target, "install", argos_archives["de"])
    assert code == 1 and "--sha256" in err and _sha(argos_archives["de"]) in err
    code, _, _ = _run(capsys, "--packages-dir", target, "install", "--no-verify", argos_archives["de"])
    assert code == 0 and _entries(target) == ["translate-de_en-1_0"]


def test_truncated_archive_gives_a_clear_error_and_leaves_nothing_behind(capsys, tmp_path, argos_archives):
    data = argos_archives["de"].read_bytes()
    broken = tmp_path / "translate-de_en.argosmodel"
    broken.write_bytes(data[: len(data) // 2])
    target = tmp_path / "pk"
    target.mkdir()
    code, _, err = _run(capsys, "--packages-dir", target, "install", broken, "--sha256", _sha(broken))
    assert code == 1 and "truncated or corrupt" in err
    assert _entries(target) == []


def test_corrupt_member_is_caught_before_anything_is_installed(capsys, tmp_path, argos_archives):
    data = bytearray(argos_archives["de"].read_bytes())
    with zipfile.ZipFile(argos_archives["de"]) as zf:
        info = zf.getinfo("translate-de_en-1_0/model/model.bin")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra) + 10
    data[start:start + 16] = bytes(16)  # flip bytes inside the compressed weights
    broken = tmp_path / "broken.argosmodel"
    broken.write_bytes(bytes(data))
    target = tmp_path / "pk"
    code, _, err = _run(capsys, "--packages-dir", target, "install", broken, "--sha256", _sha(broken))
    assert code == 1 and "corrupt" in err
    assert _entries(target) == []


def test_verify_reports_a_damaged_installed_package(capsys, packages_dir):
    (packages_dir / "translate-ru_en-1_0" / "sentencepiece.model").write_bytes(b"not a model")
    code, out, _ = _run(capsys, "--packages-dir", packages_dir, "verify")
    assert code == 1
    assert "ok   de-en" in out and "FAIL" in out and "sentencepiece.model does not load" in out


def test_reinstall_needs_force(capsys, packages_dir, argos_archives):
    archive = argos_archives["de"]
    code, _, err = _run(capsys, "--packages-dir", packages_dir, "install", archive, "--sha256", _sha(archive))
    assert code == 1 and "--force" in err
    code, _, _ = _run(capsys, "--packages-dir", packages_dir, "install", archive, "--sha256", _sha(archive), "--force")
    assert code == 0 and _entries(packages_dir) == ["translate-de_en-1_0", "translate-ru_en-1_0"]


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when the socket is: nothing listens there


def test_from_index_offline_fails_with_what_to_do(tmp_path):
    env_index = f"http://127.0.0.1:{_closed_port()}/"
    proc = subprocess.run([sys.executable, "-m", "normalise", "models", "--packages-dir", str(tmp_path / "pk"),
                           "install", "--from-index", "de"], capture_output=True, text=True,
                          env={"ARGOS_PACKAGE_INDEX": env_index, "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 1
    assert "cannot download the Argos package index" in proc.stderr
    assert "models install /path/to/folder" in proc.stderr
    assert not (tmp_path / "pk").exists() or _entries(tmp_path / "pk") == []


def test_from_index_downloads_and_installs_through_the_same_checks(tmp_path, argos_archives):
    archive = argos_archives["de"]
    with StaticServer() as server:
        index = [{"from_code": "de", "to_code": "en", "package_version": "1.0",
                  "links": [f"{server.base}/de.argosmodel"]},
                 {"from_code": "de", "to_code": "en", "package_version": "0.9", "links": [f"{server.base}/old"]}]
        server.routes.update({"/index.json": ("application/json", json.dumps(index).encode()),
                              "/de.argosmodel": ("application/zip", archive.read_bytes())})
        installed = install_from_index(["de"], tmp_path / "pk", url=f"{server.base}/index.json",
                                       log=lambda *_: None, progress=False)
        assert [p.pair for p in installed] == ["de-en"] and installed[0].version == "1.0"
        assert server.fetched("/index.json") == 1 and server.fetched("/de.argosmodel") == 1
        assert server.fetched("/old") == 0  # the newest version is the one downloaded
        with pytest.raises(InstallError, match="no fr->en package"):
            install_from_index(["fr"], tmp_path / "pk", url=f"{server.base}/index.json", progress=False)


def test_from_index_checks_a_listed_checksum_and_installs_nothing_on_mismatch(tmp_path, argos_archives):
    archive = argos_archives["de"]
    with StaticServer() as server:
        index = [{"from_code": "de", "to_code": "en", "package_version": "1.0", "sha256": "0" * 64,
                  "links": [f"{server.base}/de.argosmodel"]}]
        server.routes.update({"/index.json": ("application/json", json.dumps(index).encode()),
                              "/de.argosmodel": ("application/zip", archive.read_bytes())})
        with pytest.raises(InstallError, match="SHA-256 mismatch"):
            install_from_index(["de"], tmp_path / "pk", url=f"{server.base}/index.json", log=lambda *_: None,
                               progress=False)
    assert not (tmp_path / "pk").exists() or _entries(tmp_path / "pk") == []


def test_from_index_reports_a_missing_package_file(tmp_path):
    with StaticServer() as server:
        index = [{"from_code": "de", "to_code": "en", "package_version": "1.0", "links": [f"{server.base}/gone"]}]
        server.routes["/index.json"] = ("application/json", json.dumps(index).encode())
        with pytest.raises(InstallError, match="HTTP 404"):
            install_from_index(["de"], tmp_path / "pk", url=f"{server.base}/index.json", progress=False)
