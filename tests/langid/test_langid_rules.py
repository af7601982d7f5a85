"""Language identification with the real lingua models: restriction, guard, short-block rule."""
from __future__ import annotations

import pytest

from normalise.config import DEFAULT_LANGUAGES
from normalise.langid import SHORT_BLOCK_CHARS, LanguageIdentifier
from normalise.langid.detector import get_detector
from normalise.record import Block
from normalise.stages import DocumentContext

ENGLISH = "Ukraine and Russia remained far apart on the terms of a ceasefire after Monday's talks."


def _assign(identifier, texts, **ctx):
    blocks = [Block(text=t, position=i) for i, t in enumerate(texts)]
    doc = identifier.assign(blocks, DocumentContext(id="t", **ctx))
    return doc, [b.language for b in blocks]


@pytest.mark.parametrize("lang,text", [
    ("de", "Die Delegationen haben sich am Montag in Istanbul getroffen und über einen Austausch gesprochen."),
    ("fr", "Les délégations se sont rencontrées lundi à Istanbul pour discuter d'un échange de prisonniers."),
    ("es", "Las delegaciones se reunieron el lunes en Estambul para hablar de un intercambio de prisioneros."),
    ("it", "Le delegazioni si sono incontrate lunedì a Istanbul per discutere di uno scambio di prigionieri."),
    ("pt", "As delegações reuniram-se na segunda-feira em Istambul para discutir uma troca de prisioneiros."),
    ("ru", "Делегации встретились в понедельник в Стамбуле, чтобы обсудить обмен военнопленными."),
    ("uk", "Делегації зустрілися в понеділок у Стамбулі, щоб обговорити обмін військовополоненими."),
    ("el", "Οι αντιπροσωπείες συναντήθηκαν τη Δευτέρα στην Κωνσταντινούπολη για ανταλλαγή αιχμαλώτων."),
    ("zh", "双方代表团星期一在伊斯坦布尔会面，讨论交换战俘问题，但没有就停火达成协议。"),
    ("en", ENGLISH),
])
def test_each_configured_language_is_identified(identifier, lang, text):
    assert _assign(identifier, [text]) == (lang, [lang])


@pytest.mark.parametrize("text", [
    "Delegacje spotkały się w poniedziałek w Stambule, aby omówić wymianę jeńców wojennych.",  # Polish
    "Делегациите се срещнаха в понеделник в Истанбул, за да обсъдят размяната на военнопленници.",  # Bulgarian
    "De delegaties kwamen maandag in Istanbul bijeen om een uitwisseling van gevangenen te bespreken.",  # Dutch
])
def test_text_in_an_unconfigured_language_is_unsupported_not_forced(identifier, text):
    assert _assign(identifier, [ENGLISH, text])[1] == ["en", "unsupported"]


def test_without_the_guard_the_same_text_is_forced_into_a_configured_language():
    polish = "Delegacje spotkały się w poniedziałek w Stambule, aby omówić wymianę jeńców wojennych."
    unguarded = LanguageIdentifier(DEFAULT_LANGUAGES, guard=None)
    assert _assign(unguarded, [polish])[1][0] in DEFAULT_LANGUAGES  # why the guard exists


def test_short_blocks_take_the_document_language_unless_lingua_is_sure(identifier):
    texts = [ENGLISH, "Lire aussi", "Text size:", "00:00", "登录×", "Читайте также"]
    assert all(len(t) < SHORT_BLOCK_CHARS for t in texts[1:])
    doc, langs = _assign(identifier, texts)
    assert doc == "en"
    # ambiguous Latin-script chrome follows the page; other scripts are never forced into English
    assert langs[:4] == ["en", "en", "en", "en"]
    assert langs[4] == "zh" and langs[5] in ("ru", "uk")


def test_english_article_in_chinese_site_chrome(identifier):
    texts = ["登录", "电子邮件/用户名", "请输入邮箱和密码进行绑定操作:", ENGLISH,
             "The negotiations lasted just over an hour and ended with an agreement on prisoners."]
    doc, langs = _assign(identifier, texts)
    assert doc == "en" and langs == ["zh", "zh", "zh", "en", "en"]


def test_cookie_wall_in_six_languages_gets_six_languages(identifier):
    texts = [
        "Wir verwenden Cookies, um Inhalte zu personalisieren und Zugriffe auf unsere Website zu analysieren.",
        "We use cookies to personalise content and to analyse the traffic on our website.",
        "Utilizamos cookies para personalizar el contenido y analizar el tráfico de nuestro sitio web.",
        "Nous utilisons des cookies pour personnaliser le contenu et analyser le trafic de notre site.",
        "Utilizziamo i cookie per personalizzare i contenuti e analizzare il traffico del nostro sito.",
        "Utilizamos cookies para personalizar o conteúdo e analisar o tráfego do nosso site na internet.",
    ]
    assert _assign(identifier, texts)[1] == ["de", "en", "es", "fr", "it", "pt"]


def test_hint_decides_a_document_of_short_blocks_only(identifier):
    doc, langs = _assign(identifier, ["Mehr", "Teilen"], lang_hint="de")
    assert doc == "de" and langs == ["de", "de"]


def test_removed_blocks_are_left_alone_and_empty_documents_fall_back_to_the_hint(identifier):
    blocks = [Block(text="Akzeptieren Sie alle Cookies auf dieser Website?", removed="cookie_wall")]
    assert identifier.assign(blocks, DocumentContext(id="x", lang_hint="fr")) == "fr"
    assert blocks[0].language is None


def test_detector_is_built_once_per_process_and_language_set():
    assert get_detector(("de", "en")) is get_detector(["en", "de"])
    assert get_detector(("de", "en")) is not get_detector(("de", "en"), low_accuracy=True)
