"""The shipped line model: loading, its plain-Python evaluation, and what it may and may not drop."""
from __future__ import annotations

import json
import math
import random
import sys
from pathlib import Path

import pytest

from normalise.extract import text_classifier
from normalise.extract.text_classifier import (
    LineModel,
    LineModelError,
    Trees,
    drop_unlikely_lines,
    load_line_model,
)
from normalise.extract.text_context import CONTEXT_NAMES, context_features, see_through
from normalise.extract.text_lines import FEATURE_NAMES, line_features
from normalise.record import Block

REPO = Path(__file__).resolve().parents[2]
PROSE = FEATURE_NAMES.index("prose")
_STUMP_PROSE = ((PROSE, 0.5, 1, 2, 0.0), (-1, 0.0, -1, -1, -4.0), (-1, 0.0, -1, -1, 4.0))


def _prose_model(threshold: float = 0.5) -> LineModel:
    """One stump: prose lines score +4 (p≈0.98), other lines -4 (p≈0.02)."""
    return LineModel(Trees(base=0.0, learning_rate=1.0, trees=(_STUMP_PROSE,)), threshold=threshold)


def test_the_shipped_model_loads_and_matches_the_features():
    model = load_line_model()
    assert model.lines.trees and 0 < model.threshold < 1
    data = json.loads(text_classifier.MODEL_PATH.read_text())
    assert data["lines"]["features"] == list(FEATURE_NAMES)
    if model.context is not None:
        assert data["context"]["features"] == list(CONTEXT_NAMES)


def test_tree_evaluation_follows_the_split():
    model = _prose_model().lines
    row = [0.0] * len(FEATURE_NAMES)
    assert model.probability(row) == pytest.approx(1 / (1 + math.exp(4)))
    row[PROSE] = 1.0
    assert model.probability(row) == pytest.approx(1 / (1 + math.exp(-4)))


def test_low_scoring_lines_are_dropped_but_never_the_title_a_caption_or_an_already_removed_line():
    blocks = [Block("Short title line", kind="title"),
              Block("Menu", kind="heading", position=1),
              Block("A long paragraph of article text that reads as prose and goes on for a while before it ends.",
                    position=2),
              Block("Cookie notice", kind="heading", position=3, removed="cookie_wall", removed_detail="lines: x"),
              Block("A short caption /Agency", kind="caption", position=4)]
    drop_unlikely_lines(blocks, model=_prose_model())
    assert blocks[0].kept
    assert blocks[1].removed == text_classifier.REASON and "probability" in blocks[1].removed_detail
    assert blocks[2].kept
    assert blocks[3].removed == "cookie_wall"
    assert blocks[4].kept


def test_revisable_lines_are_kept_again_only_when_they_score_high():
    prose = "A long paragraph of article text that reads as prose and goes on for a while before it ends."
    blocks = [Block("Title of the story", kind="title"),
              Block(prose, position=1, removed="related_links", removed_detail="after the end of the article"),
              Block("Next story", kind="heading", position=2, removed="related_links",
                    removed_detail="after the end of the article")]
    drop_unlikely_lines(blocks, model=_prose_model(), revisable=blocks[1:])
    assert blocks[1].kept and blocks[1].removed_detail is None
    assert blocks[2].removed == "related_links"


def test_a_model_for_other_features_is_refused_with_a_clear_error(tmp_path):
    data = _prose_model().to_dict()
    data["lines"]["features"] = data["lines"]["features"][:-1]
    path = tmp_path / "model.json"
    path.write_text(json.dumps(data))
    with pytest.raises(LineModelError, match="retrain"):
        load_line_model(path)
    with pytest.raises(LineModelError, match="cannot read"):
        load_line_model(tmp_path / "missing.json")


def test_model_round_trips_through_json():
    model = _prose_model(0.3)
    assert LineModel.from_dict(json.loads(json.dumps(model.to_dict()))) == model


def test_features_see_neighbours_repetition_and_templates():
    blocks = [Block("Menu entry", kind="heading"), Block("Menu entry", kind="heading", position=1),
              Block("Weather", kind="heading", position=2)]
    rows = line_features(blocks, frozenset())
    repeats = FEATURE_NAMES.index("repeats_in_page")
    assert rows[0][repeats] == 2 and rows[2][repeats] == 1
    from normalise.boilerplate import block_fingerprint

    with_template = line_features(blocks, frozenset({block_fingerprint("Weather")}))
    assert with_template[2][FEATURE_NAMES.index("site_template")] == 1.0
    assert with_template[0][FEATURE_NAMES.index("site_template")] == 0.0
    assert rows[0][FEATURE_NAMES.index("n-1_removed_by_rule")] == 1.0  # no line above: counts as chrome edge


def test_exported_sklearn_ensemble_gives_the_same_probabilities():
    pytest.importorskip("sklearn")
    sys.path.insert(0, str(REPO / "bench"))
    try:
        from train_text_lines import export
    finally:
        sys.path.remove(str(REPO / "bench"))
    from sklearn.ensemble import HistGradientBoostingClassifier

    rng = random.Random(7)
    X = [[rng.random() for _ in FEATURE_NAMES] for _ in range(300)]
    y = [int(row[0] + row[5] > 1.0) for row in X]
    clf = HistGradientBoostingClassifier(max_iter=20, max_leaf_nodes=8, random_state=0).fit(X, y)
    model = export(clf)
    expected = clf.predict_proba(X[:50])[:, 1]
    for row, p in zip(X[:50], expected, strict=False):
        assert model.probability(row) == pytest.approx(p, abs=1e-9)


INSIDE = CONTEXT_NAMES.index("inside_confident_run")


def _two_pass_model() -> LineModel:
    """First pass: prose stump. Context pass: a line inside the run of confident lines scores +4, outside -4."""
    context = ((INSIDE, 0.5, 1, 2, 0.0), (-1, 0.0, -1, -1, -4.0), (-1, 0.0, -1, -1, 4.0))
    return LineModel(Trees(0.0, 1.0, (_STUMP_PROSE,)), 0.5, Trees(0.0, 1.0, (context,)))


def _page() -> list[Block]:
    long_a = "The council voted on Tuesday to reopen the old harbour bridge to cyclists after a long repair."
    long_b = "Residents had asked for the change for years, and the mayor said the work would finish in spring."
    texts = ["Home", "Local", "Weather", "Bridge reopens to cyclists", long_a, "Nobody objected.", long_b, "Share"]
    blocks = [Block(t, kind="heading" if len(t.split()) < 5 else "paragraph", position=i) for i, t in enumerate(texts)]
    blocks[3].kind = "title"
    return blocks


def test_context_features_see_the_run_of_confident_lines():
    blocks = _page()
    rows = line_features(blocks)
    first = _two_pass_model().lines
    probs = [first.probability(r) for r in rows]
    ctx = context_features(rows, probs)
    assert [round(r[INSIDE]) for r in ctx] == [0, 0, 0, 0, 1, 1, 1, 0]
    before = CONTEXT_NAMES.index("article_mass_before")
    assert ctx[0][before] == 0.0 and ctx[7][before] == pytest.approx(1.0, abs=0.01)
    assert ctx[5][CONTEXT_NAMES.index("p-1")] == pytest.approx(probs[4])


def test_context_pass_keeps_a_short_line_between_article_lines_and_drops_the_menu_above():
    blocks = _page()
    drop_unlikely_lines(blocks, model=_two_pass_model())
    assert [b.kept for b in blocks] == [False, False, False, True, True, True, True, False]
    first_pass = _prose_model()
    assert first_pass.probabilities(line_features(_page()))[5] < first_pass.threshold  # alone it loses the line


def test_a_rule_drop_counts_as_chrome_for_the_context_pass():
    blocks = _page()
    blocks[4].removed = "related_links"
    rows = line_features(blocks)
    ctx = context_features(rows, [0.9] * len(rows))
    assert ctx[4][0] == 0.0 and ctx[5][CONTEXT_NAMES.index("p-1")] == 0.0


def test_two_pass_model_round_trips_and_refuses_other_context_features():
    model = _two_pass_model()
    data = json.loads(json.dumps(model.to_dict()))
    assert LineModel.from_dict(data) == model
    data["context"]["features"] = data["context"]["features"][1:]
    with pytest.raises(LineModelError, match="retrain"):
        LineModel.from_dict(data)


def _story_with_caption_copies() -> list[Block]:
    """Two article paragraphs with two copies of a photo caption between them (the rules drop the copies)."""
    blocks = _page()
    caption = "The harbour bridge seen from the north bank on Monday (AP Photo)"
    blocks[5:6] = [Block(caption, kind="caption", position=5),
                   Block(caption, position=6, removed="duplicate_caption", removed_detail="copy of the caption"),
                   Block(caption, position=7, removed="duplicate_caption", removed_detail="copy of the caption")]
    return blocks


def test_caption_copies_inside_a_story_do_not_end_it():
    blocks = _story_with_caption_copies()
    rows = line_features(blocks)
    probs = [0.9 if b.kind == "paragraph" and b.kept else 0.1 for b in blocks]
    skip = see_through(blocks, [False] * len(blocks))
    assert skip == [False, False, False, False, False, False, True, True, False, False]
    ctx = context_features(rows, probs, skip)
    after = 8  # the paragraph after the copies: its line above is the kept caption, not a copy
    assert ctx[after][CONTEXT_NAMES.index("p-1")] == pytest.approx(0.1)
    assert ctx[after][CONTEXT_NAMES.index("p-2")] == pytest.approx(0.9)
    assert ctx[after][INSIDE] == 1.0
    without_skip = context_features(rows, probs)
    assert without_skip[after][CONTEXT_NAMES.index("p-1")] == 0.0  # read as chrome when not skipped


def test_a_chrome_drop_between_paragraphs_is_not_seen_through():
    blocks = _story_with_caption_copies()
    blocks[6].removed = "newsletter"
    assert see_through(blocks, [False] * len(blocks))[6:8] == [False, True]
    # a copy dropped only after an end marker is for the model to revise, so it stays in the windows
    assert see_through(blocks, [False] * 7 + [True] + [False] * 2)[7] is False


def test_context_pass_keeps_the_paragraph_after_caption_copies():
    """A context pass that keeps a line when the line two above it is confident article text."""
    two_above = ((CONTEXT_NAMES.index("p-2"), 0.5, 1, 2, 0.0), (-1, 0.0, -1, -1, -4.0), (-1, 0.0, -1, -1, 4.0))
    model = LineModel(Trees(0.0, 1.0, (_STUMP_PROSE,)), 0.5, Trees(0.0, 1.0, (two_above,)))
    blocks = _story_with_caption_copies()
    drop_unlikely_lines(blocks, model=model)
    assert blocks[8].kept  # two lines above it, past the copies, is the first paragraph
    chrome = _story_with_caption_copies()
    for block in chrome[6:8]:
        block.removed = "newsletter"
    drop_unlikely_lines(chrome, model=model)
    assert chrome[8].removed == text_classifier.REASON


def test_weighing_sets_gives_every_set_the_same_training_weight(monkeypatch):
    sys.path.insert(0, str(REPO / "bench"))
    try:
        import train_text_lines as trainer
    finally:
        sys.path.remove(str(REPO / "bench"))

    def page(set_name: str):
        blocks = [Block("A line of the page", position=i) for i in range(3)]
        made = trainer.Page(blocks, [[1.0] * len(FEATURE_NAMES) for _ in blocks], [1, 0, 1])
        made.set_name = set_name
        return made

    pages = [page("small")] + [page("large") for _ in range(3)]

    def set_totals() -> dict[str, float]:
        _, _, weights = trainer.training_data(pages)
        per_page = [sum(weights[3 * k:3 * k + 3]) for k in range(len(pages))]
        return {"small": per_page[0], "large": sum(per_page[1:])}

    monkeypatch.setattr(trainer, "WEIGH_SETS", False)  # --weigh-pages
    by_page = set_totals()
    assert by_page["small"] == pytest.approx(1.0) and by_page["large"] == pytest.approx(3.0)
    monkeypatch.setattr(trainer, "WEIGH_SETS", True)
    by_set = set_totals()
    assert by_set["small"] == pytest.approx(by_set["large"])
    assert sum(by_set.values()) == pytest.approx(len(pages))


def test_a_standfirst_is_never_the_line_models_to_drop():
    blocks = [Block("Ferry returns after two years", kind="title"),
              Block("Islanders get their morning crossing back from next week", kind="standfirst", position=1),
              Block("Islanders get their morning crossing back from next week", kind="heading", position=2)]
    drop_unlikely_lines(blocks, model=_prose_model())  # none of them reads as prose: all score low
    assert blocks[0].kept and blocks[1].kept
    assert blocks[2].removed == text_classifier.REASON


def _story_with_trailer(reason: str) -> list[Block]:
    """A story whose last paragraph has a line below it that a rule dropped as `reason`, then a footer."""
    blocks = _page()
    blocks[7:8] = [Block("Translated from the regional desk's original report", position=7, removed=reason,
                         removed_detail="lexicon"),
                   Block("Share", kind="heading", position=8)]
    return blocks


@pytest.mark.parametrize("reason", ["source_attribution", "byline", "author_bio"])
def test_a_source_line_byline_or_bio_below_the_story_does_not_end_it(reason):
    blocks = _story_with_trailer(reason)
    assert see_through(blocks, [False] * len(blocks))[7] is True
    rows = line_features(blocks)
    probs = [0.9 if b.kind == "paragraph" and b.kept else 0.1 for b in blocks]
    ctx = context_features(rows, probs, see_through(blocks, [False] * len(blocks)))
    last = 6  # the story's last paragraph: below it, past the dropped line, the footer line
    assert ctx[last][CONTEXT_NAMES.index("p+1")] == pytest.approx(0.1)
    assert context_features(rows, probs)[last][CONTEXT_NAMES.index("p+1")] == 0.0  # chrome when not skipped


def test_context_pass_keeps_the_last_paragraph_above_a_source_line():
    """A context pass that drops a line when the line below it is a chrome drop (probability 0)."""
    below = ((CONTEXT_NAMES.index("p+1"), 0.01, 1, 2, 0.0), (-1, 0.0, -1, -1, -4.0), (-1, 0.0, -1, -1, 4.0))
    model = LineModel(Trees(0.0, 1.0, (_STUMP_PROSE,)), 0.5, Trees(0.0, 1.0, (below,)))
    blocks = _story_with_trailer("source_attribution")
    drop_unlikely_lines(blocks, model=model)
    assert blocks[6].kept
    chrome = _story_with_trailer("newsletter")
    drop_unlikely_lines(chrome, model=model)
    assert chrome[6].removed == text_classifier.REASON



def test_chinese_prose_has_a_stop_word_share_and_a_chinese_menu_has_none():
    blocks = [Block("首页 新闻 国际 体育 财经", kind="heading"),
              Block("市政府昨天宣布，这座老桥将在明年春天重新开放，居民们都很高兴。", position=1)]
    stop = FEATURE_NAMES.index("stop_share")
    menu, prose = line_features(blocks)
    assert menu[stop] == 0.0 and prose[stop] > 0.15


def test_a_short_heading_the_model_dropped_inside_the_story_is_kept_as_its_subheading():
    from normalise.extract.text_classifier import REASON, keep_lines_inside_story

    story = "The council said the new ferry timetable would start in the spring, after the pier repairs."
    blocks = [Block("Menu", kind="heading", position=0, removed=REASON),
              Block(story, kind="paragraph", position=1),
              Block("What happens next", kind="heading", position=2, removed=REASON),
              Block("Photo: Harbour Gazette", kind="heading", position=3, removed="photo_credit"),
              Block(story + " Fares stay the same.", kind="paragraph", position=4),
              Block("Most read", kind="heading", position=5, removed=REASON),
              Block("Council approves budget", kind="heading", position=6)]
    keep_lines_inside_story(blocks)
    assert [b.kept for b in blocks] == [False, True, True, False, True, False, True]
    long_line = [Block(story, kind="paragraph", position=0),
                 Block(" ".join(["headline"] * 13), kind="heading", position=1, removed=REASON),
                 Block(story, kind="paragraph", position=2)]
    keep_lines_inside_story(long_line)
    assert not long_line[1].kept  # longer than a subheading


def test_a_run_of_dropped_headlines_inside_the_story_is_not_kept_as_subheadings():
    from normalise.extract.text_classifier import REASON, keep_lines_inside_story

    story = "The council said the new ferry timetable would start in the spring, after the pier repairs."
    headlines = ["Council approves budget", "Storm warning for the coast", "Local team wins cup final"]
    blocks = [Block(story, kind="paragraph", position=0),
              *[Block(h, kind="heading", position=1 + n, removed=REASON) for n, h in enumerate(headlines)],
              Block(story + " Fares stay the same.", kind="paragraph", position=4)]
    keep_lines_inside_story(blocks)
    assert [b.kept for b in blocks] == [True, False, False, False, True]


def test_the_story_paragraph_above_its_source_line_and_author_bio_is_kept_as_its_ending():
    from normalise.extract.text_classifier import REASON, keep_story_ending

    story = "The council said the new ferry timetable would start in the spring, after the pier repairs."
    blocks = [Block(story, kind="paragraph", position=0),
              Block(story + " Fares stay the same.", kind="paragraph", position=1, removed=REASON),
              Block("Source: Harbour Gazette", kind="heading", position=2, removed="source_attribution"),
              Block("Jane Doe writes about transport and the coast.", kind="paragraph", position=3,
                    removed="author_bio"),
              Block("Storm warning for the coast, council says in a statement today.", kind="paragraph",
                    position=4, removed=REASON)]
    keep_story_ending(blocks)
    assert [b.kept for b in blocks] == [True, True, False, False, False]
    footer = [Block(story, kind="paragraph", position=0),
              Block("Subscribe to our newsletter for the week's stories.", kind="paragraph", position=1,
                    removed=REASON),
              Block("Contact us", kind="heading", position=2, removed=REASON)]
    keep_story_ending(footer)
    assert not footer[1].kept  # no story-end line below it: the model's decision stands
    footer[2].removed = "site_template"  # the site's own chrome, learned from its other pages, begins there
    keep_story_ending(footer)
    assert footer[1].kept


def test_a_paragraph_the_model_dropped_alone_inside_the_story_is_kept():
    from normalise.extract.text_classifier import REASON, keep_lines_inside_story

    story = "The council said the new ferry timetable would start in the spring, after the pier repairs."
    german = "Der Stadtrat sagte, der neue Fahrplan der Fähre beginne im Frühjahr, nach den Reparaturen am Pier."
    blocks = [Block(story, kind="paragraph", position=0),
              Block(german, kind="paragraph", position=1, removed=REASON),
              Block(story + " Fares stay the same.", kind="paragraph", position=2)]
    keep_lines_inside_story(blocks)
    assert all(b.kept for b in blocks)
    two_dropped = [blocks[0], Block(german, kind="paragraph", position=1, removed=REASON),
                   Block(german + " Mehr dazu.", kind="paragraph", position=2, removed=REASON), blocks[2]]
    keep_lines_inside_story(two_dropped)
    assert [b.kept for b in two_dropped] == [True, False, False, True]
