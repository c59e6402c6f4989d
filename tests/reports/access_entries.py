"""The reports app's rows for the URL access matrix (tests/access_matrix.py).

The reports page and its CSVs are for managers and admins (others 403). The scorecard API answers
every signed-in role within its own scope; a dentist naming another practice gets 404 (it does not
exist for them), a technician naming another technician 403."""


def reports_access(Check, roles) -> dict:
    managers = roles(anonymous=302, admin=200, manager=200, technician=403, dentist=403, other_dentist=403)
    api_scoped = roles(anonymous=401, admin=200, manager=200, technician=200, dentist=200, other_dentist=200)
    api_practice = roles(anonymous=401, admin=200, manager=200, technician=200, dentist=200, other_dentist=404)
    return {
        "reports:page": [Check(managers)],
        "reports:section_csv": [
            Check(managers, kwargs=lambda w: {"section": "practices"}),
            Check(managers, kwargs=lambda w: {"section": "remakes_reason"}),
            Check(managers, kwargs=lambda w: {"section": "departments"}, note="production's section"),
            Check(managers, kwargs=lambda w: {"section": "revenue"}, note="billing's section"),
        ],
        "reports_api:scorecard": [
            Check(api_scoped),
            Check(
                api_practice,
                data=lambda w: {"practice": w.practice.pk, "group_by": "week"},
                note="the other practice's dentist may not ask for this practice's figures",
            ),
        ],
    }
