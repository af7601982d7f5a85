"""Fixtures: real tiny Argos packages, built once per test session, installed per test."""
from __future__ import annotations

from pathlib import Path

import pytest

from normalise.translate.install import install_archive, sha256_file
from normalise.translate.random_package import build_argos_package


@pytest.fixture(scope="session")
def argos_archives(tmp_path_factory) -> dict[str, Path]:
    """Real .argosmodel files (random weights): de->en, ru->en, zh->en."""
    out = tmp_path_factory.mktemp("argos-archives")
    return {lang: build_argos_package(out, lang, "en", seed=i) for i, lang in enumerate(("de", "ru", "zh"))}


@pytest.fixture
def packages_dir(tmp_path, argos_archives) -> Path:
    """A packages folder with de->en and ru->en installed through the real installer (no zh)."""
    directory = tmp_path / "argos-packages"
    for lang in ("de", "ru"):
        archive = argos_archives[lang]
        install_archive(archive, directory, sha256=sha256_file(archive))
    return directory
