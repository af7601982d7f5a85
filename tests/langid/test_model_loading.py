"""When lingua's models load: not when a Normaliser is built, nor for a page whose script or
function words settle its language, but when a page needs them, or all at once on `warm_up()` (run in a fresh process: the test session has loaded them already)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

_SCRIPT = r"""
import json
from normalise import InputDocument, Normaliser, NormaliserConfig
from normalise.langid import detector

def loaded():
    return sorted((" ".join(sorted(k[0])) if k[0] != "all" else "all", k[1], d.preloaded)
                  for k, d in detector._detectors.items())

steps = {}
normaliser = Normaliser(NormaliserConfig(translate=False))
steps["built"] = loaded()
english = normaliser.normalise(InputDocument(id="en", text="The council approved the new harbour budget on Monday evening."))
steps["english"] = [loaded(), english.language]
greek = normaliser.normalise(InputDocument(id="el", text="Η κυβέρνηση ανακοίνωσε νέα μέτρα για την οικονομία."))
steps["greek"] = [loaded(), greek.language]
french = normaliser.normalise(InputDocument(id="fr", text="Le gouvernement a présenté mardi un projet de loi sur les retraites."))
steps["french"] = [loaded(), french.language]
normaliser.warm_up()
steps["warm"] = loaded()
print(json.dumps(steps))
"""


def test_models_load_when_a_page_needs_them_and_all_on_warm_up():
    out = subprocess.run([sys.executable, "-c", _SCRIPT], capture_output=True, text=True, check=True, cwd=REPO)
    steps = json.loads(out.stdout.strip().splitlines()[-1])
    assert steps["built"] == []  # building the Normaliser loads nothing
    assert steps["english"] == [[], "en"]  # its function words settle clear prose: no lingua model either
    assert steps["greek"] == [[], "el"]  # the script settles Greek: lingua is never needed
    latin_loaded, language = steps["french"]
    assert language == "fr"
    assert [False] == [p for langs, low, p in latin_loaded if not low]  # the Latin-script detector, lazily
    assert steps["warm"] and all(preloaded for _, _, preloaded in steps["warm"])  # every detector, every model
    assert any(low for _, low, _ in steps["warm"])  # the out-of-scope guard included


def test_warm_up_steps_name_one_detector_each_and_the_source_names_only_when_translating():
    from normalise import Normaliser, NormaliserConfig
    from normalise.langid import LanguageIdentifier
    from normalise.translate import NoTranslator

    langid = LanguageIdentifier(("en", "de", "el", "ru", "uk"), preload=False)
    assert [name for name, _ in langid.preload_steps()] == [
        "language models de en", "language models ru uk", "out-of-scope guard models"]
    assert [name for name, _ in LanguageIdentifier(("en", "el"), guard=None, preload=False).preload_steps()] == []

    def steps(translate: bool) -> list[str]:
        normaliser = Normaliser(NormaliserConfig(languages=("en", "de"), translate=translate), langid=langid,
                                translator=NoTranslator())
        return [name for name, _ in normaliser.warm_up_steps()]

    assert steps(False) == ["names index", "word frequencies (place names)", "stop-word lists (text pages)",
                            "numpy (fuzzy name matching)",
                            "language models de en", "language models ru uk", "out-of-scope guard models"]
    assert steps(True)[-1] == "source-language names"
