"""FDI teeth and VITA shades: valid values are normalised, invalid ones refused with a clear message."""

import pytest
from django.core.exceptions import ValidationError

from cases.shades import normalize_shade
from cases.teeth import NOTATION_UNIVERSAL, teeth_label, validate_teeth


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ([21, 11], [11, 21]),
        (["18", 48, 48], [18, 48]),
        ("11, 12;13 14", [11, 12, 13, 14]),
        ([51, 85], [51, 85]),
        ([38], [38]),
    ],
)
def test_valid_teeth_are_sorted_and_deduplicated(raw, expected):
    assert validate_teeth(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ([], "Choose at least one tooth"),
        ([19], "19 is not a valid FDI tooth number"),
        ([10], "10 is not a valid FDI tooth number"),
        ([49], "49 is not a valid FDI tooth number"),
        ([56], "56 is not a valid FDI tooth number"),
        ([91], "91 is not a valid FDI tooth number"),
        (["eleven"], "is not a tooth number"),
        ({"tooth": 11}, "must be a list"),
    ],
)
def test_invalid_teeth_are_refused_clearly(raw, message):
    with pytest.raises(ValidationError) as exc:
        validate_teeth(raw)
    assert message in exc.value.messages[0]


def test_teeth_are_shown_in_universal_notation():
    assert teeth_label([18, 11, 21, 28, 38, 48, 55, 85], NOTATION_UNIVERSAL) == "1, 8, 9, 16, 17, 32, A, T"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a2", "A2"),
        ("A3.5", "A3.5"),
        ("2m2", "2M2"),
        ("3r1.5", "3R1.5"),
        ("", ""),
        ("other: bleach BL2", "Other: bleach BL2"),
    ],
)
def test_shades_are_normalised(raw, expected):
    assert normalize_shade(raw) == expected


@pytest.mark.parametrize("raw", ["A5", "E1", "6M1", "Other:", "Other: " + "x" * 41, "white"])
def test_unknown_shades_are_refused(raw):
    with pytest.raises(ValidationError):
        normalize_shade(raw)


def test_teeth_and_shade_errors_reach_the_api_naming_the_item_field(client, db):
    from tests.factories import ManagerFactory, ProductFactory

    client.force_login(ManagerFactory())
    from tests.factories import DentistFactory

    dentist = DentistFactory()
    response = client.post(
        "/api/cases/",
        {
            "practice": dentist.practice_id,
            "dentist": dentist.pk,
            "patient_name": "AB",
            "items": [
                {"product": ProductFactory().pk, "teeth": [11]},
                {"product": ProductFactory().pk, "teeth": [11, 99], "shade": "Q7"},
            ],
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"items[1].teeth", "items[1].shade"}
    assert "99 is not a valid FDI tooth number" in errors["items[1].teeth"][0]
