"""The gazetteer as data: loads, stays free of merges, can be extended, fails clearly."""
from __future__ import annotations

import os

import pytest

from normalise.names import GazetteerError, NameUnifier
from normalise.names.gazetteer import Gazetteer, load_gazetteer
from normalise.names.index import NameIndex, get_index

# Forms deliberately shared: "Constantinople" is the historical city and, in modern news
# context only, a rendering of Istanbul (decided by context, see places.yaml).
SHARED_ON_PURPOSE = {("constantinople",)}


def test_default_gazetteer_covers_the_seed_and_talks_entities():
    entities = load_gazetteer().entities
    for needed in ["volodymyr-zelenskyy", "olena-zelenska", "vladimir-putin", "vladimir-medinsky", "rustem-umerov",
                   "kirill-dmitriev", "keir-starmer", "ursula-von-der-leyen", "recep-tayyip-erdogan", "hakan-fidan",
                   "kyiv", "kharkiv", "odesa", "lviv", "dnipro", "mykolaiv", "zaporizhzhia", "luhansk", "donetsk",
                   "kherson", "sumy", "istanbul", "ciragan-palace", "dolmabahce-palace", "doku-umarov", "kiel", "medina"]:
        assert needed in entities
    assert all(e.type in ("person", "place", "organisation") for e in entities.values())


def test_no_folded_form_belongs_to_two_hand_typed_entities():
    # (the world layer shares forms on purpose: Odessa, Texas; the matcher ranks them)
    index = get_index(world=False)
    for table in (index.english.norm, index.source.exact):
        for key, forms in table.items():
            ids = {f.entity.id for f in forms}
            assert len(ids) == 1 or key in SHARED_ON_PURPOSE, (key, ids)


def test_a_user_file_extends_a_known_entity(tmp_path):
    extra = tmp_path / "mine.yaml"
    extra.write_text("entities:\n  - id: vladimir-medinsky\n    variants: [Mjedinskij]\n"
                     "  - id: new-town\n    type: place\n    canonical: Novotown\n    variants: [Nowotown]\n",
                     encoding="utf-8")
    unifier = NameUnifier([extra])
    [(text, changes)], _ = unifier.unify_blocks(["Mjedinskij visited Nowotown."], None)
    assert text == "Medinsky visited Novotown."
    assert [c.method for c in changes] == ["exact", "exact"]


def test_a_user_file_cannot_merge_declared_confusables(tmp_path):
    extra = tmp_path / "bad.yaml"
    extra.write_text("entities:\n  - id: volodymyr-zelenskyy\n    variants: [Zelenska]\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match="olena-zelenska"):
        get_index([extra])


def test_an_edited_user_file_is_read_again_and_replaces_the_index_of_its_old_version(tmp_path, monkeypatch):
    from normalise.names import index as index_module

    monkeypatch.setattr(index_module, "_CACHE", {})
    extra = tmp_path / "mine.yaml"
    extra.write_text("entities:\n  - id: vladimir-medinsky\n    variants: [Mjedinskij]\n", encoding="utf-8")
    first = get_index([extra], world=False)
    assert get_index([extra], world=False) is first
    extra.write_text("entities:\n  - id: vladimir-medinsky\n    variants: [Mjedinskij, Medinskyj]\n", encoding="utf-8")
    os.utime(extra, ns=(extra.stat().st_atime_ns, extra.stat().st_mtime_ns + 1_000_000_000))
    second = get_index([extra], world=False)
    assert second is not first
    [(text, _)], _ = NameUnifier(index=second).unify_blocks(["Medinskyj spoke."], None)
    assert text == "Medinsky spoke."
    assert len(index_module._CACHE) == 1  # one index per set of files, not one per version seen


@pytest.mark.parametrize("content, message", [
    ("entities: [1, 2]", "must be a mapping"),
    ("entities:\n  - id: x\n    type: person\n", "canonical"),
    ("entities:\n  - id: x\n    type: ship\n    canonical: X\n", "type 'ship'"),
    ("entities:\n  - {id: x, type: place, canonical: X, not: [nowhere]}\n", "unknown id"),
    ("just: text\n", "'entities' list"),
    ("entities: [\n", "not valid YAML"),
])
def test_bad_user_files_fail_with_a_message_naming_the_problem(tmp_path, content, message):
    bad = tmp_path / "bad.yaml"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(GazetteerError, match=message) as info:
        load_gazetteer([bad])
    assert str(bad) in str(info.value)


def test_missing_user_file_is_a_clear_error(tmp_path):
    with pytest.raises(GazetteerError, match="absent.yaml: not found"):
        load_gazetteer([tmp_path / "absent.yaml"])


def test_topic_words_inside_other_topic_phrases_still_count_for_their_topic():
    # "union" inside "european union": one joint scan would consume it; each topic must see it.
    gaz = load_gazetteer()
    lexicon = dict(gaz.lexicon, topics={"eu": ["european union", "brussels"], "labour": ["union", "strike"]})
    index = NameIndex(Gazetteer(gaz.entities, lexicon, gaz.files))
    assert index.topic_scores("the european union backed the strike, brussels said.") == {"eu": 2, "labour": 2}


def test_topic_scores_count_distinct_words_per_topic():
    index = get_index()
    doc = "the kremlin said russia and ukraine met; russia again. the white house and congress watched."
    scores = index.topic_scores(doc)
    assert scores["russia-ukraine"] == 3  # kremlin, russia (twice: once), ukraine
    assert scores["us-politics"] == 2
    assert scores["turkey"] == 0


def test_batched_fuzzy_candidates_are_what_rapidfuzz_extract_returns():
    from rapidfuzz import fuzz, process

    words = ["zelenski", "zelenskyi", "peskow", "starmerr", "istambul", "nothingalike", "medinski", "umerow"]
    cutoff = 74.0
    batched = NameIndex(load_gazetteer())  # a fresh index: nothing remembered yet
    batched.prepare_fuzzy(words, cutoff)
    for word in words:
        expected = process.extract(word, batched.fuzzy_keys, scorer=fuzz.ratio, limit=12, score_cutoff=cutoff)
        assert batched.fuzzy_candidates(word, cutoff) == expected
    assert any(len(batched.fuzzy_candidates(w, cutoff)) > 1 for w in words)  # ranking and ties were exercised


def test_batched_fuzzy_candidates_over_the_world_layer_are_what_extract_returns():
    # The world layer lists one key for several entities and keys of every length: the batch
    # scores each distinct key once and skips keys whose length cannot reach the cutoff.
    from collections import Counter

    from rapidfuzz import fuzz, process

    from normalise.names.index_cache import load_index

    index = load_index()  # an object of its own: nothing remembered yet
    keys = index.fuzzy_keys
    shared = next(k for k, n in Counter(keys).items() if n > 1)
    by_length = sorted(set(keys), key=len)
    words = [shared, shared + "a", shared[:-1], *(k + "e" for k in by_length[::400]), by_length[-1] + "ov"]
    cutoff = 74.0
    index.prepare_fuzzy(words, cutoff)
    for word in words:
        expected = process.extract(word, keys, scorer=fuzz.ratio, limit=12, score_cutoff=cutoff)
        assert index.fuzzy_candidates(word, cutoff) == expected
    assert len(index.fuzzy_candidates(shared, cutoff)) > 1  # the shared key's entities all come back


def test_batched_fuzzy_candidates_at_the_cutoff_are_what_extract_returns():
    # The batch keeps a pair only when its common-subsequence length can reach the cutoff: words
    # one to three edits from a key score around the cutoff (74 for 8 letters and 2 edits), so a
    # bound too strict by one letter would lose some of them.
    import random

    from rapidfuzz import fuzz, process

    from normalise.names.index_cache import load_index

    index = load_index()
    keys = sorted(set(index.fuzzy_keys))
    rng = random.Random(7)
    words = []
    for key in rng.sample(keys, 150):
        word = list(key)
        for _ in range(rng.randint(1, 3)):
            i = rng.randrange(len(word))
            word[i:i + 1] = rng.choice(([], [rng.choice("aeiouknrst")], [word[i], rng.choice("aeiouknrst")]))
        words.append("".join(word))
    cutoff = 74.0
    index.prepare_fuzzy(words, cutoff)
    near = 0
    for word in words:
        expected = process.extract(word, index.fuzzy_keys, scorer=fuzz.ratio, limit=12, score_cutoff=cutoff)
        assert index.fuzzy_candidates(word, cutoff) == expected
        near += any(score < 80 for _, score, _ in expected)
    assert near > 10  # pairs just above the cutoff were exercised
