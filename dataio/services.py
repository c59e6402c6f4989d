"""Import practices, dentists and the price list from CSV or XLSX (DESIGN §18).

`run_import` reads the file (dataio.reading), checks every row against the database and the rest
of the file, and says for each row what it would do: create, update, unchanged, or error (the field
and why). A dry run stops there. A real import saves only when no row fails, all in one
transaction, through the owning apps' services (accounts' save_practice / invite_user / update_user:
their policy checks and audit events), so re-importing the same file changes nothing and an
imported dentist gets an invitation e-mail, queued in that same transaction, never a password.

Columns (the first is the key): practices `account_number, name, email, phone, address`;
dentists `email, name, practice_account_number`; products `code, name, category, unit, price,
turnaround_days`. Extra columns are ignored and named; a missing optional column keeps what is
there; a missing required column is an error naming it.
"""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower

from accounts import policy as accounts_policy
from accounts.models import Practice, Role, User
from accounts.services import invite_user, save_practice, update_user
from cases.models import BillingUnit, Product, ProductCategory
from dataio import policy
from dataio.reading import FileRefused, read_table
from dentallab.exceptions import NotFound

CREATE, UPDATE, UNCHANGED, ERROR = "create", "update", "unchanged", "error"
NEUTRALISED = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Kind:
    name: str
    columns: tuple[str, ...]
    required: tuple[str, ...]
    example: tuple[str, ...]

    @property
    def key(self) -> str:
        return self.columns[0]


KINDS = {
    "practices": Kind(
        "practices",
        ("account_number", "name", "email", "phone", "address"),
        ("account_number", "name"),
        ("ACC-1001", "Bright Smile Dental", "office@brightsmile.test", "+1 555 0100", "1 Main Street, Springfield"),
    ),
    "dentists": Kind(
        "dentists",
        ("email", "name", "practice_account_number"),
        ("email", "name", "practice_account_number"),
        ("dr.smith@brightsmile.test", "Dr Jane Smith", "ACC-1001"),
    ),
    "products": Kind(
        "products",
        ("code", "name", "category", "unit", "price", "turnaround_days"),
        ("code", "name", "price"),
        ("ZC-01", "Zirconia crown", "crown_bridge", "tooth", "129.00", "5"),
    ),
}


@dataclass
class RowResult:
    row: int
    key: str
    outcome: str = UNCHANGED
    errors: list[tuple[str, str]] = field(default_factory=list)
    values: dict = field(default_factory=dict)
    changed: list[str] = field(default_factory=list)
    target: object = None

    def error(self, field_name: str, message: str) -> None:
        self.errors.append((field_name, message))
        self.outcome = ERROR


@dataclass
class ImportResult:
    kind: str
    rows: list[RowResult] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    file_errors: list[tuple[str, str]] = field(default_factory=list)
    saved: bool = False

    @property
    def ok(self) -> bool:
        return not self.file_errors and all(row.outcome != ERROR for row in self.rows)

    def count(self, outcome: str) -> int:
        return sum(1 for row in self.rows if row.outcome == outcome)

    def errors(self) -> list[dict]:
        out = [{"row": None, "field": f, "message": m} for f, m in self.file_errors]
        out += [{"row": row.row, "field": f, "message": m} for row in self.rows for f, m in row.errors]
        return out

    def as_dict(self) -> dict:
        """DESIGN §18's body: {"rows","created","updated","unchanged","errors":[{"row","field","message"}]}."""
        return {
            "rows": len(self.rows),
            "created": self.count(CREATE),
            "updated": self.count(UPDATE),
            "unchanged": self.count(UNCHANGED),
            "errors": self.errors(),
        }


def get_kind(name: str) -> Kind:
    if name not in KINDS:
        raise NotFound(f"Nothing to import as {name!r}: use practices, dentists or products.", field="kind")
    return KINDS[name]


def _cell(value: str) -> str:
    """A cell as text. Our own exports put a quote before a cell that starts like a formula (CSV
    injection); that quote is taken off again so an export re-imports to the same values."""
    if len(value) > 1 and value[0] == "'" and value[1] in NEUTRALISED:
        return value[1:]
    return value


def _max_length(row: RowResult, name: str, limit: int) -> None:
    if len(row.values.get(name, "")) > limit:
        row.error(name, f"At most {limit} characters.")


# --- per kind: read a row's values and compare them with what is saved ---------------------------


def _check_practices(rows: list[RowResult], present: set[str]) -> None:
    existing = {p.account_number: p for p in Practice.objects.filter(account_number__in=[r.key for r in rows if r.key])}
    for row in rows:
        if not row.values.get("name") and "name" in present:
            row.error("name", "A practice needs a name.")
        for name, limit in (("account_number", 40), ("name", 200), ("phone", 40), ("email", 254)):
            _max_length(row, name, limit)
        if row.values.get("email"):
            try:
                validate_email(row.values["email"])
            except ValidationError:
                row.error("email", f"{row.values['email']!r} is not an e-mail address.")
        row.target = existing.get(row.key)


def _check_dentists(rows: list[RowResult], present: set[str]) -> None:
    for row in rows:
        row.key = row.key.lower()
        row.values["email"] = row.key
    # Matched case-insensitively (Dr.Smith@… is dr.smith@…): one query.
    keys = [r.key for r in rows]
    users = {u.email.lower(): u for u in User.objects.annotate(lower_email=Lower("email")).filter(lower_email__in=keys)}
    accounts = {r.values.get("practice_account_number", "") for r in rows}
    practices = {p.account_number: p for p in Practice.objects.filter(account_number__in=accounts - {""})}
    for row in rows:
        try:
            validate_email(row.key)
        except ValidationError:
            row.error("email", f"{row.key!r} is not an e-mail address.")
        if not row.values.get("name"):
            row.error("name", "A dentist needs a name.")
        _max_length(row, "name", 150)
        number = row.values.get("practice_account_number", "")
        practice = practices.get(number)
        if practice is None:
            row.error(
                "practice_account_number",
                f"No practice has the account number {number!r}: import the practice first."
                if number
                else "Give the practice's account number.",
            )
        row.values["practice"] = practice
        user = users.get(row.key)
        if user is not None and user.role != Role.DENTIST:
            row.error("email", f"{row.key} is a {user.get_role_display().lower()}'s account, not a dentist's.")
        row.target = user


CATEGORY_BY_TEXT = {
    **{value: value for value in ProductCategory.values},
    **{label.lower(): value for value, label in ProductCategory.choices},
}
UNIT_BY_TEXT = {
    **{value: value for value in BillingUnit.values},
    **{label.lower(): value for value, label in BillingUnit.choices},
}


def _price(text: str) -> Decimal:
    cleaned = text.replace(" ", "").lstrip("$€£")
    # 12,50 has a decimal comma; 1,234.50 a thousands separator.
    cleaned = cleaned.replace(",", ".") if "," in cleaned and "." not in cleaned else cleaned.replace(",", "")
    return Decimal(cleaned)


def _check_products(rows: list[RowResult], present: set[str]) -> None:
    existing = {p.code: p for p in Product.objects.filter(code__in=[r.key for r in rows if r.key])}
    for row in rows:
        if not row.values.get("name"):
            row.error("name", "A product needs a name.")
        _max_length(row, "code", 20)
        _max_length(row, "name", 120)
        if "category" in row.values:
            text = row.values["category"].lower()
            if text:
                if text not in CATEGORY_BY_TEXT:
                    row.error("category", f"Use one of {', '.join(ProductCategory.values)}.")
                else:
                    row.values["category"] = CATEGORY_BY_TEXT[text]
            else:
                del row.values["category"]
        if "unit" in row.values:
            text = row.values["unit"].lower()
            if text:
                if text not in UNIT_BY_TEXT:
                    row.error("unit", f"Use one of {', '.join(BillingUnit.values)}.")
                else:
                    row.values["unit"] = UNIT_BY_TEXT[text]
            else:
                del row.values["unit"]
        if "price" in row.values:
            try:
                price = _price(row.values["price"])
                if not price.is_finite():
                    raise InvalidOperation
            except (InvalidOperation, ValueError):
                row.error("price", f"{row.values['price']!r} is not a price.")
            else:
                if price < 0:
                    row.error("price", "A price cannot be negative.")
                elif price != price.quantize(Decimal("0.01")):
                    row.error("price", "A price has at most 2 decimal places.")
                elif price >= Decimal("100000000"):
                    row.error("price", "The price is too large.")
                row.values["price"] = price
        if "turnaround_days" in row.values:
            text = row.values["turnaround_days"]
            if not text:
                del row.values["turnaround_days"]
            elif not text.isdigit() or not 0 <= int(text) <= 365:
                row.error("turnaround_days", "Give a whole number of working days, 0 to 365.")
            else:
                row.values["turnaround_days"] = int(text)
        row.target = existing.get(row.key)


CHECKS = {"practices": _check_practices, "dentists": _check_dentists, "products": _check_products}

# What each kind compares and saves (the dentist's practice is compared by id).
FIELDS = {
    "practices": ("name", "email", "phone", "address"),
    "dentists": ("name", "practice"),
    "products": ("name", "category", "unit", "price", "turnaround_days"),
}


def _plan(kind: Kind, row: RowResult) -> None:
    if row.outcome == ERROR:
        return
    if row.target is None:
        row.outcome = CREATE
        return
    for name in FIELDS[kind.name]:
        if name not in row.values:
            continue
        new = row.values[name]
        old = getattr(row.target, name)
        same = getattr(old, "pk", None) == getattr(new, "pk", None) if name == "practice" else old == new
        if not same:
            row.changed.append(name)
    row.outcome = UPDATE if row.changed else UNCHANGED


def check_rows(kind: Kind, header: list[str], data: list[list[str]]) -> ImportResult:
    result = ImportResult(kind.name)
    present = [name for name in header if name in kind.columns]
    result.ignored_columns = [name for name in header if name and name not in kind.columns]
    missing = [name for name in kind.required if name not in header]
    for name in missing:
        result.file_errors.append((name, f"The column {name} is missing (required: {', '.join(kind.required)})."))
    duplicated = {name for name in present if header.count(name) > 1}
    for name in duplicated:
        result.file_errors.append((name, f"The column {name} appears twice."))
    if result.file_errors:
        return result
    index = {name: header.index(name) for name in present}
    seen: dict[str, int] = {}
    for number, cells in enumerate(data, start=1):
        values = {name: _cell(cells[i].strip()) if i < len(cells) else "" for name, i in index.items()}
        row = RowResult(number, values.get(kind.key, ""), values=values)
        key = row.key.lower() if kind.name == "dentists" else row.key
        if not row.key:
            row.error(kind.key, f"The {kind.key} is empty (it says which {kind.name[:-1]} the row is).")
        elif key in seen:
            row.error(kind.key, f"The same {kind.key} as row {seen[key]}: each may appear once.")
        else:
            seen[key] = number
        result.rows.append(row)
    CHECKS[kind.name]([row for row in result.rows if row.key], set(present))
    for row in result.rows:
        _plan(kind, row)
    return result


# --- saving ----------------------------------------------------------------------------------------


def _save(kind: Kind, row: RowResult, actor: User, request) -> None:
    values = row.values
    if kind.name == "practices":
        practice = row.target or Practice(account_number=row.key)
        for name in FIELDS["practices"]:
            if name in values:
                setattr(practice, name, values[name])
        save_practice(practice=practice, actor=actor, request=request)
    elif kind.name == "dentists":
        if row.target is None:
            invite_user(
                actor=actor, email=row.key, name=values["name"], role=Role.DENTIST, practice=values["practice"],
                request=request,
            )  # fmt: skip
        else:
            user = row.target
            changed = {}
            for name in row.changed:
                changed[name] = (getattr(user, name), values[name])
                setattr(user, name, values[name])
            update_user(actor=actor, user=user, changed=changed, request=request)
    else:
        accounts_policy.ensure(accounts_policy.can_manage_lab(actor), "Only managers and admins manage the price list.")
        product = row.target or Product(code=row.key)
        for name in FIELDS["products"]:
            if name in values:
                setattr(product, name, values[name])
        product.full_clean()
        product.save()


def run_import(*, actor: User, kind: str, upload, dry_run: bool, sheet: str = "", request=None) -> ImportResult:
    """Check every row; unless `dry_run`, save them all in one transaction when none fails."""
    accounts_policy.ensure(policy.can_import(actor), "Only managers and admins import.")
    spec = get_kind(kind)
    try:
        header, data = read_table(upload, sheet=sheet)
    except FileRefused as exc:
        return ImportResult(spec.name, file_errors=[(exc.field, exc.message)])
    result = check_rows(spec, header, data)
    if dry_run or not result.ok:
        return result
    with transaction.atomic():
        for row in result.rows:
            if row.outcome in (CREATE, UPDATE):
                _save(spec, row, actor, request)
    result.saved = True
    return result


def template_rows(kind: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    spec = get_kind(kind)
    return spec.columns, spec.example
