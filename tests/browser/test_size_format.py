"""The one JS size helper (static/js/format.js) writes sizes exactly as Django's filesizeformat does
on the pages, so a file's size reads the same in the list and in the upload queue."""

import pytest
from django.template.defaultfilters import filesizeformat

SIZES = [0, 1, 2, 1023, 1024, 1536, 1024**2 - 1, 5 * 1024**2, 500 * 1024**2, 3 * 1024**3 + 7, 2 * 1024**4]


@pytest.mark.django_db(transaction=True)
def test_the_js_helper_formats_sizes_like_djangos_filesizeformat(page):
    page.goto("/login/")
    shown = page.evaluate(
        "async (sizes) => { const { humanSize } = await import('/static/js/format.js'); return sizes.map(humanSize); }",
        SIZES,
    )
    assert shown == [filesizeformat(size).replace("\xa0", " ") for size in SIZES]
