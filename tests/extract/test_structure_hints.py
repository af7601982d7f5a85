"""Class/id tokens and the reasons structure_hints.yaml gives them (whole tokens, and long keys
at the start or end of a token)."""
from normalise.extract.structure import load_structure_hints


def reason(attrs: str) -> str | None:
    hints = load_structure_hints()
    return hints.reason_for(hints.tokens(attrs))


def test_whole_token_and_camel_case():
    assert reason("relatedStories") == "related_links"
    assert reason("article-body main") is None


def test_long_key_at_the_start_or_end_of_a_token():
    assert reason("newsletterbox") == "newsletter"
    assert reason("pagenavigation") == "navigation"
    assert reason("xnewsletterx") is None  # inside a token: no match


def test_short_and_exact_only_keys_need_the_whole_token():
    assert reason("commentary") is None  # comment$ is exact only
    assert reason("adverb") is None  # "ad" is shorter than a long key
    assert reason("comment") == "comments"


def test_a_key_starting_the_token_wins_over_one_ending_it():
    assert reason("sharingnewsletter") == "widget"
    assert reason("newslettersharing") == "newsletter"


def test_the_longest_key_starting_the_token_wins():
    # "subscribe" (newsletter) and "subscribe-button" (widget) both start this pair token
    hints = load_structure_hints()
    assert hints.reason_for(["subscribe-buttonbar"]) == "widget"


def test_tokens_are_the_lower_case_words_and_their_hyphenated_pairs():
    hints = load_structure_hints()
    assert hints.tokens("shareBar  post_body\tid-42") == ["share", "bar", "post", "body", "id", "42",
                                                           "share-bar", "bar-post", "post-body", "body-id", "id-42"]
    assert hints.tokens("文章 main") == ["文章", "main", "文章-main"]
    assert hints.tokens("--") == [] and hints.tokens("") == []


def test_the_first_token_with_a_reason_gives_it():
    # whole tokens are looked at in order before any long key inside a token
    hints = load_structure_hints()
    assert hints.reason_for(["main", "newsletterbox", "comment"]) == "comments"
    assert hints.reason_for(["main", "newsletterbox"]) == "newsletter"
    assert hints.reason_for(["main", "content"]) is None
