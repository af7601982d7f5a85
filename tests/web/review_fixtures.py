"""Hand-made pages and records for the review app tests (hostile text, a name proposal)."""
from __future__ import annotations

HOSTILE_URL = "https://hostile.example/news/1"

# The visible text carries markup as text; the page itself carries a script, an inline handler,
# and remote resources that must never load when the raw page is shown.
HOSTILE_PAGE = """<!doctype html><html lang="en"><head>
<title>&lt;script&gt;alert("title")&lt;/script&gt; Harbour fees rise</title>
<script>document.title = "pwned"; window.parent.document.body.innerHTML = "pwned";</script>
<link rel="stylesheet" href="{beacon}/style.css">
</head><body><article>
<h1>&lt;script&gt;alert("title")&lt;/script&gt; Harbour fees rise</h1>
<p>The port authority raised its fees on Monday, and the text &lt;script&gt;alert(1)&lt;/script&gt;
appeared in a reader comment quoted by the council in its weekly statement on shipping.</p>
<p>Council members said the &lt;img src=x onerror=alert(2)&gt; tag was pasted by a visitor and the
fees would be reviewed again next spring after a public consultation with local businesses.</p>
<img src="{beacon}/pixel.png" onerror="document.title='pwned'">
<iframe src="{beacon}/frame.html"></iframe>
</article></body></html>
"""

# English records of one story: a known delegation head, then an unknown spelling in the same role.
PROPOSAL_RECORDS = [
    {"id": "https://wire.example/a", "canonical_url": "https://wire.example/a", "source": "wire",
     "language": "en", "title": "Talks resume", "title_en": "Talks resume",
     "text_en": "Russia's delegation head Vladimir Medinsky met Rustem Umerov in Istanbul on Friday.\n\n"
                "Officials in the Kremlin said Putin had approved the new round.",
     "blocks": [], "names": [], "warnings": []},
    # Machine-translated: a mangled name in translated text is what the learner links to a known person.
    {"id": "https://wire.example/b", "canonical_url": "https://wire.example/b", "source": "wire",
     "language": "ru", "title": "Обмен согласован", "title_en": "Exchange agreed",
     "text_en": "Russia's delegation head Mentinsky told reporters the prisoner swap was agreed.\n\n"
                "Umerov and Putin were informed on the same evening, aides said.",
     "blocks": [], "names": [], "warnings": []},
]
