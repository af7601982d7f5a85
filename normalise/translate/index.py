"""Installing from the Argos package index: the only code here that touches the network,
and only when the user asks for it (`models install --from-index`).

The index is read into argostranslate's own `AvailablePackage` objects (the index argospm
reads); the index and the packages are downloaded with httpx (normalise/download.py: time and
size limits, progress, SHA-256), and each package is installed by `install_archive`, with the
same checksum and atomic-install checks as a local file.
"""
from __future__ import annotations

import json
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import httpx

from normalise.download import DownloadError, download_bytes, download_to
from normalise.translate.install import InstallError, install_archive
from normalise.translate.packages import TARGET, InstalledPackage, argos_setting, version_key

if TYPE_CHECKING:
    from argostranslate.package import AvailablePackage

DEFAULT_INDEX = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/"
OFFLINE_HELP = ("On an offline or air-gapped machine: download the .argosmodel files on a connected machine "
                "(links are in {url}), copy them over with a SHA256SUMS file, then run: "
                "python -m normalise models install /path/to/folder")
MAX_INDEX_BYTES = 16 << 20
MAX_PACKAGE_BYTES = 2 << 30  # the largest public Argos packages are a few hundred MB


def index_url() -> str:
    """argostranslate's setting (ARGOS_PACKAGE_INDEX env or settings.json) + index.json."""
    base = argos_setting("ARGOS_PACKAGE_INDEX") or DEFAULT_INDEX
    return base if base.endswith(".json") else base.rstrip("/") + "/index.json"


@dataclass(frozen=True)
class IndexEntry:
    package: AvailablePackage
    sha256: str | None  # argostranslate keeps no checksum; an index that lists one gets it verified


def available_packages(url: str, http: httpx.Client | None = None) -> list[IndexEntry]:
    """The index at `url`, each entry read by argostranslate into an AvailablePackage."""
    from argostranslate.package import AvailablePackage

    try:
        raw, _ = download_bytes(url, max_bytes=MAX_INDEX_BYTES, http=http)
    except DownloadError as exc:
        raise InstallError(f"cannot download the Argos package index: {exc}. "
                           + OFFLINE_HELP.format(url=url)) from None
    try:
        entries = json.loads(raw)
    except ValueError:
        entries = None
    if not isinstance(entries, list):
        raise InstallError(f"{url} is not an Argos package index (expected a JSON list)")
    return [IndexEntry(AvailablePackage(entry), entry.get("sha256") or None)
            for entry in entries if isinstance(entry, dict)]


def _newest(entries: list[IndexEntry]) -> IndexEntry:
    return max(entries, key=lambda e: version_key(str(e.package.package_version or "")))


def install_from_index(sources: list[str], directory: Path, url: str | None = None, force: bool = False,
                       log: Callable[[str], object] = print, http: httpx.Client | None = None,
                       progress: bool | None = None) -> list[InstalledPackage]:
    """Install the <source>->en package (or <source>-<target>) for each of `sources` from the index.
    A progress bar is shown on a terminal (`progress=None`)."""
    show = sys.stderr.isatty() if progress is None else progress
    from argostranslate.package import argospm_package_name

    url = url or index_url()
    available = available_packages(url, http)
    installed = []
    for source in sources:
        src, _, dst = source.partition("-")
        dst = dst or TARGET
        matches = [e for e in available
                   if e.package.type == "translate" and e.package.from_code == src and e.package.to_code == dst]
        if not matches:
            raise InstallError(f"the Argos index at {url} has no {src}->{dst} package")
        entry = _newest(matches)
        package = entry.package
        links = [link for link in package.links or [] if isinstance(link, str)]
        if not links:
            raise InstallError(f"the Argos index entry for {src}->{dst} has no download link")
        with tempfile.TemporaryDirectory() as tmp:
            archive = Path(tmp) / f"{argospm_package_name(package)}.argosmodel"
            try:
                got = download_to(links[0], archive, max_bytes=MAX_PACKAGE_BYTES, http=http, progress=show)
            except DownloadError as exc:
                raise InstallError(f"cannot download the {src}->{dst} package: {exc}. "
                                   + OFFLINE_HELP.format(url=url)) from None
            expected = entry.sha256
            log(f"downloaded {got.url} ({got.size} bytes, SHA-256 {got.sha256})")
            installed.append(install_archive(archive, directory, sha256=expected, verify=bool(expected),
                                             force=force))
    return installed
