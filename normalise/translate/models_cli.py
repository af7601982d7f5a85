"""`python -m normalise models list|install|remove|verify`: manage Argos translation packages.

    list                         installed packages; configured languages with no model to English
    install PATH [PATH ...]      .argosmodel files or folders of them (offline), verified against
                                 --sha256 HEX or a SHA256SUMS file beside each archive
    install --from-index de fr   download <lang>->en from the Argos index (the only networked step)
    remove de | de-en | FOLDER   uninstall
    verify [de ...]              check installed packages load (metadata, model, SentencePiece, CTranslate2)
    install-test-package de fr   build and install tiny RANDOM-WEIGHT packages, offline: their
                                 "English" is GIBBERISH; only for trying the pipeline end to end

Packages go to argostranslate's packages folder (ARGOS_PACKAGES_DIR, argostranslate's
settings.json, else ~/.local/share/argos-translate/packages) or --packages-dir DIR, given
before or after the subcommand; pass the same --packages-dir to `python -m normalise`.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from normalise.config import DEFAULT_LANGUAGES
from normalise.translate.install import (
    InstallError,
    archives_in,
    check_loads,
    install_archive,
    remove,
    select,
)
from normalise.translate.packages import (
    PackageError,
    installed_packages,
    missing_languages,
    packages_dir,
)

_PACKAGES_DIR_HELP = "Argos packages folder (default: ARGOS_PACKAGES_DIR, else argostranslate's)"


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m normalise models", description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__.split("\n\n", 1)[1])
    p.add_argument("--packages-dir", type=Path, metavar="DIR", help=_PACKAGES_DIR_HELP)
    # The same option after the subcommand; SUPPRESS keeps a value given before it.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--packages-dir", type=Path, metavar="DIR", default=argparse.SUPPRESS,
                        help=_PACKAGES_DIR_HELP)
    sub = p.add_subparsers(dest="command", required=True)
    ls = sub.add_parser("list", help="installed packages and missing languages", parents=[common])
    ls.add_argument("--languages", default=",".join(DEFAULT_LANGUAGES), help="configured languages, comma-separated")
    ls.add_argument("--json", action="store_true")
    ins = sub.add_parser("install", help="install .argosmodel files/folders, or --from-index", parents=[common])
    ins.add_argument("paths", nargs="*", type=Path)
    ins.add_argument("--sha256", help="expected SHA-256 of the (single) archive")
    ins.add_argument("--no-verify", action="store_true", help="install without a checksum (not recommended)")
    ins.add_argument("--force", action="store_true", help="replace an installed package of the same name")
    ins.add_argument("--from-index", nargs="+", metavar="LANG", help="download LANG->en from the Argos index (network)")
    rm = sub.add_parser("remove", help="uninstall packages", parents=[common])
    rm.add_argument("selectors", nargs="+", metavar="LANG|PAIR|FOLDER")
    ver = sub.add_parser("verify", help="check installed packages load", parents=[common])
    ver.add_argument("selectors", nargs="*", metavar="LANG|PAIR|FOLDER")
    test = sub.add_parser("install-test-package", parents=[common],
                          help="install tiny random-weight LANG->en packages (offline; output is gibberish)")
    test.add_argument("languages", nargs="+", metavar="LANG")
    test.add_argument("--force", action="store_true", help="replace an installed package of the same name")
    return p


def _err(msg: str) -> None:
    print(f"error: {msg}", file=sys.stderr)


def cmd_list(directory: Path, args) -> int:
    packages, problems = installed_packages(directory)
    languages = [c.strip() for c in args.languages.split(",") if c.strip()]
    missing = missing_languages(packages, languages)
    if args.json:
        print(json.dumps({"packages_dir": str(directory), "installed": [
            {"pair": p.pair, "version": p.version, "path": str(p.path), "type": p.type} for p in packages],
            "missing": missing, "problems": problems}, indent=2))
        return 0
    print(f"packages folder: {directory}")
    if packages:
        print(f"{'pair':<8} {'version':<9} folder")
        for p in packages:
            print(f"{p.pair:<8} {p.version:<9} {p.path.name}")
    else:
        print("no packages installed")
    for problem in problems:
        print(f"unreadable: {problem}")
    if missing:
        print(f"configured languages without a model to English: {', '.join(missing)}")
        print("install: python -m normalise models install <file.argosmodel|folder> --sha256 <hex>")
    else:
        print("every configured language has a model to English")
    return 0


def cmd_install(directory: Path, args) -> int:
    if args.from_index:
        if args.paths:
            _err("give either paths or --from-index, not both")
            return 2
        from normalise.translate.index import install_from_index

        try:
            for p in install_from_index(args.from_index, directory, force=args.force):
                print(f"installed {p.pair} {p.version} -> {p.path}")
        except InstallError as exc:
            _err(str(exc))
            return 1
        return 0
    if not args.paths:
        _err("nothing to install: give .argosmodel files or folders, or --from-index LANG")
        return 2
    archives = []
    for path in args.paths:
        if path.is_dir():
            found = archives_in(path)
            if not found:
                _err(f"{path}: no .argosmodel files in this folder")
                return 1
            archives.extend(found)
        else:
            archives.append(path)
    if args.sha256 and len(archives) != 1:
        _err("--sha256 names one archive; for several, put a SHA256SUMS file beside them")
        return 2
    failed = 0
    for archive in archives:
        try:
            p = install_archive(archive, directory, sha256=args.sha256, verify=not args.no_verify, force=args.force)
            print(f"installed {p.pair} {p.version} -> {p.path}")
        except InstallError as exc:
            _err(str(exc))
            failed += 1
    return 1 if failed else 0


def cmd_remove(directory: Path, args) -> int:
    status = 0
    for selector in args.selectors:
        removed = remove(directory, selector)
        if not removed:
            _err(f"no installed package matches {selector!r} in {directory}")
            status = 1
        for p in removed:
            print(f"removed {p.pair} {p.version} ({p.path})")
    return status


def cmd_verify(directory: Path, args) -> int:
    packages, problems = installed_packages(directory)
    if args.selectors:
        packages = [p for s in args.selectors for p in select(directory, s)]
        if not packages:
            _err(f"no installed package matches {', '.join(args.selectors)} in {directory}")
            return 1
    bad = len(problems)
    for problem in problems:
        print(f"FAIL {problem}")
    for p in packages:
        try:
            check_loads(p, load_model=True)
            print(f"ok   {p.pair} {p.version} {p.path}")
        except PackageError as exc:
            print(f"FAIL {exc}")
            bad += 1
    if not packages and not problems:
        print(f"no packages installed in {directory}")
    return 1 if bad else 0


def cmd_install_test_package(directory: Path, args) -> int:
    import tempfile

    from normalise.translate.random_package import build_argos_package

    unknown = [lang for lang in args.languages if lang not in DEFAULT_LANGUAGES or lang == "en"]
    if unknown:
        _err(f"no test package for {', '.join(unknown)}; languages: {', '.join(DEFAULT_LANGUAGES[1:])}")
        return 2
    print("WARNING: test packages have RANDOM weights: their English is gibberish. They let you try the "
          "pipeline offline; install real packages for real translations.", file=sys.stderr)
    failed = 0
    with tempfile.TemporaryDirectory() as work:
        for lang in args.languages:
            archive = build_argos_package(Path(work), lang, "en", name=f"translate-{lang}_en-random-test")
            try:
                p = install_archive(archive, directory, verify=False, force=args.force)
                print(f"installed {p.pair} {p.version} (random weights, gibberish output) -> {p.path}")
            except InstallError as exc:
                _err(str(exc))
                failed += 1
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    directory = packages_dir(args.packages_dir)
    handler = {"list": cmd_list, "install": cmd_install, "remove": cmd_remove, "verify": cmd_verify,
               "install-test-package": cmd_install_test_package}[args.command]
    return handler(directory, args)


if __name__ == "__main__":
    sys.exit(main())
