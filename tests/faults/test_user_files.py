"""Hostile user YAML (`--lexicon`, `--gazetteer`): refused with exit 2 and one line naming the file,
before anything is built (no memory blow-up, no recursion, no segfault)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from normalise.boilerplate.lexicon import Lexicon, LexiconError
from normalise.names.gazetteer import GazetteerError, load_gazetteer
from normalise.safe_yaml import MAX_DEPTH, UserFileError, load_user_yaml

REPO = Path(__file__).resolve().parents[2]


def alias_bomb() -> str:
    """~340 bytes that a plain safe_load expands to 9**9 strings."""
    text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for prev, name in zip("abcdefgh", "bcdefghi", strict=False):
        text += f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]\n"
    return text


ATTACKS = {
    "alias_bomb": alias_bomb(),
    "flow_nesting_50000": "rules: " + "[" * 50_000 + "]" * 50_000 + "\n",
    "block_nesting_5000": "".join(" " * i + "k:\n" for i in range(5_000)) + " " * 5_000 + "k: 1\n",
    "mapping_nesting_20000": "entities: " + "{a: " * 20_000 + "1" + "}" * 20_000 + "\n",
}


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_an_attack_is_refused_before_it_is_built(tmp_path, name):
    path = tmp_path / f"{name}.yaml"
    path.write_text(ATTACKS[name], encoding="utf-8")
    with pytest.raises(UserFileError) as info:
        load_user_yaml(path, "lexicon file")
    message = str(info.value)
    assert str(path) in message and "\n" not in message
    assert ("expands to more than" in message) if name == "alias_bomb" else (f"deeper than {MAX_DEPTH}" in message)


def test_aliases_within_the_limit_still_load(tmp_path):
    path = tmp_path / "ok.yaml"
    path.write_text("base: &b {max_chars: 10}\nother: *b\nlist: [*b, *b]\n", encoding="utf-8")
    assert load_user_yaml(path)["list"] == [{"max_chars": 10}, {"max_chars": 10}]


def test_unknown_lexicon_keys_name_the_file_and_the_key(tmp_path):
    path = tmp_path / "lex.yaml"
    path.write_text("settings:\n  cookie:\n    max_chars: 10\n    bogus: 1\nrules: {}\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"lex\.yaml: settings for 'cookie': unknown key\(s\) 'bogus'"):
        Lexicon.from_files([], [path])
    path.write_text("rulez: {}\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"lex\.yaml: unknown key\(s\) 'rulez'"):
        Lexicon.from_files([], [path])


def test_unknown_gazetteer_keys_name_the_file(tmp_path):
    path = tmp_path / "gaz.yaml"
    path.write_text("entities: []\npeople: []\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match=r"gaz\.yaml: unknown key\(s\) 'people'"):
        load_gazetteer([path])


def test_a_backtracking_user_lexicon_pattern_is_refused(tmp_path):
    path = tmp_path / "lex.yaml"
    path.write_text("rules:\n  promo:\n    patterns: ['^(a+)+$']\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="nested quantifiers"):
        Lexicon.from_files([], [path])


@pytest.mark.parametrize("option", ["--lexicon", "--gazetteer"])
@pytest.mark.parametrize("name", ["alias_bomb", "flow_nesting_50000", "mapping_nesting_20000", "unknown_settings_key"])
def test_the_cli_exits_2_with_one_line_naming_the_file(tmp_path, option, name):
    text = ATTACKS.get(name, "settings:\n  cookie:\n    bogus: 1\nrules: {}\n")
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "normalise", "--no-translate", option, str(path)],
                          input=b"A paragraph about the harbour.", capture_output=True, cwd=REPO, timeout=300, check=False)
    stderr = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 2, stderr[-2000:]
    assert "Traceback" not in stderr and proc.stdout == b""
    errors = [line for line in stderr.splitlines() if str(path) in line]
    assert len(errors) == 1, stderr
