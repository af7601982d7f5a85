"""Install, remove and verify Argos packages in the packages folder; atomic, checksummed, offline.

An install unpacks into a hidden temporary folder beside the target, checks it, and
only then renames it into place: a corrupt or truncated archive leaves nothing behind.
"""
from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from normalise.translate.packages import (
    INSTALL_TMP_PREFIX,
    InstalledPackage,
    PackageError,
    installed_packages,
    load_package,
)

SUMS_FILE = "SHA256SUMS"
_ZIP_ERRORS = (zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error)


class InstallError(Exception):
    """Installing failed; the message says why and what to do. Nothing was changed."""


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def checksum_from_sums(archive: Path) -> str | None:
    """The expected SHA-256 for `archive` from a SHA256SUMS file beside it (sha256sum format)."""
    sums = archive.parent / SUMS_FILE
    if not sums.is_file():
        return None
    for line in sums.read_text(encoding="utf-8", errors="replace").splitlines():
        parts = line.strip().split(None, 1)
        if len(parts) == 2 and parts[1].lstrip("*").strip() == archive.name:
            return parts[0].lower()
    return None


def verify_checksum(archive: Path, expected: str | None, required: bool = True) -> str:
    """Check the archive against `expected` (or SHA256SUMS beside it); returns the actual SHA-256."""
    expected = (expected or checksum_from_sums(archive) or "").strip().lower()
    actual = sha256_file(archive)
    if not expected:
        if required:
            raise InstallError(
                f"{archive}: no checksum to verify against. Give --sha256 <hex>, put a {SUMS_FILE} file "
                f"beside it (sha256sum format), or pass --no-verify to install unverified "
                f"(its SHA-256 is {actual}).")
        return actual
    if expected != actual:
        raise InstallError(f"{archive}: SHA-256 mismatch: expected {expected}, file has {actual}. "
                           f"The file is corrupt or not the one you meant; nothing was installed.")
    return actual


def _archive_root(zf: zipfile.ZipFile, archive: Path) -> str:
    names = zf.namelist()
    if not names:
        raise InstallError(f"{archive}: the archive is empty")
    roots = set()
    for name in names:
        parts = PurePosixPath(name).parts
        if name.startswith("/") or ".." in parts or "\\" in name:
            raise InstallError(f"{archive}: unsafe path inside the archive: {name!r}")
        roots.add(parts[0])
    if len(roots) != 1:
        raise InstallError(f"{archive}: expected one top-level package folder, found {sorted(roots)[:5]}")
    root = roots.pop()
    if root.startswith("."):
        raise InstallError(f"{archive}: package folder name {root!r} is not allowed")
    for required in ("metadata.json", "model/model.bin"):
        if f"{root}/{required}" not in names:
            raise InstallError(f"{archive}: not an Argos translation package: {root}/{required} is missing")
    if f"{root}/sentencepiece.model" not in names:
        raise InstallError(f"{archive}: {root}/sentencepiece.model is missing "
                           "(only SentencePiece packages are supported)")
    return root


def install_archive(archive: Path, directory: Path, sha256: str | None = None, verify: bool = True,
                    force: bool = False) -> InstalledPackage:
    archive = Path(archive)
    if not archive.is_file():
        raise InstallError(f"{archive}: no such file")
    verify_checksum(archive, sha256, required=verify)
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as exc:
        raise InstallError(f"{archive}: not a complete .argosmodel archive "
                           f"(truncated or corrupt download?): {exc}") from None
    directory.mkdir(parents=True, exist_ok=True)
    with zf:
        root = _archive_root(zf, archive)
        bad = _first_bad_member(zf, archive)
        if bad:
            raise InstallError(bad)
        target = directory / root
        if target.exists() and not force:
            raise InstallError(f"{target} is already installed; pass --force to replace it")
        staging = Path(tempfile.mkdtemp(prefix=INSTALL_TMP_PREFIX, dir=directory))
        try:
            try:
                zf.extractall(staging)
            except _ZIP_ERRORS as exc:
                raise InstallError(f"{archive}: cannot unpack: {exc}") from None
            staged = staging / root
            try:
                package = load_package(staged)
                check_loads(package)
            except PackageError as exc:
                raise InstallError(f"{archive}: package does not load: {exc}") from None
            if target.exists():
                old = staging / ".replaced"
                target.rename(old)
            staged.rename(target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return load_package(target)


def _first_bad_member(zf: zipfile.ZipFile, archive: Path) -> str | None:
    try:
        bad = zf.testzip()
    except _ZIP_ERRORS as exc:
        return f"{archive}: archive is corrupt (truncated?): {exc}"
    return f"{archive}: archive member {bad} is corrupt (CRC mismatch)" if bad else None


def archives_in(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix == ".argosmodel")


def check_loads(package: InstalledPackage, load_model: bool = False) -> None:
    """Raise PackageError unless metadata, model folder and tokenizer are usable."""
    model_dir = package.model_dir
    for required in ("model.bin", "config.json"):
        if not (model_dir / required).is_file():
            raise PackageError(f"{package.path}: model/{required} is missing")
    if not any((model_dir / v).is_file() for v in ("shared_vocabulary.json", "shared_vocabulary.txt",
                                                    "source_vocabulary.json", "source_vocabulary.txt")):
        raise PackageError(f"{package.path}: model/ has no vocabulary file")
    try:
        json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
    except ValueError as exc:
        raise PackageError(f"{package.path}: model/config.json is not valid JSON: {exc}") from None
    import sentencepiece

    try:
        sentencepiece.SentencePieceProcessor(model_file=str(package.sentencepiece_model))
    except (OSError, RuntimeError) as exc:
        raise PackageError(f"{package.path}: sentencepiece.model does not load: {exc}") from None
    if load_model:
        import ctranslate2

        try:
            ctranslate2.Translator(str(model_dir), device="cpu")
        except (RuntimeError, ValueError, OSError) as exc:
            raise PackageError(f"{package.path}: CTranslate2 cannot load model/: {exc}") from None


def select(directory: Path, selector: str) -> list[InstalledPackage]:
    """Packages matching 'de' (de->en), 'de-en', or a package folder name."""
    packages, _ = installed_packages(directory)
    if "-" in selector and len(selector) <= 7 and selector.count("-") == 1:
        src, dst = selector.split("-")
        return [p for p in packages if p.from_code == src and p.to_code == dst]
    by_name = [p for p in packages if p.path.name == selector]
    return by_name or [p for p in packages if p.from_code == selector and p.to_code == "en"]


def remove(directory: Path, selector: str) -> list[InstalledPackage]:
    removed = select(directory, selector)
    for package in removed:
        shutil.rmtree(package.path)
    return removed
