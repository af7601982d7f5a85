"""Site templates: blocks recurring across pages of one source are learned and dropped."""
from __future__ import annotations

import hashlib

import pytest

from normalise import InputDocument, NormaliserConfig
from normalise.boilerplate import block_fingerprint, learn_site_templates
from normalise.pipeline import Normaliser

# Chrome of one fictional source, in several languages, as it appears on every page.
CHROME = [
    "Flusszeitung – unabhängig seit 1952",
    "Suivez-nous sur nos réseaux",
    "Наша редакция работает круглосуточно",
    "本站信息仅供参考",
    "Ring the newsroom: 0800 555 0199",
]
ARTICLES = [
    "The council approved the new cycle lanes after a two-hour debate on Tuesday evening.",
    "Der Stadtrat hat am Dienstag nach langer Debatte neue Radwege beschlossen und Geld freigegeben.",
    "Le conseil municipal a validé mardi soir les nouvelles pistes cyclables après un long débat.",
    "Городской совет во вторник одобрил новые велодорожки после долгого обсуждения бюджета.",
]


def page(article: str, chrome=CHROME) -> list[str]:
    return [chrome[0], chrome[1], article, chrome[2], chrome[3], chrome[4]]


def test_fingerprint_is_stable_and_ignores_case_spacing_punctuation_and_digits():
    assert block_fingerprint("© 2024 Example Media.") == block_fingerprint("©  2025 EXAMPLE media")
    assert block_fingerprint("Share this story") != block_fingerprint("Share this page")
    assert block_fingerprint("Suivez-nous sur nos réseaux") == block_fingerprint("suivez nous, sur nos RÉSEAUX!")
    # defined by the normalised text alone (BLAKE2b, 8 bytes), so stable across runs and machines
    expected = hashlib.blake2b("suivez nous sur nos réseaux".encode(), digest_size=8).hexdigest()
    assert block_fingerprint("Suivez-nous sur nos réseaux") == expected


def test_learns_chrome_in_every_language_and_never_article_text():
    report = learn_site_templates([page(a) for a in ARTICLES], min_pages=3, min_share=0.5)
    assert report.pages == 4
    assert report.fingerprints == {block_fingerprint(c) for c in CHROME}
    assert not report.fingerprints & {block_fingerprint(a) for a in ARTICLES}
    text = report.describe()
    assert "5 template block(s) learned from 4 page(s)" in text
    assert "本站信息仅供参考" in text and "4/4 pages" in text


def test_needs_enough_pages_and_a_large_enough_share():
    too_few = learn_site_templates([page(a) for a in ARTICLES[:2]], min_pages=3)
    assert too_few.fingerprints == frozenset() and "too few pages" in too_few.describe()
    # chrome on 3 of 7 pages is below a 50% share, even though it meets min_pages
    pages = [page(a) for a in ARTICLES[:3]] + [[f"a page only about {word}"] for word in ("tides", "ferries", "gulls", "piers")]
    rare = learn_site_templates(pages, min_pages=3, min_share=0.5)
    assert rare.pages == 7 and rare.fingerprints == frozenset()
    assert block_fingerprint(CHROME[0]) in learn_site_templates(pages, min_pages=3, min_share=0.4).fingerprints
    with pytest.raises(ValueError):
        learn_site_templates([], min_pages=1)


def test_learned_templates_drop_chrome_on_a_new_page():
    report = learn_site_templates([page(a) for a in ARTICLES])
    new_article = "Η δημοτική αρχή ενέκρινε νέους ποδηλατοδρόμους μετά από πολύωρη συζήτηση την Τρίτη."
    new_article_2 = "The first lanes will open on the riverside road before the summer holidays begin."
    text = "\n".join([CHROME[0], new_article, CHROME[2], new_article_2, CHROME[3], CHROME[4]])
    normaliser = Normaliser(NormaliserConfig(translate=False))
    record = normaliser.normalise(InputDocument(id="new", text=text, template_hashes=report.fingerprints))
    dropped = {b.text: b for b in record.blocks if not b.kept}
    for chrome in (CHROME[0], CHROME[2], CHROME[3], CHROME[4]):
        assert dropped[chrome].removed == "site_template"
        assert dropped[chrome].removed_detail.startswith("template block " + block_fingerprint(chrome))
    assert [b.text for b in record.blocks if b.kept] == [new_article, new_article_2]


def test_without_templates_the_same_chrome_is_kept():
    text = "\n".join([CHROME[2], ARTICLES[0], CHROME[3]])
    record = Normaliser(NormaliserConfig(translate=False)).normalise(InputDocument(id="x", text=text))
    assert CHROME[2] in [b.text for b in record.blocks if b.kept]
