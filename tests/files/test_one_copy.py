"""One copy of each helper (issue 10): sizes are Django's filesizeformat in Python and one JS module
(static/js/format.js) in the browser; htmx, never loaded, is gone with its configuration."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_python_sizes_come_from_filesizeformat_alone():
    for path in (ROOT / "files").rglob("*.py"):
        assert "def human_size" not in path.read_text(), path


def test_the_js_size_helper_is_written_once_and_imported_where_needed():
    defining = [p.name for p in (ROOT / "static/js").glob("*.js") if "function humanSize" in p.read_text()]
    assert defining == ["format.js"]
    for name in ("uploader.js", "viewer3d.js"):
        assert 'import { humanSize } from "./format.js";' in (ROOT / "static/js" / name).read_text()


def test_htmx_is_neither_vendored_nor_configured():
    assert not (ROOT / "static/vendor/htmx").exists()
    for path in (ROOT / "templates").rglob("*.html"):
        assert "htmx" not in path.read_text(), path
