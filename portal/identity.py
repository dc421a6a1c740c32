"""Identity (身份鉴别): first-login password change and password age.

- An account whose initial password was given by someone else (Django admin's
  "add user" form, an administrator resetting it) has `must_change_password`:
  until its user chooses their own password, every page sends them to the
  password change page.
- With `settings.PASSWORD_MAX_AGE_DAYS` above 0 (0, the default, turns it off),
  a password of an office account (portal.permissions: "portal.password_expires") older than that many
  days sends its user there too.

`PasswordChangeRequiredMiddleware` does the sending; it lets through the pages
needed to change the password or leave (password change and done, logout), the
language switch and static files. `PasswordChangeView` clears the flag after a
successful change; `User.set_password` records `password_changed_at` whichever
way the password changes.
"""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.ids import parse_id
from portal.models import RoleGrant, User
from portal.views_helpers import safe_next

Role = User.Role

# The accounts of the community office and the area (not volunteers: members and
# liaisons) whose passwords expire when PASSWORD_MAX_AGE_DAYS is set.

# URL names a user who must change their password may still open.
ALLOWED_VIEWS = frozenset({"portal:password_change", "portal:password_change_done", "portal:logout", "set_language"})


def password_max_age_days() -> int:
    return int(getattr(settings, "PASSWORD_MAX_AGE_DAYS", 0) or 0)


def password_expired(user, now=None) -> bool:
    """Is the password of this office account older than PASSWORD_MAX_AGE_DAYS?

    A password set before the change time was recorded counts from the day the
    account was created."""
    days = password_max_age_days()
    if days <= 0 or not user.can("portal.password_expires"):
        return False
    changed = user.password_changed_at or user.date_joined
    return changed is not None and changed < (now or timezone.now()) - datetime.timedelta(days=days)


def password_change_reason(user) -> str:
    """Why `user` must change their password before going on ("" if they need not)."""
    if not user.is_authenticated:
        return ""
    if user.must_change_password:
        return _("Your password was set by an administrator. Please choose your own password before you go on.")
    if password_expired(user):
        return _(
            "Your password is more than %(days)d days old. Please choose a new password before you go on."
        ) % {"days": password_max_age_days()}
    return ""


class PasswordChangeRequiredMiddleware:
    """Send a signed-in user who must change their password to the change page.

    Goes after AuthenticationMiddleware and MessageMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if request.path.startswith("/" + settings.STATIC_URL.lstrip("/")):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in ALLOWED_VIEWS:
            return None
        reason = password_change_reason(user)
        if not reason:
            return None
        messages.warning(request, reason)
        return redirect(reverse("portal:password_change"))


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change page; afterwards the account no longer has to
    change its password. (The security log hears of the change from the
    account's save: audit/signals.py.)"""

    def form_valid(self, form):
        form.user.must_change_password = False  # saved with the new password by form.save()
        return super().form_valid(form)


class SafeNextMixin:
    """Django's login and logout go on to `next` only if it is a local URL that
    portal.views_helpers.safe_next accepts (Django's own check lets control
    characters through)."""

    def get_redirect_url(self):
        url = safe_next(self.request, fallback="")
        # Back to the login page itself: Django refuses that loop with a 500 for a
        # signed-in user; the default page (the dashboard) is what they want.
        return "" if url == self.request.path else url


class LoginView(SafeNextMixin, auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True


class LogoutView(SafeNextMixin, auth_views.LogoutView):
    pass


# Several roles, one account (portal.models.RoleGrant) ---------------------------------------


class SwitchRefused(Exception):
    pass


def switch_role(request, grant) -> None:
    """Act in `grant` from now on: its role, community, unit and area are copied onto
    the account (the security log records the change of role and community:
    audit/signals.py), and the session gets a new key, as at login."""
    user = request.user
    if grant.area_id and (user.is_staff or user.is_superuser):
        raise SwitchRefused(_("This account has Django admin, which shows every community: it cannot act as an admin of one area."))
    for name in RoleGrant.FIELDS:
        setattr(user, name, getattr(grant, name))
    user.__dict__.pop("_community_ids_in_reach", None)
    user.save(update_fields=["role", "community", "unit", "area"])
    request.session.cycle_key()


@login_required
@require_http_methods(["GET", "POST"])
def my_roles(request):
    """"My roles": the roles the account holds, the one acted in now, and a button to switch."""
    RoleGrant.current_of(request.user)  # accounts made in bulk (scale data) have none yet
    grants = request.user.grants.select_related("community", "unit", "area")
    if request.method == "POST":
        grant = get_object_or_404(grants, pk=parse_id(request.POST.get("grant")) or 0)
        try:
            switch_role(request, grant)
        except SwitchRefused as refusal:
            messages.error(request, str(refusal))
            return redirect("portal:my_roles")
        messages.success(request, _("You now act as %(role)s.") % {"role": grant})
        return redirect(settings.LOGIN_REDIRECT_URL)
    rows = [(grant, grant.matches(request.user)) for grant in grants]
    return render(request, "registration/my_roles.html", {"rows": rows})
