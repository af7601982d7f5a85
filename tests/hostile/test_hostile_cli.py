"""The batch CLI and the translation stage on hostile inputs.

Covered elsewhere (referenced in the README "Hostile input and faults" table): empty, binary and unreadable files and
invalid JSONL lines (tests/normalise/test_cli.py), an unknown --lang (same file), a missing model
for a language (tests/translate/test_translate_argos.py), truncated or corrupt .argosmodel archives
(tests/translate/test_translate_models_cli.py).
"""
from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from normalise import InputDocument
from normalise.config import NormaliserConfig
from normalise.pipeline import Normaliser
from normalise.translate.install import install_archive, sha256_file
from normalise.translate.random_package import build_argos_package

REPO = Path(__file__).resolve().parents[2]
GERMAN = "Die Delegationen trafen sich am Montag in Istanbul. Eine Einigung gab es nicht."
RUSSIAN = "Переговоры в Стамбуле длились около часа. Стороны договорились об обмене пленными."


def run_cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "normalise", *args], input=stdin, capture_output=True,
                          cwd=REPO, timeout=1200)


def records(proc) -> list[dict]:
    return [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines()]


def test_jsonl_lines_that_are_hostile_cost_only_themselves(tmp_path):
    lines = [
        json.dumps({"id": "first", "text": "The first good line reports that the ferry sails again."}).encode(),
        b"[" * 100_000 + b"]" * 100_000,  # valid JSON nested past the decoder's recursion limit
        b'{"id": "deep", "text": ' + b"[" * 50_000 + b"]" * 50_000 + b"}",
        json.dumps({"id": "number", "html": 123}).encode(),
        b'{"id": "bad-utf8", "text": "Caf\xe9 owners near the harbour \xff\xfe complained."}',  # not UTF-8
        b"\x00" * 100,
        json.dumps({"id": "last", "text": "The last good line says the council approved the budget."}).encode(),
    ]
    path = tmp_path / "hostile.jsonl"
    path.write_bytes(b"\n".join(lines))
    proc = run_cli("--no-translate", str(path))
    assert proc.returncode == 1, proc.stderr[-2000:]  # some lines failed, the rest was normalised
    out = records(proc)
    assert [r["id"] for r in out] == ["first", f"{path}:2", f"{path}:3", "number", "bad-utf8", f"{path}:6", "last"]
    assert [r["error"]["code"] if r["error"] else None for r in out] == [
        None, "invalid_jsonl", "invalid_jsonl", "invalid_jsonl", None, "invalid_jsonl", None]
    assert "nested too deeply" in out[1]["error"]["message"]
    assert "ferry sails again" in out[0]["text"] and "approved the budget" in out[-1]["text"]
    # stray bytes read as cp1252 (as in an HTML page), the page kept and the record saying so
    assert "Café owners near the harbour ÿþ complained." in out[4]["text"]
    assert any("3 byte(s) that are not UTF-8 (the first 0xe9" in w and "cp1252" in w for w in out[4]["warnings"])


@pytest.mark.slow
def test_a_20_mb_text_dump_finishes_with_one_bounded_record(tmp_path):
    rng = random.Random(7)
    words = ("harbour council ferry delegation minister strike talks ceasefire budget railway vote mayor storm "
             "river bridge school hospital market election court").split()
    lines, size = [], 0
    while size < 20 * 1024 * 1024:
        line = " ".join(rng.choice(words) for _ in range(rng.randint(6, 40))).capitalize() + "."
        lines.append(line)
        size += len(line) + 1
    lines[0], lines[-1] = "Opening headline of the dump", "Closing line of the dump, unique too."
    dump = tmp_path / "dump.txt"
    dump.write_text("\n".join(lines), encoding="utf-8")
    out_file = tmp_path / "out.jsonl"
    proc = run_cli("--no-translate", str(dump), "-o", str(out_file))
    assert proc.returncode == 0, proc.stderr[-2000:]
    (record,) = [json.loads(line) for line in out_file.read_text(encoding="utf-8").splitlines()]
    assert record["error"] is None and record["id"] == str(dump)
    # Bounded by the per-page limits: the first blocks are kept, in order, and the cut is said.
    assert len(record["blocks"]) == NormaliserConfig().max_blocks < len(lines)
    assert [b["text"] for b in record["blocks"][:3]] == lines[:3]
    assert any(f"kept the first {len(record['blocks'])} of {len(lines)} blocks" in w for w in record["warnings"])
    assert record["title"] == lines[0]
    assert record["language"] == "en"


@pytest.fixture(scope="module")
def archives(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("argos")
    return {lang: build_argos_package(out, lang, "en", seed=i) for i, lang in enumerate(("de", "ru"))}


def _install(archives, directory: Path) -> Path:
    for archive in archives.values():
        install_archive(archive, directory, sha256=sha256_file(archive))
    return directory


def _translate(packages: Path, tmp_path: Path):
    config = NormaliserConfig(argos_packages_dir=packages, data_dir=tmp_path / "data", languages=("en", "de", "ru"))
    docs = [InputDocument(id="de", text=GERMAN, lang="de"), InputDocument(id="ru", text=RUSSIAN, lang="ru"),
            InputDocument(id="de2", text=GERMAN + " Noch ein Satz.", lang="de")]
    return {r.id: r for r in Normaliser(config).normalise_many(docs)}


@pytest.mark.parametrize("damage", ["model_bin_garbage", "model_bin_truncated", "sentencepiece_garbage",
                                    "metadata_missing", "model_dir_removed"])
def test_a_broken_installed_package_leaves_its_blocks_untranslated_and_the_run_goes_on(
        archives, tmp_path, damage):
    packages = _install(archives, tmp_path / "packages")
    de = next(packages.glob("translate-de_en*"))
    if damage == "model_bin_garbage":
        (de / "model" / "model.bin").write_bytes(b"\x00not a ctranslate2 model" * 100)
    elif damage == "model_bin_truncated":
        data = (de / "model" / "model.bin").read_bytes()
        (de / "model" / "model.bin").write_bytes(data[: len(data) // 3])
    elif damage == "sentencepiece_garbage":
        (de / "sentencepiece.model").write_bytes(b"garbage")
    elif damage == "metadata_missing":
        (de / "metadata.json").unlink()
    else:
        shutil.rmtree(de / "model")
    out = _translate(packages, tmp_path)
    assert list(out) == ["de", "ru", "de2"]
    for doc_id in ("de", "de2"):
        record = out[doc_id]
        assert record.error is None
        assert record.text == (GERMAN if doc_id == "de" else GERMAN + " Noch ein Satz.")  # nothing lost
        (block,) = record.kept_blocks
        assert block.translation == "untranslated" and block.text_en == block.text
        assert "de" in block.translation_reason and block.translation_reason
        assert record.translation["untranslated_blocks"] == 1
    russian = out["ru"].kept_blocks[0]
    assert russian.translation == "translated" and russian.text_en != RUSSIAN  # the healthy model still works
