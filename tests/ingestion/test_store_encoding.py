"""How the stores encode what they keep: records as JSON text (crawler/storage/json_text.py), raw
pages in zlib format (crawler/storage/raw_html.py)."""
from __future__ import annotations

import json
import math

from crawler.storage import json_text


def test_same_json_as_the_standard_library_for_records():
    record = {"title": "Zelenskyy in Kyiv — «історія»", "blocks": [{"text": "中文 text", "position": 0,
                                                                    "removed": None, "score": 0.25}],
              "names": [], "metadata": {"discovery": {"pair": ("a", 1)}, "ok": True}}
    text = json_text.dumps(record)
    assert isinstance(text, str) and "Kyiv — «історія»" in text and "中文" in text  # not \u-escaped
    assert json.loads(text) == json.loads(json.dumps(record, ensure_ascii=False))


def test_nan_becomes_null_and_odd_keys_become_strings():
    assert json.loads(json_text.dumps({"x": math.nan, "y": math.inf, 3: "three"})) == {"x": None, "y": None,
                                                                                        "3": "three"}


def test_values_orjson_refuses_fall_back_to_the_standard_library():
    big = 2 ** 70
    assert json.loads(json_text.dumps({"n": big})) == {"n": big}


def test_raw_pages_are_stored_in_zlib_format_any_zlib_reads():
    import zlib

    from crawler.storage import raw_html

    page = ("<html><body>" + "<p>Kyiv council met on Monday; «résumé» 中文.</p>" * 400 + "</body></html>").encode()
    packed = raw_html.compress(page)
    assert len(packed) < len(page) / 5
    assert zlib.decompress(packed) == page == raw_html.decompress(packed)
    assert zlib.decompress(raw_html.compress(b"")) == b""
