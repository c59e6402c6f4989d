"""The dataio app's rows for the URL access matrix (tests/access_matrix.py): moving in and out is
for managers and admins; everyone else gets 403 (a missing right on the action)."""


def dataio_access(Check, roles) -> dict:
    managers = roles(anonymous=302, admin=200, manager=200, technician=403, dentist=403, other_dentist=403)
    managers_bad_post = roles(anonymous=302, admin=400, manager=400, technician=403, dentist=403, other_dentist=403)
    managers_redirect = roles(anonymous=302, admin=302, manager=302, technician=403, dentist=403, other_dentist=403)
    api_managers = roles(anonymous=401, admin=200, manager=200, technician=403, dentist=403, other_dentist=403)
    api_no_file = roles(anonymous=401, admin=400, manager=400, technician=403, dentist=403, other_dentist=403)
    return {
        "dataio:import": [
            Check(managers),
            Check(
                managers_bad_post, method="post", data=lambda w: {"kind": "practices"}, note="no file: the form says so"
            ),
        ],
        "dataio:import_confirm": [
            Check(
                managers_redirect,
                method="post",
                data=lambda w: {"token": "x"},
                note="nothing waiting: back to the page",
            )
        ],
        "dataio:template": [Check(managers, kwargs=lambda w: {"kind": "dentists", "fmt": "csv"})],
        "dataio_api:import": [
            Check(api_no_file, method="post", kwargs=lambda w: {"kind": "practices"}, data=lambda w: {})
        ],
        "dataio_api:export_csv": [Check(api_managers, kwargs=lambda w: {"kind": "practices"})],
        "dataio_api:export_zip": [Check(api_managers)],
    }
