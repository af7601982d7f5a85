"""Hidden elements (hidden attribute, display:none, visibility:hidden) are walked but marked removed."""
from normalise.extract.html_blocks import html_to_blocks

PAGE = """<html><body><article>
<p>Visible paragraph one.</p>
<div hidden><p>Hidden by attribute.</p></div>
<p style="display: none">Hidden by display.</p>
<p style="color:red; visibility : hidden">Hidden by visibility.</p>
<p style="color:red">Styled but visible.</p>
<p>Inline <span style="display:none">secret</span> text.</p>
</article></body></html>"""


def test_hidden_elements_are_marked_and_visible_ones_kept():
    removed = {b.text: b.removed for b in html_to_blocks(PAGE)}
    assert removed["Hidden by attribute."] == "hidden"
    assert removed["Hidden by display."] == "hidden"
    assert removed["Hidden by visibility."] == "hidden"
    assert removed["Visible paragraph one."] is None
    assert removed["Styled but visible."] is None
    assert removed["secret"] == "hidden"  # an inline hidden element is a block of its own
