"""Sensible billing units on the existing price list (by name and category), open cases' item
quantities recomputed from their teeth (shipped, delivered and cancelled cases keep what was
agreed), and open cases' ship-by dates set from their due dates (issue 11, DESIGN §12).

The rules are frozen copies of cases.units and cases.services.ship_by_for at the time of writing:
a migration must not change when the app's code does."""

import datetime

from django.db import migrations

FINISHED = ("shipped", "delivered", "cancelled")
UPPER_QUADRANTS = {1, 2, 5, 6}


def default_unit(category: str, name: str) -> str:
    lowered = name.lower()
    if "per arch" in lowered:
        return "arch"
    if any(word in lowered for word in ("per tooth", "per unit", "per implant")):
        return "tooth"
    if "pair" in lowered:
        return "case"
    if category in ("crown_bridge", "implant"):
        return "tooth"
    if category == "removable":
        return "case" if "repair" in lowered else "arch"
    if category == "orthodontic":
        return "arch"
    return "case"


def item_quantity(unit: str, teeth, given: int) -> int:
    given = given if given and given > 0 else 1
    if unit == "tooth" and teeth:
        return len(set(teeth))
    if unit == "arch" and teeth:
        return len({"upper" if tooth // 10 in UPPER_QUADRANTS else "lower" for tooth in teeth})
    return given


def forwards(apps, schema_editor):
    Product = apps.get_model("cases", "Product")
    CaseItem = apps.get_model("cases", "CaseItem")
    Case = apps.get_model("cases", "Case")
    units = {}
    for product in Product.objects.all():
        product.unit = default_unit(product.category, product.name)
        product.save(update_fields=["unit"])
        units[product.pk] = product.unit
    changed = []
    for item in CaseItem.objects.exclude(case__status__in=FINISHED).only("id", "product_id", "teeth", "quantity"):
        quantity = item_quantity(units.get(item.product_id, "tooth"), item.teeth or [], item.quantity)
        if quantity != item.quantity:
            item.quantity = quantity
            changed.append(item)
    CaseItem.objects.bulk_update(changed, ["quantity"], batch_size=1000)

    # Ship-by of open cases: the due date less the practice's transit days in working days. The
    # calendar's rule (weekdays, public holidays, closed days) is workcalendar's own.
    from workcalendar.calendar import calendar_scope, subtract_working_days

    open_cases = Case.objects.exclude(status__in=FINISHED).exclude(due_date=None)
    pairs = open_cases.values_list("due_date", "practice__transit_days").distinct()
    with calendar_scope():
        for due, transit in pairs:
            ship_by: datetime.date = subtract_working_days(due, transit)
            open_cases.filter(due_date=due, practice__transit_days=transit).update(ship_by=ship_by)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0006_case_report_indexes"),
        ("workcalendar", "0001_closed_days"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
