"""Translation models a user installs into their own folder are the ones the batch CLI uses."""
from __future__ import annotations

import json

import pytest

from .helpers import records, run_cli

GERMAN = "Die Regierung und die Delegation führten am Montag in Istanbul Gespräche über eine Waffenruhe.\n"


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A packages folder filled by the real command, with --packages-dir after the subcommand."""
    home = tmp_path_factory.mktemp("models-home")
    packages = home / "my-packages"
    proc = run_cli(home, "models", "install-test-package", "de", "--packages-dir", str(packages))
    assert proc.returncode == 0, proc.stderr
    assert b"gibberish" in proc.stderr.lower() and b"installed de-en" in proc.stdout
    return home, packages


def test_packages_dir_is_accepted_after_the_subcommand(installed):
    home, packages = installed
    proc = run_cli(home, "models", "list", "--packages-dir", str(packages), "--json")
    assert proc.returncode == 0, proc.stderr
    listing = json.loads(proc.stdout)
    assert listing["packages_dir"] == str(packages)
    assert [p["pair"] for p in listing["installed"]] == ["de-en"]


def test_batch_cli_translates_with_the_model_in_packages_dir(installed, tmp_path):
    home, packages = installed
    page = tmp_path / "page.txt"
    page.write_text(GERMAN, encoding="utf-8")
    workdir = tmp_path / "workdir"
    workdir.mkdir()
    with_model = records(run_cli(home, "--packages-dir", str(packages), "--lang", "de", str(page), cwd=workdir))
    without = records(run_cli(home, "--lang", "de", str(page)))  # argostranslate's default folder: empty
    (block,) = [b for b in with_model[0]["blocks"] if b["language"] == "de"]
    assert block["translation"] == "translated" and block["model"]
    assert [b["translation"] for b in without[0]["blocks"] if b["language"] == "de"] == ["untranslated"]
    # The translation cache lives in the user's data folder, not in the folder the CLI ran from.
    assert (home / "xdg-data" / "news-ingest" / "translation-cache.sqlite").is_file()
    assert list(workdir.iterdir()) == []


def test_a_missing_packages_dir_is_a_usage_error(tmp_path):
    proc = run_cli(tmp_path, "--packages-dir", str(tmp_path / "nope"), stdin=b"text")
    assert proc.returncode == 2
    assert b"--packages-dir" in proc.stderr and b"no such folder" in proc.stderr


def test_unknown_test_package_language_is_refused(tmp_path):
    proc = run_cli(tmp_path, "models", "install-test-package", "xx", "--packages-dir", str(tmp_path / "p"))
    assert proc.returncode == 2 and b"no test package for xx" in proc.stderr


def test_help_names_the_other_commands_and_the_exit_codes(tmp_path):
    proc = run_cli(tmp_path, "--help")
    assert proc.returncode == 0
    text = proc.stdout.decode()
    assert "python -m normalise models" in text and "python -m normalise learn-names" in text
    assert "--packages-dir" in text and "exit status" in text and "4  nothing to do" in text
