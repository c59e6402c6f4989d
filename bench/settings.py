"""Settings for load tests only: the real settings plus a URLconf with a bare view (the ceiling).

Never used in production: the production URLconf (dentallab/urls.py) does not know /bench/bare.

BENCH_WITHOUT_PANELS=1 (bench/ceiling.py --without-panels) empties settings.PAGE_PANELS: the
dashboard and the case page without what the newer apps add to them (production's steps,
traceability's lots and statement, billing's invoice …): the pages as the core alone renders
them, to compare like for like with a tree from before those apps.
"""

import os

from dentallab.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

if os.environ.get("BENCH_WITHOUT_PANELS") == "1":
    PAGE_PANELS = {slot: [] for slot in PAGE_PANELS}  # noqa: F405
