"""Text that arrives already decoded with the wrong charset is read again in the charset it was written in."""
from __future__ import annotations

import pytest

from normalise import InputDocument, NormaliserConfig
from normalise.extract.mojibake import repair_mojibake
from normalise.pipeline import Normaliser

CHINESE = ("记者从市文化局获悉，位于城市东部的新图书馆今天上午正式开放，馆内藏书超过五十万册，并设有儿童阅读区和自习室。"
           "文化局负责人表示，图书馆将实行免费借阅制度，市民只需携带身份证即可办理借书证。")
TRADITIONAL = "記者從市文化局獲悉，位於城市東部的新圖書館今天上午正式開放，館內藏書超過五十萬冊，並設有兒童閱讀區和自習室。"
JAPANESE = "市の新しい図書館は今朝開館し、五十万冊以上の本と子ども向けの読書コーナーを備えています。利用は無料です。"
FRENCH = ("Le conseil municipal a approuvé mardi soir la création d'une piste cyclable le long du fleuve. Les travaux "
          "débuteront au printemps et dureront à peu près huit mois, a précisé l'élu chargé des transports. Des "
          "réunions d'information sont prévues en février pour les riverains inquiets du stationnement.")
GERMAN = ("Der Stadtrat hat am Dienstagabend beschlossen, dass entlang des Flusses ein neuer Radweg gebaut wird. "
          "Die Bauarbeiten sollen im Frühjahr beginnen und etwa acht Monate dauern; Anwohner äußerten Bedenken.")
RUSSIAN = ("Городской совет во вторник вечером одобрил строительство велосипедной дорожки вдоль реки. Работы начнутся "
           "весной и продлятся около восьми месяцев, сообщили в администрации.")
GREEK = "Το δημοτικό συμβούλιο ενέκρινε την Τρίτη το βράδυ τη δημιουργία ποδηλατόδρομου κατά μήκος του ποταμού."


def _misread(text: str, written_in: str, read_as: str) -> str:
    """What a scraper reading the bytes as a single-byte charset gets: a byte that charset leaves undefined
    comes out as the C1 control of the same number, as browsers' windows-1252 gives it."""
    return "".join(bytes([b]).decode(read_as, errors="ignore") or chr(b) for b in text.encode(written_in))


@pytest.mark.parametrize(("text", "written_in", "read_as"), [
    (CHINESE, "gb2312", "latin-1"),
    (CHINESE, "gbk", "cp1251"),
    (TRADITIONAL, "big5", "cp1252"),
    (JAPANESE, "shift_jis", "cp1252"),
    (FRENCH, "utf-8", "cp1252"),
    (RUSSIAN, "utf-8", "cp1252"),
    (CHINESE, "utf-8", "latin-1"),
])
def test_text_read_in_the_wrong_charset_is_read_again_in_its_own(text, written_in, read_as):
    garbled = _misread(text, written_in, read_as)
    assert garbled != text
    repair = repair_mojibake(garbled)
    assert repair is not None and repair.text == text
    assert written_in.replace("gb2312", "gb18030").replace("gbk", "gb18030") in repair.warning()


def test_bytes_the_reader_replaced_are_lost_but_the_rest_is_repaired():
    garbled = RUSSIAN.encode("utf-8").decode("cp1252", errors="replace")
    assert "\ufffd" in garbled
    repair = repair_mojibake(garbled)
    assert repair is not None and "вторник вечером одобрил" in repair.text  # no lost byte in these words


@pytest.mark.parametrize("text", [CHINESE, TRADITIONAL, JAPANESE, FRENCH, GERMAN, RUSSIAN, GREEK,
                                  "Plain ASCII only, nothing to repair here.", "Café", ""])
def test_text_in_its_own_charset_is_left_alone(text):
    assert repair_mojibake(text) is None


@pytest.fixture(scope="module")
def normaliser():
    return Normaliser(NormaliserConfig(translate=False))


def test_a_garbled_text_dump_is_repaired_and_the_repair_recorded(normaliser):
    garbled = "\n".join(["城市新建图书馆今日正式向市民开放", CHINESE]).encode("gb18030").decode("latin-1")
    record = normaliser.normalise(InputDocument(id="zh", text=garbled))
    assert "图书馆" in record.text and "Í¼Êé¹Ý" not in record.text
    assert any(w.startswith("mojibake repaired") and "gb18030" in w for w in record.warnings)


def test_a_garbled_html_string_is_repaired(normaliser):
    page = f"<html><head><title>新图书馆开放</title></head><body><article><p>{CHINESE}</p></article></body></html>"
    record = normaliser.normalise(InputDocument(id="zh", html=page.encode("gb18030").decode("cp1252", "replace")))
    assert "身份证" in record.text
    assert any(w.startswith("mojibake repaired") for w in record.warnings)
