"""Text mode on hand-written dumps: the title is a headline, never a menu; chrome lines go, article lines stay."""
from __future__ import annotations

import pytest

from normalise import InputDocument, NormaliserConfig
from normalise.boilerplate import learn_site_templates
from normalise.extract.text_blocks import text_to_blocks
from normalise.extract.text_stopwords import page_stop_language, words_of
from normalise.extract.text_title import is_navigation, looks_like_headline, title_index
from normalise.pipeline import Normaliser

GERMAN_DUMP = """Startseite | Politik | Wirtschaft | Sport
Anmelden
Stadtrat beschließt neuen Radweg entlang des Flusses
Von unserer Redakteurin
Der Stadtrat hat am Dienstagabend mit großer Mehrheit beschlossen, dass entlang des Flusses ein neuer Radweg gebaut wird, der die beiden Ortsteile verbindet.
Die Bauarbeiten sollen im kommenden Frühjahr beginnen und nach Angaben der Verwaltung etwa acht Monate dauern, wobei die Kosten zum Teil vom Land getragen werden.
Kritik kam von den Anwohnern, die sich Sorgen um die Parkplätze in der Uferstraße machen und eine weitere Bürgerversammlung fordern.
Der Bürgermeister sagte, man werde die Bedenken ernst nehmen und die Pläne noch einmal mit allen Beteiligten besprechen, bevor der Auftrag vergeben wird.
Impressum | Datenschutz | Kontakt | AGB
"""

ENGLISH_DUMP = """Home News Sport Weather Business Culture
Harbour Ferry Returns After Two Years Of Repairs
The old harbour ferry carried its first passengers on Monday morning, after two years in a dry dock where its hull and engines were rebuilt by a local yard.
Commuters who had been driving around the bay for an hour each way said the twenty-minute crossing would change their working week.
The operator said the timetable would run every half hour in the summer and every hour in the winter, with extra crossings on market days.
Share this article
Facebook
Twitter
Email
Most read
Council approves budget
Storm warning for the coast
Local team wins cup final
"""

CHINESE_DUMP = """首页 | 新闻 | 体育 | 财经
城市新建图书馆今日正式向市民开放
记者从市文化局获悉，位于城市东部的新图书馆今天上午正式开放，馆内藏书超过五十万册，并设有儿童阅读区和自习室。
文化局负责人表示，图书馆将实行免费借阅制度，市民只需携带身份证即可办理借书证，开放时间为每天早上九点到晚上九点。
不少市民一早就在门口排队，一位退休教师说，家门口有了这样的图书馆，以后每天都可以来看书了。
"""


@pytest.fixture(scope="module")
def normaliser():
    return Normaliser(NormaliserConfig(translate=False))


def _language(text: str) -> int | None:
    return page_stop_language([words_of(line) for line in text.splitlines()])


def test_a_menu_line_on_top_is_never_the_title(normaliser):
    record = normaliser.normalise(InputDocument(id="de", text=GERMAN_DUMP))
    assert record.title == "Stadtrat beschließt neuen Radweg entlang des Flusses"
    assert "Startseite" not in record.text


def test_a_row_of_capitalised_menu_words_is_not_the_title_but_a_headline_case_headline_is(normaliser):
    record = normaliser.normalise(InputDocument(id="en", text=ENGLISH_DUMP))
    assert record.title == "Harbour Ferry Returns After Two Years Of Repairs"
    language = _language(ENGLISH_DUMP)
    assert is_navigation("Home News Sport Weather Business Culture", language)
    assert not is_navigation("Harbour Ferry Returns After Two Years Of Repairs", language)


def test_chinese_menu_with_separators_is_skipped_for_the_title(normaliser):
    record = normaliser.normalise(InputDocument(id="zh", text=CHINESE_DUMP))
    assert record.title == "城市新建图书馆今日正式向市民开放"


@pytest.mark.parametrize("line", ["Startseite | Politik | Sport", "Accueil » International » Europe",
                                  "新闻 · 体育 · 财经", "The market closed higher on Friday."])
def test_separated_menus_and_full_sentences_are_not_headlines(line):
    assert not looks_like_headline(line, _language(ENGLISH_DUMP))


def test_a_headline_under_running_text_does_not_become_the_page_title():
    lines = ["This opening paragraph is long enough to read as running text of an article, and it ends properly.",
             "A subheading further down the story"]
    assert title_index(lines, _language("\n".join(lines))) is None
    blocks = text_to_blocks("\n".join(lines))
    assert [b.kind for b in blocks] == ["paragraph", "heading"]


@pytest.mark.parametrize("dump", [GERMAN_DUMP, ENGLISH_DUMP, CHINESE_DUMP], ids=["de", "en", "zh"])
def test_every_article_paragraph_is_kept(normaliser, dump):
    record = normaliser.normalise(InputDocument(id="x", text=dump))
    paragraphs = [line for line in dump.splitlines() if len(line) > 40 and line != record.title
                  and not line.startswith(("Startseite", "Home", "首页", "Harbour", "城市", "Stadtrat"))]
    assert paragraphs
    for paragraph in paragraphs:
        assert paragraph in record.text


def test_footer_menu_and_teaser_list_are_dropped_with_a_reason(normaliser):
    record = normaliser.normalise(InputDocument(id="en", text=ENGLISH_DUMP))
    for chrome in ("Impressum", "Share this article", "Facebook", "Most read", "Storm warning for the coast"):
        assert chrome not in record.text
    for block in record.blocks:
        assert block.kept or (block.removed and block.removed_detail)
    de = normaliser.normalise(InputDocument(id="de", text=GERMAN_DUMP))
    assert "Impressum" not in de.text and "Anmelden" not in de.text


def test_lines_repeated_across_pages_of_the_site_are_dropped_as_templates(normaliser):
    site_line = "Harbour Gazette readers club: join today"
    pages = [[site_line, f"Story number {n} about the harbour and its people"] for n in range(4)]
    hashes = learn_site_templates(pages).fingerprints
    dump = ENGLISH_DUMP.replace("Share this article", site_line)
    record = normaliser.normalise(InputDocument(id="en", text=dump, template_hashes=hashes))
    dropped = [b for b in record.blocks if b.text == site_line]
    assert dropped and dropped[0].removed == "site_template"


def _repeats(lines: list[str]) -> list[tuple[str, str | None]]:
    """(kind, removed) per line after the repetition pass of text mode."""
    from normalise.boilerplate.lexicon import Lexicon
    from normalise.boilerplate.passes import drop_repeats

    blocks = text_to_blocks("\n".join(lines))
    drop_repeats(blocks, None, Lexicon.load(), html_mode=False)
    return [(b.kind, b.removed) for b in blocks]


STORY = ["The ferry operator said the new timetable would start in the spring, after the last repairs to the pier.",
         "Commuters welcomed the news, although some said the fares were still too high for daily use.",
         "The council will review the fares again at the end of the year, a spokesperson added."]


def test_a_caption_repeated_beside_its_picture_is_one_caption_and_its_copies():
    caption = "Passengers board the first ferry at the rebuilt pier on Monday morning, watched by the harbour master."
    outcome = _repeats([STORY[0], caption, "Photo: Harbour Gazette", caption, caption, STORY[1], STORY[2]])
    assert outcome[1] == ("caption", None)
    assert outcome[3] == outcome[4] == ("paragraph", "duplicate_caption")
    assert [o for i, o in enumerate(outcome) if i not in (1, 2, 3, 4)] == [("paragraph", None)] * 3
    assert outcome[2][1] is None  # the credit line is for the lexicons to judge


def test_prose_repeated_far_apart_is_the_pages_own_text_not_a_caption():
    question = "What do you cook when friends come round for dinner on a weekday evening, and who does the washing up?"
    answers = [f"{sentence} Answer number {n} goes on for a while." for n, sentence in enumerate(STORY * 2)]
    lines = [question, *answers[:3], question, *answers[3:], question]
    assert _repeats(["Harbour Gazette interview", *lines])[1:] == [("paragraph", None)] * len(lines)


def test_a_long_paragraph_repeated_beside_itself_is_no_caption():
    paragraph = " ".join(STORY * 3)  # over sixty words: longer than any photo caption
    outcome = _repeats([paragraph, paragraph, STORY[0]])
    assert outcome == [("paragraph", None)] * 3
