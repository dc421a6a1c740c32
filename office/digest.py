"""The office's morning digest (daily, 08:00): to each community's staff, what is overdue."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from grid.selectors_work import grid_work_todos
from notices.models import Notification
from notices.services import notify
from portal.models import User
from volunteers.models import SpecialGroupCase
from wishes.selectors import wish_todos


def send_daily_digest(today=None) -> int:
    """An inbox message (and an e-mail, where the account has an address) to every active
    staff member whose community has overdue wishes or appeals or open special-group
    cases; nothing to those with nothing waiting. Once a day per person."""
    today = today or timezone.localdate()
    staff = User.objects.filter(role=User.Role.STAFF, is_active=True, community__isnull=False).select_related("community")
    sent = 0
    for user in staff:
        wishes, grid = wish_todos(user), grid_work_todos(user)
        cases = SpecialGroupCase.objects.filter(community_id=user.community_id).exclude(status=SpecialGroupCase.Status.SOLVED).count()
        counts = {"wishes": wishes["overdue"], "appeals": grid["appeals_overdue"], "cases": cases}
        if not any(counts.values()):
            continue
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Waiting in %(community)s on %(day)s") % {"community": user.community.name, "day": today.isoformat()}
            text = _("Overdue micro-wishes: %(wishes)s; overdue appeals: %(appeals)s; special-group cases not yet solved: %(cases)s.") % counts
        common = {
            "event": "office.digest", "key": f"digest:{today.isoformat()}:{user.pk}", "template": "daily_digest",
            "text": text, "subject": subject, "community_id": user.community_id, "params": counts,
            "link": reverse("office:dashboard"),
        }
        sent += notify(channel=Notification.Channel.INBOX, user=user, **common) is not None
        if user.email:
            notify(channel=Notification.Channel.EMAIL, to=user.email, user=user, **common)
    return sent
