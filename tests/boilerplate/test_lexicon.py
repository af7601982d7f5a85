"""Lexicons are data: a user file extends them without touching the package; bad files fail clearly."""
from __future__ import annotations

import pytest

from normalise import InputDocument, NormaliserConfig
from normalise.boilerplate import BoilerplateRemover, LexiconError
from normalise.pipeline import Normaliser

TEXT = "\n".join([
    "Harbour pilots call off strike",
    "Pilots at the harbour have called off Monday's strike after the port authority agreed to review rotas.",
    "Tap the lighthouse icon for tide alerts",
    "The authority said a new rota would be published before the end of the month, after talks with the union.",
])


def test_user_lexicon_file_adds_a_phrase(tmp_path):
    extra = tmp_path / "harbour.yaml"
    extra.write_text('language: en\nrules:\n  widget:\n    lines: ["tap the lighthouse icon for tide alerts"]\n',
                     encoding="utf-8")
    plain = Normaliser(NormaliserConfig(translate=False)).normalise(InputDocument(id="a", text=TEXT))
    assert "Tap the lighthouse icon" in plain.text
    extended = Normaliser(NormaliserConfig(translate=False, lexicon_paths=(extra,)))
    record = extended.normalise(InputDocument(id="b", text=TEXT))
    block = next(b for b in record.blocks if b.text.startswith("Tap the lighthouse"))
    assert (block.removed, block.removed_detail) == ("widget", "lines: tap the lighthouse icon for tide alerts")
    assert record.text.count("\n\n") == 1  # both article paragraphs kept


def test_broken_lexicon_files_name_the_file_and_the_problem(tmp_path):
    bad_yaml = tmp_path / "bad.yaml"
    bad_yaml.write_text("rules: [unclosed", encoding="utf-8")
    with pytest.raises(LexiconError, match="bad.yaml"):
        BoilerplateRemover([bad_yaml])
    bad_rule = tmp_path / "rule.yaml"
    bad_rule.write_text("rules:\n  widget:\n    phrases: [x]\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="lines, prefixes, terms, patterns"):
        BoilerplateRemover([bad_rule])
    bad_pattern = tmp_path / "pattern.yaml"
    bad_pattern.write_text("rules:\n  widget:\n    patterns: ['([']\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="bad pattern"):
        BoilerplateRemover([bad_pattern])
    with pytest.raises(LexiconError, match="not found"):
        BoilerplateRemover([tmp_path / "missing.yaml"])


def test_prose_that_mentions_a_phrase_is_not_boilerplate():
    text = ("The minister said the new rules on cookies would be debated in parliament next week, "
            "after consumer groups complained that most websites ignore them.")
    record = Normaliser(NormaliserConfig(translate=False)).normalise(InputDocument(id="c", text=text))
    assert record.blocks[0].kept


@pytest.mark.parametrize("heading", ["14 comments", "3 Responses to “Harbour pilots call off strike”",
                                     "2 thoughts on \"Harbour pilots call off strike\"", "7 Kommentare",
                                     "5 commentaires", "12 комментариев", "8 коментарів", "12条评论"])
def test_a_counted_comment_thread_heading_ends_the_article(heading):
    from normalise.boilerplate.lexicon import Lexicon
    from normalise.boilerplate.passes import cut_after_article_end
    from normalise.extract.text_blocks import text_to_blocks

    lexicon = Lexicon.load()
    assert [(m.reason, m.rule) for m in lexicon.match(heading)] == [("comments_heading", "patterns")]
    blocks = text_to_blocks("\n".join([*TEXT.splitlines(), heading, "Great news for the town, about time!",
                                       "Agreed, well done all."]))
    revisable = cut_after_article_end(blocks, [lexicon.match(b.text) for b in blocks], lexicon, html_mode=False)
    assert [b.removed for b in blocks[-2:]] == ["comments", "comments"]  # the comments under the heading
    assert revisable == blocks[-2:]  # left for the line model to revise, like any other end marker
    assert all(b.kept for b in blocks[:4])


def test_a_sentence_starting_with_a_count_of_comments_is_not_a_heading():
    from normalise.boilerplate.lexicon import Lexicon

    sentence = "12 comments on the plan were received by the council before the consultation closed."
    assert not Lexicon.load().match(sentence)


@pytest.mark.parametrize("button", ["Reply", "[Reply]", "Antworten", "Répondre", "Ответить", "回复"])
def test_a_reply_button_line_is_a_comments_marker_that_ends_the_article(button):
    from normalise.boilerplate.lexicon import Lexicon
    from normalise.boilerplate.passes import cut_after_article_end
    from normalise.extract.text_blocks import text_to_blocks

    lexicon = Lexicon.load()
    blocks = text_to_blocks("\n".join([*TEXT.splitlines(), "Great news for the town, about time!", button,
                                       "Agreed, well done all."]))
    revisable = cut_after_article_end(blocks, [lexicon.match(b.text) for b in blocks], lexicon, html_mode=False)
    assert blocks[-1].removed == "comments" and blocks[-3].kept  # the marker itself is the lexicon pass's
    assert revisable == blocks[-1:]


def _cut(lines: list[str]):
    from normalise.boilerplate.lexicon import Lexicon
    from normalise.boilerplate.passes import cut_after_article_end
    from normalise.extract.text_blocks import text_to_blocks

    lexicon = Lexicon.load()
    blocks = text_to_blocks("\n".join(lines))
    return blocks, cut_after_article_end(blocks, [lexicon.match(b.text) for b in blocks], lexicon, html_mode=False)


COMMENTS = ["Marta July 3, 2012 at 9:15 am",
            "I have taken that ferry for years and the crossing was always the best part of my day, so this is good news.",
            "Reply",
            "Tom July 4, 2012 at 8:02 pm",
            "The fares are still far too high for anyone who has to cross twice a day, and nobody at the council listens.",
            "Antworten",
            "Leave a Reply"]


def test_lines_between_two_reply_buttons_are_a_comment_thread_the_line_model_cannot_keep():
    blocks, revisable = _cut([*TEXT.splitlines(), *COMMENTS])
    assert all(b.kept for b in blocks[:7])  # the first comment, above its button, is the line model's to judge
    assert all(b.removed == "comments" for b in blocks[7:])  # after the first button: cut
    assert revisable == [blocks[10]]  # the second comment and its button, inside the thread, are not revisable


def test_one_reply_button_or_buttons_above_the_story_make_no_thread():
    blocks, revisable = _cut([*TEXT.splitlines(), *COMMENTS[:3], COMMENTS[4]])
    assert revisable == blocks[7:]  # the comment below the only button: the line model revises it
    buttons_above = ["Reply", "Harbour pilots call off strike", "Reply", *TEXT.splitlines()[1:]]
    blocks, revisable = _cut(buttons_above)
    assert all(b.kept for b in blocks if b.text != "Reply")


@pytest.mark.parametrize("credit", ["© Harbour Gazette/Jane Doe", "Copyright: Getty Images", "© dpa"])
def test_a_photo_credit_with_a_copyright_sign_leaves_the_story_below_it_to_the_line_model(credit):
    blocks, revisable = _cut([*TEXT.splitlines()[:2], credit, *TEXT.splitlines()[2:]])
    assert blocks[2].text == credit and all(b.removed == "outside_article" for b in blocks[3:])
    assert revisable == blocks[3:]


@pytest.mark.parametrize("notice", ["© 2024 Harbour Gazette", "Copyright © Harbour Gazette. All rights reserved.",
                                    "Alle Rechte vorbehalten"])
def test_a_copyright_notice_with_a_year_or_a_rights_phrase_ends_the_page_for_good(notice):
    blocks, revisable = _cut([*TEXT.splitlines()[:2], notice, *TEXT.splitlines()[2:]])
    assert all(not b.kept for b in blocks[3:]) and revisable == []
