"""The lifecycle's groups of statuses are spelled once: finished in cases/models.py (beside Status,
for the partial indexes), open and unfinished in cases/lifecycle.py."""

import re

from cases.lifecycle import OPEN_STATUSES, UNFINISHED_STATUSES
from cases.models import FINISHED_STATUSES, Status
from tests.fixtures.appserver import PROJECT

S = Status
# Three finished statuses written side by side (a tuple, a list, a set), constants or strings.
SPELLED = re.compile(
    r"""(?:SHIPPED|["']shipped["'])\s*,\s*(?:\w+\.)?(?:DELIVERED|["']delivered["'])\s*,\s*(?:\w+\.)?(?:CANCELLED|["']cancelled["'])"""
)
# "Not finished and not a draft" built by hand.
REBUILT = re.compile(r"FINISHED_STATUSES[^\n]{0,40}DRAFT|DRAFT[^\n]{0,40}FINISHED_STATUSES")


def test_the_groups_are_what_the_design_means():
    assert set(FINISHED_STATUSES) == {S.SHIPPED, S.DELIVERED, S.CANCELLED}
    assert set(OPEN_STATUSES) == set(S.values) - set(FINISHED_STATUSES) - {S.DRAFT}
    assert set(UNFINISHED_STATUSES) == set(OPEN_STATUSES) | {S.DRAFT}
    assert list(OPEN_STATUSES) == [s for s in S.values if s in OPEN_STATUSES]  # lifecycle order, for pages


def test_no_code_spells_a_group_again():
    models = PROJECT / "cases" / "models.py"
    homes = {models, PROJECT / "cases" / "lifecycle.py"}
    code = [
        path
        for package in [PROJECT / "dentallab", *(p.parent for p in PROJECT.glob("*/apps.py"))]
        for path in package.rglob("*.py")
        if "migrations" not in path.parts and path not in homes
    ]
    again = [
        f"{path.relative_to(PROJECT)}: {match.group(0)}"
        for path in code
        for pattern in (SPELLED, REBUILT)
        for match in pattern.finditer(path.read_text())
    ]
    assert again == [], "use cases.models.FINISHED_STATUSES, cases.lifecycle.OPEN_STATUSES / UNFINISHED_STATUSES"
    assert len(SPELLED.findall(models.read_text())) == 1
