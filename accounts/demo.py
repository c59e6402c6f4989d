"""Demo practices and accounts (DESIGN §10). Idempotent: re-running updates, never duplicates."""

from accounts.models import Practice, Role, User

DEMO_PASSWORD = "dentallab-demo"  # noqa: S105 — documented demo password (DESIGN §10)

PRACTICES = [
    {
        "name": "Bright Smile Dental",
        "account_number": "BSD-1001",
        "address": "12 Harbour Street\nSpringfield, IL 62701",
        "phone": "+1 217 555 0142",
        "email": "frontdesk@brightsmile.test",
    },
    {
        "name": "Riverside Family Dentistry",
        "account_number": "RFD-1002",
        "address": "480 River Road\nSpringfield, IL 62704",
        "phone": "+1 217 555 0199",
        "email": "office@riverside.test",
    },
]

USERS = [
    {"email": "admin@demo.dentallab.test", "name": "Alex Admin", "role": Role.ADMIN},
    {"email": "manager@demo.dentallab.test", "name": "Morgan Manager", "role": Role.MANAGER},
    {"email": "tech@demo.dentallab.test", "name": "Taylor Technician", "role": Role.TECHNICIAN},
    {"email": "dr.smith@brightsmile.test", "name": "Dr. Sarah Smith", "role": Role.DENTIST, "practice": "BSD-1001"},
    {"email": "dr.jones@riverside.test", "name": "Dr. David Jones", "role": Role.DENTIST, "practice": "RFD-1002"},
]


def seed_accounts(*, password: str = DEMO_PASSWORD) -> dict[str, User]:
    practices = {}
    for data in PRACTICES:
        practice, _ = Practice.objects.update_or_create(
            account_number=data["account_number"], defaults={**data, "active": True}
        )
        practices[practice.account_number] = practice
    users = {}
    for data in USERS:
        defaults = {
            "name": data["name"],
            "role": data["role"],
            "practice": practices.get(data.get("practice")),
            "is_active": True,
            "is_superuser": data["role"] == Role.ADMIN,
        }
        user, created = User.objects.update_or_create(email=data["email"], defaults=defaults)
        if created or not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
        users[user.email] = user
    return users
