"""The server-side SVG charts: names are escaped, values scale, nothing the CSP blocks."""

from reports import charts


def test_labels_are_escaped():
    svg = charts.bars(chart_id="c", title="<b>t</b>", rows=[("<script>alert(1)</script>", 0.5)], percent=True)
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "&lt;b&gt;t&lt;/b&gt;" in svg


def test_no_inline_style_or_script():
    svg = charts.columns(chart_id="c", title="t", labels=["W1", "W2"], series=[("a", [1, None]), ("b", [2, 3])])
    assert "style=" not in svg and "<script" not in svg and 'role="img"' in svg


def test_the_axis_rounds_up_to_a_readable_maximum():
    assert [charts._nice_max(v) for v in (0, 0.04, 7, 13, 48, 120)] == [1, 0.05, 10, 20, 50, 200]


def test_an_empty_chart_says_so():
    assert "Nothing in this period." in charts.bars(chart_id="c", title="t", rows=[])


def test_counts_get_a_whole_number_axis():
    from reports import charts

    svg = charts.columns(chart_id="c", title="t", labels=["a", "b"], series=[("n", [5, 2])], whole=True)
    assert ">8</text>" in svg and ">6</text>" in svg and "1.25" not in svg and "2.5" not in svg
