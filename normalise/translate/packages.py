"""Where Argos packages live and what is installed there (no network).

An installed package is argostranslate's own `argostranslate.package.Package`, read from its
folder by argostranslate: a package installed by `argospm` and one installed here are the same
thing. `InstalledPackage` adds what this project checks and needs on top of it.

The packages folder is argostranslate's own, resolved the way argostranslate does:
1. NormaliserConfig.argos_packages_dir / `--packages-dir`, if given;
2. the ARGOS_PACKAGES_DIR environment variable;
3. "ARGOS_PACKAGES_DIR" in argostranslate's settings file
   ($XDG_CONFIG_HOME or ~/.config)/argos-translate/settings.json;
4. ($XDG_DATA_HOME or ~/.local/share)/argos-translate/packages.
We resolve it per call (same rules) because argostranslate.settings reads the environment
once, at import, and a process may be pointed at another folder later (--packages-dir).
"""
from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from argostranslate.package import Package

TARGET = "en"
INSTALL_TMP_PREFIX = ".installing-"  # folders being installed: never listed or loaded


def _home() -> Path:
    return Path(os.environ["SNAP_USER_DATA"]) if "SNAP" in os.environ else Path.home()


def argos_settings_file() -> Path:
    base = Path(os.environ.get("XDG_CONFIG_HOME") or _home() / ".config")
    return base / "argos-translate" / "settings.json"


def argos_setting(key: str) -> str | None:
    if os.environ.get(key):
        return os.environ[key]
    try:
        data = json.loads(argos_settings_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    value = data.get(key) if isinstance(data, dict) else None
    return str(value) if value else None


def packages_dir(override: Path | str | None = None) -> Path:
    if override:
        return Path(override)
    configured = argos_setting("ARGOS_PACKAGES_DIR")
    if configured:
        return Path(configured)
    return Path(os.environ.get("XDG_DATA_HOME") or _home() / ".local" / "share") / "argos-translate" / "packages"


class PackageError(Exception):
    """An installed or to-be-installed package that is not usable; the message says why."""


@dataclass(frozen=True)
class InstalledPackage:
    """One installed Argos package: argostranslate's `Package` and the facts this project uses."""

    argos: Package

    @property
    def path(self) -> Path:
        return Path(self.argos.package_path)

    @property
    def from_code(self) -> str:
        return self.argos.from_code or ""

    @property
    def to_code(self) -> str:
        return self.argos.to_code or ""

    @property
    def version(self) -> str:
        return str(self.argos.package_version or "")

    @property
    def type(self) -> str:
        return str(self.argos.type or "translate")

    @property
    def target_prefix(self) -> str:
        return str(getattr(self.argos, "target_prefix", "") or "")  # older argostranslate: no prefix

    @property
    def pair(self) -> str:
        return f"{self.from_code}-{self.to_code}"

    @property
    def model_dir(self) -> Path:
        return self.path / "model"

    @property
    def sentencepiece_model(self) -> Path:
        return self.path / "sentencepiece.model"


def read_metadata(path: Path) -> dict[str, Any]:
    meta_path = path / "metadata.json"
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PackageError(f"{path}: no metadata.json") from None
    except (OSError, ValueError) as exc:
        raise PackageError(f"{meta_path}: unreadable metadata: {exc}") from None
    if not isinstance(meta, dict):
        raise PackageError(f"{meta_path}: metadata is not a JSON object")
    return meta


def load_package(path: Path) -> InstalledPackage:
    """The package in `path`, read by argostranslate after a check that says what is wrong
    (argostranslate itself fails with a bare KeyError or FileNotFoundError)."""
    from argostranslate.package import Package

    meta = read_metadata(path)
    if meta.get("type", "translate") == "translate" and not (
            isinstance(meta.get("from_code"), str) and isinstance(meta.get("to_code"), str)):
        raise PackageError(f"{path / 'metadata.json'}: from_code/to_code missing")
    try:
        return InstalledPackage(Package(path))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise PackageError(f"{path}: argostranslate cannot read the package: {exc}") from None


def installed_packages(directory: Path) -> tuple[list[InstalledPackage], list[str]]:
    """Packages in the folder, plus one problem line per folder that is not a readable package."""
    packages: list[InstalledPackage] = []
    problems: list[str] = []
    if not directory.is_dir():
        return packages, problems
    for path in sorted(directory.iterdir()):
        if not path.is_dir() or path.name.startswith("."):
            continue
        try:
            packages.append(load_package(path))
        except PackageError as exc:
            problems.append(str(exc))
    return packages, problems


def version_key(version: str) -> list[tuple[int, int, str]]:
    parts = []
    for p in version.replace("-", ".").split("."):
        parts.append((0, int(p), "") if p.isdigit() else (1, 0, p))
    return parts


def package_for(packages: list[InstalledPackage], source: str, target: str = TARGET) -> InstalledPackage | None:
    """The newest installed translate package source -> target."""
    matches = [p for p in packages if p.type == "translate" and p.from_code == source and p.to_code == target]
    return max(matches, key=lambda p: version_key(p.version)) if matches else None


def missing_languages(packages: list[InstalledPackage], languages: Iterable[str], target: str = TARGET
                      ) -> list[str]:
    return [lang for lang in languages if lang != target and package_for(packages, lang, target) is None]
