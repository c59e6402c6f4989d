"""The files app's rows for the URL access matrix (tests/access_matrix.py on main).

After merging, register them with one line in tests/access_matrix.py:

    from tests.files.access_entries import files_access
    ACCESS.update(files_access(Check, roles))

`world.users["dentist"]` belongs to `world.practice`, which owns every object built here; the
other practice's dentist must get 404. Anonymous callers: pages redirect to sign-in (302), the API
answers 401 (JWT auth first, as configured on main). tests/files/test_access_entries.py runs these
rows (signed-in roles) on this branch.
"""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from tests.factories import CaseFactory, CaseFileFactory
from tests.files.samples import binary_stl


def _case(w):
    return CaseFactory(dentist=w.users["dentist"], practice=w.practice)


def _stored_file(w, **fields):
    case = _case(w)
    data = binary_stl(2)
    key = default_storage.save(f"cases/{case.pk}/access/crown.stl", ContentFile(data))
    return CaseFileFactory(case=case, object_key=key, size=len(data), uploaded_by=w.users["dentist"], **fields)


def files_access(Check, roles) -> dict:
    page = roles(anonymous=302, admin=200, manager=200, technician=200, dentist=200, other_dentist=404)
    api = roles(anonymous=401, admin=200, manager=200, technician=200, dentist=200, other_dentist=404)
    return {
        "files:case_files": [Check(page, kwargs=lambda w: {"case_id": _case(w).pk})],
        "files:case_files_list": [Check(page, kwargs=lambda w: {"case_id": _case(w).pk})],
        "files_api:case_files": [
            Check(api, kwargs=lambda w: {"case_id": _case(w).pk}),
            Check(
                roles(anonymous=401, admin=400, manager=400, technician=400, dentist=400, other_dentist=404),
                method="post",
                kwargs=lambda w: {"case_id": _case(w).pk},
                data=lambda w: {},
                note="a JSON body carries no file: every role that may upload is told to choose one",
            ),
        ],
        "files_api:upload_plan": [
            Check(
                roles(anonymous=401, admin=201, manager=201, technician=201, dentist=201, other_dentist=404),
                method="post",
                kwargs=lambda w: {"case_id": _case(w).pk},
                data=lambda w: {"name": "crown.stl", "size": 184, "kind": "scan"},
            ),
        ],
        "files_api:detail": [Check(api, kwargs=lambda w: {"file_id": _stored_file(w).pk})],
        "files_api:download": [Check(api, kwargs=lambda w: {"file_id": _stored_file(w).pk})],
        "files_api:complete": [
            Check(
                roles(anonymous=401, admin=403, manager=403, technician=403, dentist=200, other_dentist=404),
                method="post",
                kwargs=lambda w: {"file_id": _stored_file(w, state="pending").pk},
                data=lambda w: {},
                note="only the uploader (the dentist here) completes a pending upload",
            ),
        ],
    }
