"""The lab's figures (DESIGN §17), computed by PostgreSQL in a constant number of queries: no
Python loop over cases.

Definitions (the same for the API, the reports page, the CSV and the dashboards):
- a case counts as **shipped** in the period when its `shipped_at`, as a date in the lab's time
  zone, lies in [from, to];
- it is **on time** when that date is on or before its ship-by date (its due date when it has no
  ship-by; a case with neither was promised no date and cannot be late);
- **remakes** are the shipped cases that were remade (at least one case names them as
  `remake_of`); the remake rate is remakes ÷ cases shipped;
- **turnaround** is the working days from the received date to the shipped date, counted by
  reports.workdays.working_days_between (working days in (received, shipped]); the median is
  PostgreSQL's percentile_cont(0.5) over the cases that have a received date;
- rates are fractions 0–1 with 4 decimals and `None` when nothing shipped.
"""

import datetime
from dataclasses import dataclass, replace

from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef
from django.db.models.functions import TruncWeek
from django.utils import timezone

from accounts.models import Practice, User
from accounts.policy import can_manage_lab, is_dentist, is_technician
from cases.lifecycle import OPEN_STATUSES
from cases.models import Case, CaseItem, Product, ProductCategory, RemakeResponsibility, Status
from dentallab.exceptions import Forbidden, NotFound, Unavailable
from reports import policy
from reports.exceptions import BadReportParameter
from reports.workdays import running_counts

GROUP_BY = ("practice", "product", "technician", "week")
DEFAULT_WEEKS = 12
MAX_DAYS = 731
# Receipts longer ago than this before the period's start count from that day (the running-count
# table stays a few hundred entries long whatever the data).
TURNAROUND_LOOKBACK_DAYS = 366
ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class ReportFilters:
    date_from: datetime.date
    date_to: datetime.date
    practice_id: int | None = None
    technician_id: int | None = None
    category: str = ""

    def weeks(self) -> list[datetime.date]:
        """The Mondays of every week the period touches."""
        monday = self.date_from - datetime.timedelta(days=self.date_from.weekday())
        out = []
        while monday <= self.date_to:
            out.append(monday)
            monday += datetime.timedelta(days=7)
        return out


def default_period(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """The last 12 weeks, ending today: Monday 11 weeks back to today."""
    today = today or timezone.localdate()
    start = today - datetime.timedelta(days=today.weekday()) - datetime.timedelta(weeks=DEFAULT_WEEKS - 1)
    return start, today


def _date(params, name: str, default: datetime.date) -> datetime.date:
    raw = (params.get(name) or "").strip()
    if not raw:
        return default
    try:
        day = datetime.date.fromisoformat(raw)
    except ValueError:
        raise BadReportParameter(f"Give {name} as a date YYYY-MM-DD; got {raw[:20]!r}.", field=name) from None
    if not 1990 <= day.year <= 2200:
        raise BadReportParameter(f"{name} must be a date between 1990 and 2200.", field=name)
    return day


def _int(params, name: str) -> int | None:
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 12:
        raise BadReportParameter(f"{name} must be an id (a whole number).", field=name)
    return int(raw)


def parse_filters(user, params) -> ReportFilters:
    """Read from / to / practice / technician / category and apply the caller's scope: a dentist
    sees only their own practice (another practice: 404), a technician only the cases assigned to
    them (another technician: 403). 400 naming the field for anything malformed."""
    if not policy.can_view_scorecard(user):
        raise Forbidden("Reports are for the lab's managers, its technicians and the practices' dentists.")
    default_from, default_to = default_period()
    date_to = _date(params, "to", default_to)
    # Without `from`: the 12 weeks that end on `to`.
    date_from = _date(params, "from", default_from if date_to == default_to else date_to - 12 * 7 * ONE_DAY + ONE_DAY)
    if date_from > date_to:
        raise BadReportParameter("from must be on or before to.", field="from")
    if (date_to - date_from).days >= MAX_DAYS:
        raise BadReportParameter(f"The period may be at most {MAX_DAYS} days long.", field="to")
    practice_id = _int(params, "practice")
    technician_id = _int(params, "technician")
    category = (params.get("category") or "").strip()
    if category and category not in ProductCategory.values:
        raise BadReportParameter(f"category must be one of {', '.join(ProductCategory.values)}.", field="category")
    if is_dentist(user) and not can_manage_lab(user):
        if practice_id not in (None, user.practice_id):
            raise NotFound("No such practice.", field="practice")
        practice_id = user.practice_id
    elif practice_id is not None and not Practice.objects.filter(pk=practice_id).exists():
        raise BadReportParameter("No practice has this id.", field="practice")
    if is_technician(user):
        if technician_id not in (None, user.pk):
            raise Forbidden("Technicians see their own figures only.")
        technician_id = user.pk
    elif technician_id is not None and not can_manage_lab(user):
        raise Forbidden("Only managers see a technician's figures.")
    elif technician_id is not None and not User.objects.filter(pk=technician_id).exists():
        raise BadReportParameter("No user has this id.", field="technician")
    return ReportFilters(date_from, date_to, practice_id, technician_id, category)


def _bounds(filters: ReportFilters) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(filters.date_from, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(filters.date_to + ONE_DAY, datetime.time.min, tzinfo=tz)
    return start, end


def scoped_cases(user, filters: ReportFilters):
    """The cases the caller may count, narrowed by practice, technician and product category (a
    case counts for a category when one of its items is of it). Dates are applied by the caller."""
    cases = Case.objects.visible_to(user).order_by()
    if filters.practice_id is not None:
        cases = cases.filter(practice_id=filters.practice_id)
    if filters.technician_id is not None:
        cases = cases.filter(assigned_technician_id=filters.technician_id)
    if filters.category:
        cases = cases.filter(
            Exists(CaseItem.objects.filter(case_id=OuterRef("pk"), product__category=filters.category))
        )
    return cases


def shipped_cases(user, filters: ReportFilters):
    start, end = _bounds(filters)
    return scoped_cases(user, filters).filter(shipped_at__gte=start, shipped_at__lt=end)


# --- the scorecard --------------------------------------------------------------------------------
#
# One scan of the period's shipped cases, hash-aggregated by (group, turnaround): each output row is
# a group, a number of working days and how many cases (on time, remade) took that long. The medians
# come from these few hundred counts (percentile_cont's rule: the middle value, or the mean of the two
# middle ones), so nothing sorts 100,000 cases and no Python code sees a case.

_GROUP_KEYS = {
    "practice": ("u.practice_id", ""),
    "technician": ("u.assigned_technician_id", ""),
    # The Monday of the shipping week, in date arithmetic (cheaper than date_trunc on a timestamp).
    "week": ("(u.ship_day - extract(isodow FROM u.ship_day)::int + 1)", ""),
    # Each case's distinct products, looked up by the case (index on case_id): a case with two
    # items of one product counts once in its row.
    "product": (
        "ci.product_id",
        " CROSS JOIN LATERAL (SELECT DISTINCT product_id FROM {item} WHERE case_id = u.id{where}) ci",
    ),
}


def _scorecard_sql(user, filters: ReportFilters, group_by: str | None) -> tuple[str, list]:
    base = shipped_cases(user, filters).values(
        "id", "practice_id", "assigned_technician_id", "shipped_at", "received_at", "ship_by", "due_date"
    )
    base_sql, base_params = base.query.sql_with_params()
    first = filters.date_from - datetime.timedelta(days=TURNAROUND_LOOKBACK_DAYS)
    counts = running_counts(first, filters.date_to)
    tz = timezone.get_current_timezone_name()
    case_table = connection.ops.quote_name(Case._meta.db_table)
    # Only identifiers of our own models are formatted in; every value is a parameter.
    sql = f"""
        WITH s AS ({base_sql}),
        t AS (
            SELECT s.id, s.practice_id, s.assigned_technician_id,
                   (s.shipped_at AT TIME ZONE %s)::date AS ship_day,
                   (s.received_at AT TIME ZONE %s)::date AS recv_day,
                   coalesce(s.ship_by, s.due_date) AS deadline
            FROM s
        ),
        u AS (
            SELECT t.*,
                   CASE WHEN t.deadline IS NULL OR t.ship_day <= t.deadline THEN 1 ELSE 0 END AS on_time,
                   CASE WHEN t.id IN (SELECT remake_of_id FROM {case_table} WHERE remake_of_id IS NOT NULL)
                       THEN 1 ELSE 0 END AS remade,
                   CASE WHEN t.recv_day IS NULL THEN NULL ELSE greatest(0,
                       (%s::int[])[t.ship_day - %s::date + 1]
                       - (%s::int[])[greatest(t.recv_day, %s::date) - %s::date + 1]) END AS tat
            FROM t
        )
    """  # noqa: S608
    params = [*base_params, tz, tz, counts, first, counts, first, first]
    measures = "u.tat, count(*), sum(u.on_time), sum(u.remade)"
    if group_by is None:
        sql += f" SELECT 1 AS grp, NULL AS key, {measures} FROM u GROUP BY u.tat"  # noqa: S608
        return sql, params
    key, join = _GROUP_KEYS[group_by]
    if not join:
        # Each case is in exactly one group: the totals are the groups' sums (scorecard()).
        sql += f" SELECT 0 AS grp, {key}::text AS key, {measures} FROM u GROUP BY {key}, u.tat"  # noqa: S608
        return sql, params
    where = ""
    if filters.category:
        product_table = connection.ops.quote_name(Product._meta.db_table)
        where = f" AND product_id IN (SELECT id FROM {product_table} WHERE category = %s)"  # noqa: S608
        params.append(filters.category)
    join = join.format(item=connection.ops.quote_name(CaseItem._meta.db_table), where=where)
    # A case with several products counts once in each of their rows, and once in the totals.
    sql += (
        f" SELECT 1 AS grp, NULL AS key, {measures} FROM u GROUP BY u.tat"  # noqa: S608
        f" UNION ALL SELECT 0, {key}::text, {measures} FROM u{join} GROUP BY {key}, u.tat"
    )
    return sql, params


def _median(histogram: dict) -> float | None:
    """percentile_cont(0.5) of the values a {value: count} histogram describes."""
    n = sum(histogram.values())
    if not n:
        return None
    low, high = (n - 1) // 2, n // 2  # the middle position(s), counted from 0
    found, seen = {}, 0
    for value in sorted(histogram):
        count = histogram[value]
        for position in (low, high):
            if position not in found and seen <= position < seen + count:
                found[position] = value
        seen += count
    return (found[low] + found[high]) / 2


class _Tally:
    __slots__ = ("shipped", "on_time", "remakes", "histogram")

    def __init__(self):
        self.shipped = self.on_time = self.remakes = 0
        self.histogram: dict[int, int] = {}

    def add(self, tat, count, on_time, remade) -> None:
        self.shipped += count
        self.on_time += on_time or 0
        self.remakes += remade or 0
        if tat is not None:
            self.histogram[tat] = self.histogram.get(tat, 0) + count

    def figures(self) -> dict:
        return _figures(self.shipped, self.on_time, self.remakes, _median(self.histogram))


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _figures(cases_shipped, on_time, remakes, median) -> dict:
    cases_shipped, on_time, remakes = int(cases_shipped or 0), int(on_time or 0), int(remakes or 0)
    return {
        "cases_shipped": cases_shipped,
        "on_time": on_time,
        "on_time_rate": _rate(on_time, cases_shipped),
        "remakes": remakes,
        "remake_rate": _rate(remakes, cases_shipped),
        "median_turnaround_days": round(float(median), 1) if median is not None and cases_shipped else None,
    }


def _labels(group_by: str, keys: list[str]) -> dict[str, tuple[object, str]]:
    """key text → (key as the API gives it, label)."""
    ids = [int(k) for k in keys if k is not None and group_by != "week"]
    if group_by == "practice":
        return {str(p.pk): (p.pk, p.name) for p in Practice.objects.filter(pk__in=ids).only("name")}
    if group_by == "technician":
        out = {str(u.pk): (u.pk, u.name) for u in User.objects.filter(pk__in=ids).only("name")}
        out[None] = (None, "Unassigned")
        return out
    if group_by == "product":
        return {
            str(p.pk): (p.pk, f"{p.code} · {p.name}") for p in Product.objects.filter(pk__in=ids).only("code", "name")
        }
    return {}


def week_label(monday: datetime.date) -> str:
    iso = monday.isocalendar()
    return f"{iso.year}-W{iso.week:02d}"


def scorecard(user, filters: ReportFilters, group_by: str | None = "practice") -> dict:
    """DESIGN §17's scorecard: totals and one row per group (1 query, +1 for the labels). With
    group_by=week every week of the period has a row, zero when nothing shipped."""
    if group_by is not None and group_by not in GROUP_BY:
        raise BadReportParameter(f"group_by must be one of {', '.join(GROUP_BY)}.", field="group_by")
    if connection.vendor != "postgresql":
        raise Unavailable("The scorecard is computed by PostgreSQL: set DATABASE_URL to a PostgreSQL database.")
    sql, params = _scorecard_sql(user, filters, group_by)
    with transaction.atomic(), connection.cursor() as cursor:
        # A short aggregate: JIT compilation would cost more than the query itself.
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(sql, params)
        result = cursor.fetchall()
    total, tallies = _Tally(), {}
    partitioned = group_by in ("practice", "technician", "week")  # each case in exactly one group
    for grp, key, tat, count, on_time, remade in result:
        if grp:
            total.add(tat, count, on_time, remade)
        else:
            tallies.setdefault(key, _Tally()).add(tat, count, on_time, remade)
            if partitioned:
                total.add(tat, count, on_time, remade)
    totals = total.figures()
    grouped = {key: tally.figures() for key, tally in tallies.items()}
    rows = []
    if group_by == "week":
        for monday in filters.weeks():
            figures = grouped.get(monday.isoformat()) or _Tally().figures()
            rows.append({"key": monday.isoformat(), "label": week_label(monday), **figures})
    elif group_by:
        labels = _labels(group_by, list(grouped))
        for key, figures in grouped.items():
            api_key, label = labels.get(key, (int(key) if key else None, "—"))
            rows.append({"key": api_key, "label": label, **figures})
        rows.sort(key=lambda row: (row["key"] is None, row["label"].lower()))
    return {
        "from": filters.date_from.isoformat(),
        "to": filters.date_to.isoformat(),
        "group_by": group_by,
        "rows": rows,
        "totals": totals,
    }


# --- the reports page's other figures ---------------------------------------------------------------


def received_and_shipped_by_week(user, filters: ReportFilters) -> list[dict]:
    """Cases received and shipped in each week of the period (2 queries)."""
    start, end = _bounds(filters)
    cases = scoped_cases(user, filters)
    received = dict(
        cases.filter(received_at__gte=start, received_at__lt=end)
        .annotate(week=TruncWeek("received_at"))
        .values_list("week")
        .annotate(n=Count("id"))
        .values_list("week", "n")
    )
    shipped = dict(
        cases.filter(shipped_at__gte=start, shipped_at__lt=end)
        .annotate(week=TruncWeek("shipped_at"))
        .values_list("week")
        .annotate(n=Count("id"))
        .values_list("week", "n")
    )
    received = {timezone.localtime(k).date() if isinstance(k, datetime.datetime) else k: v for k, v in received.items()}
    shipped = {timezone.localtime(k).date() if isinstance(k, datetime.datetime) else k: v for k, v in shipped.items()}
    return [
        {
            "week": monday,
            "label": week_label(monday),
            "received": received.get(monday, 0),
            "shipped": shipped.get(monday, 0),
        }
        for monday in filters.weeks()
    ]


def remakes_by(user, filters: ReportFilters, field: str, *, shipped: int | None = None) -> list[dict]:
    """The shipped cases of the period that were remade, by the remake's reason or responsibility,
    with their share of the `shipped` cases (1 query, +1 to count them when not given)."""
    shipped_qs = shipped_cases(user, filters)
    total = shipped_qs.count() if shipped is None else shipped
    lookup = {"reason": "remakes__remake_reason", "responsibility": "remakes__remake_responsibility"}[field]
    counted = (
        shipped_qs.filter(remakes__isnull=False)
        .values(lookup)
        .annotate(n=Count("id", distinct=True))
        .order_by("-n", lookup)
    )
    labels = dict(RemakeResponsibility.choices)
    out = []
    for row in counted[:15]:
        value = row[lookup] or ""
        label = labels.get(value, value) if field == "responsibility" else value
        out.append({"key": value, "label": label or "Not given", "remakes": row["n"], "rate": _rate(row["n"], total)})
    return out


WIP_STATUSES = list(OPEN_STATUSES)  # in the lab's hands: sent by the practice, not finished


def work_in_progress(user, filters: ReportFilters) -> list[dict]:
    """Open cases by status now (received and not yet shipped, plus submitted ones waiting to be
    received): the date range does not apply, the other filters do (1 query)."""
    counts = dict(
        scoped_cases(user, replace(filters))
        .filter(status__in=WIP_STATUSES)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    labels = dict(Status.choices)
    return [{"key": s, "label": labels[s], "cases": counts.get(s, 0)} for s in WIP_STATUSES]


def filter_choices(user) -> dict:
    return {
        "practices": list(Practice.objects.visible_to(user).values_list("pk", "name")),
        "technicians": list(User.objects.technicians().values_list("pk", "name")),
        "categories": ProductCategory.choices,
    }
