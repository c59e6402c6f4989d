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

note_added = Signal()
"""Sent by `cases.services.add_note` inside the note's transaction, after the timeline event is
written:

    note_added.send(sender=Case, case=case, note=event, actor=user, internal=False, request=request)

`internal` notes are lab-only: a receiver must never tell a dentist about one."""

case_dates_changed = Signal()
"""Sent when open cases' due or ship-by dates moved after they were set: by
`cases.services.update_case` (the due date edited) and `cases.services.recompute_ship_by` (a
practice's transit days or the lab's closed days changed), inside that write's transaction, after
the new dates are saved:

    case_dates_changed.send(sender=Case, case_ids=[12, 15])

Receivers re-plan what hangs on those dates in the same transaction (production re-plans the
steps not yet started). Not sent for the first date of a case (creation, receipt: `case_moved`)."""
