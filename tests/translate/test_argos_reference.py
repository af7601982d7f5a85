"""The batched CTranslate2 path gives what argostranslate itself gives, sentence for sentence.

argostranslate runs in a child process: its settings read the environment once, at import.
Its sentence splitter is bypassed (one sentence per call: MiniSBD would download a model), and
both paths decode with the same beam and the same length cap, so any difference is in how the
package is tokenised, batched, decoded or detokenised.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from normalise.translate.argos_model import ArgosModel, DecodeSettings
from normalise.translate.packages import installed_packages, package_for

SENTENCES = ["Die Gespräche in Istanbul endeten ohne Einigung.",
             "Beide Seiten wollen sich nächste Woche wieder treffen.",
             "Der Minister sagte am Dienstag, die Lage an der Grenze sei ernst, aber unter Kontrolle.",
             "Ja.",
             "Die Bahn streikt."]

REFERENCE = """
import json, sys
from argostranslate import translate

class OneSentence:
    def split_sentences(self, text):
        return [text]

translation = translate.get_translation_from_codes("de", "en")
translation.underlying.sentencizer = OneSentence()
print(json.dumps([translate.translate(s, "de", "en") for s in json.loads(sys.argv[1])]))
"""


def test_batched_path_equals_argostranslate(packages_dir: Path, tmp_path: Path):
    env = dict(os.environ, ARGOS_PACKAGES_DIR=str(packages_dir), ARGOS_BEAM_SIZE="2", ARGOS_DEVICE_TYPE="cpu",
               XDG_DATA_HOME=str(tmp_path / "data"), XDG_CONFIG_HOME=str(tmp_path / "config"),
               XDG_CACHE_HOME=str(tmp_path / "cache"))
    out = subprocess.run([sys.executable, "-c", REFERENCE, json.dumps(SENTENCES)], env=env, capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    reference = json.loads(out.stdout)
    packages, _ = installed_packages(packages_dir)
    package = package_for(packages, "de")
    assert package is not None
    # argostranslate caps nothing itself: CTranslate2's default of 256 tokens applies to both paths.
    model = ArgosModel(package, DecodeSettings(beam_size=2, batch_size=32, max_decoding_length=256,
                                               max_decoding_ratio=1000.0))
    batched = model.translate(SENTENCES)
    assert model.calls == 1  # all five sentences in one batch, sorted by length
    assert batched == reference
    assert all(batched)
