"""The lifecycle announces each move with one signal; newer apps subscribe (DESIGN §2).

`case_moved` is sent by `cases.services.transition_case` inside the move's transaction, after
the new status is saved and the timeline event written, with the case row still locked:

    case_moved.send(sender=Case, case=case, from_status="quality_check", to_status="shipped",
                    actor=user, note="", request=request)

Receivers run in that transaction, so what they write commits or rolls back with the move. A
receiver that must refuse the move raises a `dentallab.exceptions.AppError` (or a Django
ValidationError naming the field): the move and everything written for it roll back, and the
caller gets that error. Work outside the database (mail, storage) goes through a task or
`transaction.on_commit`.
"""

from django.dispatch import Signal

case_moved = Signal()
