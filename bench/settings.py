"""Settings for load tests only: the real settings plus a URLconf with a bare view (the ceiling).

Never used in production: the production URLconf (dentallab/urls.py) does not know /bench/bare.
"""

from dentallab.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
