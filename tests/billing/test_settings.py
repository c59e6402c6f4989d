import os
import subprocess
import sys

import pytest


def _settings_with(**env):
    return subprocess.run(
        [sys.executable, "-c", "import dentallab.settings as s; print(s.CURRENCY, s.TAX_RATE_PERCENT)"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_known_currency_starts():
    result = _settings_with(CURRENCY="eur", TAX_RATE_PERCENT="7.5")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["EUR", "7.50"]


@pytest.mark.parametrize(
    ("name", "value"),
    [("CURRENCY", "XYZ"), ("CURRENCY", "dollars"), ("TAX_RATE_PERCENT", "abc"), ("RUSH_SURCHARGE_PERCENT", "150")],
)
def test_bad_billing_settings_refuse_to_start(name, value):
    result = _settings_with(**{name: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and name in result.stderr
