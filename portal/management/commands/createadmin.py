"""`manage.py createadmin --username U [--role staff|area_admin|auditor] [--community CODE] [--area CODE] [--full-name NAME]`

Creates an office account with a strong password chosen by the person running
the command (身份鉴别): asked twice without echo (getpass) when run at a
terminal, or read from the first line of standard input otherwise, for scripts:

    printf '%s\\n' "$PASSWORD" | manage.py createadmin --username wang --community shahejie

The password must pass the configured validators (settings.AUTH_PASSWORD_VALIDATORS:
at least 10 characters of 3 kinds, not like the username, not a common
password); a weak one is refused with their messages and nothing is created.
The account does not have to change its password at the first login (its
owner chose it), unlike accounts added in Django admin.

Roles: `staff` (community staff, --community required), `area_admin` (every
community, and Django admin; with --area, the communities of that city, district
or street only, and no Django admin, which shows every community), `auditor`
(the security log only).
"""

import getpass
import sys

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from portal.models import Area, Community, User

ROLES = {
    "staff": User.Role.STAFF,
    "area_admin": User.Role.AREA_ADMIN,
    "auditor": User.Role.AUDITOR,
}


class Command(BaseCommand):
    help = (
        "Create an office account (community staff, area admin or security auditor) with a strong password, "
        "asked twice at the terminal or read from standard input."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--role", choices=sorted(ROLES), default="staff", help="default: staff")
        parser.add_argument("--community", metavar="CODE", help="the community's code (required for staff)")
        parser.add_argument("--area", metavar="CODE", help="area admins: the area (city, district, street) they administer")
        parser.add_argument("--full-name", default="", help="the person's name, as shown in the portal")
        parser.add_argument("--email", default="")

    stealth_options = ("stdin",)  # call_command(..., stdin=...) in tests

    def handle(self, *args, username, role, community, full_name, email, area=None, **options):
        self.stdin = options.get("stdin") or sys.stdin
        username = username.strip()
        if not username:
            raise CommandError("--username must not be empty.")
        if User.objects.filter(username__iexact=username).exists():
            raise CommandError(f"A user named {username!r} already exists.")
        role = ROLES[role]
        place = self.community(role, community)
        area = self.area(role, area)
        everywhere = role == User.Role.AREA_ADMIN and area is None

        user = User(
            username=username,
            email=email,
            full_name=full_name.strip(),
            role=role,
            community=place,
            area=area,
            # Django admin shows every community: area admins of the whole installation only.
            is_staff=everywhere,
            is_superuser=everywhere,
            must_change_password=False,  # they chose it themselves
        )
        password = self.read_password()
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError("The password is too weak:\n" + "\n".join(f"- {m}" for m in error.messages)) from None
        user.set_password(password)
        with transaction.atomic():
            user.full_clean(exclude=["password"])
            user.save()
        where = f" of {place.name} ({place.code})" if place else (f" of {area.name} ({area.code})" if area else "")
        self.stdout.write(f"Created {user.get_role_display()} {user.username}{where}.")

    def community(self, role, code):
        if role == User.Role.STAFF:
            if not code:
                raise CommandError("--community CODE is required for community staff.")
            try:
                return Community.objects.get(code=code)
            except Community.DoesNotExist:
                raise CommandError(f"No community with the code {code!r}.") from None
        if code:
            raise CommandError("Area admins and auditors belong to no community: leave out --community.")
        return None

    def area(self, role, code):
        if not code:
            return None
        if role != User.Role.AREA_ADMIN:
            raise CommandError("--area is for area admins only.")
        try:
            return Area.objects.get(code=code)
        except Area.DoesNotExist:
            raise CommandError(f"No area with the code {code!r}.") from None

    def read_password(self) -> str:
        stdin = self.stdin
        if hasattr(stdin, "isatty") and stdin.isatty():
            first = getpass.getpass("Password: ")
            second = getpass.getpass("Password (again): ")
            if first != second:
                raise CommandError("The two passwords differ.")
            password = first
        else:
            password = stdin.readline().rstrip("\r\n")
        if not password:
            raise CommandError("The password must not be empty.")
        return password
