"""Installing from the Argos package index: the only code here that touches the network,
and only when the user asks for it (`models install --from-index`)."""
from __future__ import annotations

import json
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

from normalise.translate.install import InstallError, install_archive, sha256_file
from normalise.translate.packages import TARGET, InstalledPackage, argos_setting

DEFAULT_INDEX = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/"
OFFLINE_HELP = ("On an offline or air-gapped machine: download the .argosmodel files on a connected machine "
                "(links are in {url}), copy them over with a SHA256SUMS file, then run: "
                "python -m normalise models install /path/to/folder")

Fetch = Callable[[str], bytes]


def index_url() -> str:
    """argostranslate's setting (ARGOS_PACKAGE_INDEX env or settings.json) + index.json."""
    base = argos_setting("ARGOS_PACKAGE_INDEX") or DEFAULT_INDEX
    return base if base.endswith(".json") else base.rstrip("/") + "/index.json"


def http_fetch(url: str, timeout: float = 30.0) -> bytes:
    req = urllib.request.Request(url, headers={"User-Agent": "news-ingest-normalise"})
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        return resp.read()


def _get(fetch: Fetch, url: str, what: str, index: str) -> bytes:
    try:
        return fetch(url)
    except (urllib.error.URLError, OSError, TimeoutError) as exc:
        reason = getattr(exc, "reason", exc)
        raise InstallError(f"cannot download {what} from {url}: {reason}. " + OFFLINE_HELP.format(url=index)) from None


def install_from_index(sources: list[str], directory: Path, fetch: Fetch = http_fetch, url: str | None = None,
                       force: bool = False, log=print) -> list[InstalledPackage]:
    """Install the <source>->en package for each source language listed in the index."""
    url = url or index_url()
    raw = _get(fetch, url, "the Argos package index", url)
    try:
        entries = json.loads(raw)
        assert isinstance(entries, list)
    except (ValueError, AssertionError):
        raise InstallError(f"{url} is not an Argos package index (expected a JSON list)") from None
    installed = []
    for source in sources:
        src, _, dst = source.partition("-")
        dst = dst or TARGET
        matches = [e for e in entries if isinstance(e, dict) and e.get("from_code") == src and e.get("to_code") == dst]
        if not matches:
            raise InstallError(f"the Argos index at {url} has no {src}->{dst} package")
        entry = max(matches, key=lambda e: str(e.get("package_version", "")))
        links = [link for link in entry.get("links", []) if isinstance(link, str)]
        if not links:
            raise InstallError(f"the Argos index entry for {src}->{dst} has no download link")
        data = _get(fetch, links[0], f"the {src}->{dst} package", url)
        with tempfile.TemporaryDirectory() as tmp:
            archive = Path(tmp) / f"translate-{src}_{dst}.argosmodel"
            archive.write_bytes(data)
            expected = entry.get("sha256")  # the public index has none today; verify when it does
            log(f"downloaded {links[0]} (SHA-256 {sha256_file(archive)})")
            installed.append(install_archive(archive, directory, sha256=expected, verify=bool(expected), force=force))
    return installed
