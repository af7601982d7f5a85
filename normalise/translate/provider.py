"""Model provider for the translation stage: installed Argos packages, loaded on first need."""
from __future__ import annotations

import contextlib
import logging
from pathlib import Path

from normalise.translate.argos_model import ArgosModel, DecodeSettings, load_model
from normalise.translate.packages import (
    TARGET,
    InstalledPackage,
    PackageError,
    installed_packages,
    package_for,
)

log = logging.getLogger(__name__)


def install_hint(source: str) -> str:
    return (f"no Argos model installed for {source}->{TARGET} (run: python -m normalise models install "
            f"<translate-{source}_{TARGET}.argosmodel or folder> --sha256 <hex>, or with network: "
            f"python -m normalise models install --from-index {source})")


class ArgosProvider:
    def __init__(self, directory: Path, settings: DecodeSettings, languages=None):
        self.directory = directory
        self.settings = settings
        self.languages = set(languages) if languages else None
        self._packages = None
        self._models: dict[str, ArgosModel | str] = {}

    def packages(self):
        if self._packages is None:
            self._packages, problems = installed_packages(self.directory)
            for problem in problems:
                log.warning("ignoring unreadable Argos package: %s", problem)
        return self._packages

    def package(self, source: str) -> InstalledPackage | None:
        """The installed package this provider loads for `source` (None: none installed)."""
        return package_for(self.packages(), source, TARGET)

    def model_bytes(self) -> int:
        """Bytes on disk of the models this provider may load (each configured language's package:
        its CTranslate2 weights and SentencePiece model). CTranslate2 holds the weights in memory as
        stored, so this is about what they take once loaded."""
        sources = self.languages if self.languages is not None else {p.from_code for p in self.packages()}
        total = 0
        for package in filter(None, map(self.package, sources - {TARGET})):
            for path in (package.model_dir / "model.bin", package.sentencepiece_model):
                with contextlib.suppress(OSError):
                    total += path.stat().st_size
        return total

    def __call__(self, source: str) -> ArgosModel | str:
        if source in self._models:
            return self._models[source]
        if self.languages is not None and source not in self.languages:
            result: ArgosModel | str = f"language {source} is not configured for translation"
        else:
            package = self.package(source)
            if package is None:
                result = install_hint(source)
            else:
                try:
                    result = load_model(package, self.settings)
                except (PackageError, RuntimeError, OSError, ValueError) as exc:
                    log.error("cannot load Argos package %s: %s", package.path, exc)
                    result = (f"Argos model {package.pair} at {package.path} failed to load: {exc} "
                              f"(check it with: python -m normalise models verify {source})")
        self._models[source] = result
        return result

    @property
    def loaded(self) -> list[ArgosModel]:
        return [m for m in self._models.values() if not isinstance(m, str)]
