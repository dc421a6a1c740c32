"""The outbox (office staff: what was sent, what failed, send again) and each user's inbox."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from portal.access import get_for_user, scope_to_community
from portal.permissions import action_required
from portal.views_helpers import is_local_url, paginate

from . import services
from .filters import NotificationFilter
from .models import Notification


def _outbox(user):
    # Inbox rows are private to their reader; the outbox lists what went out of the portal.
    return scope_to_community(Notification.objects.exclude(channel=Notification.Channel.INBOX), user).select_related("community")


@require_safe
@action_required("notices.view_outbox")
def outbox(request):
    found = NotificationFilter(request.GET, queryset=_outbox(request.user), request=request)
    counts = dict(_outbox(request.user).order_by().values_list("status").annotate(n=Count("pk")))
    chosen = request.GET.get("status", "")
    tabs = [(value, label, counts.get(value, 0), value == chosen) for value, label in Notification.Status.choices]
    context = {"filter": found, "page_obj": paginate(request, found.qs), "tabs": tabs}
    return render(request, "notices/outbox.html", context)


@require_POST
@action_required("notices.view_outbox")
def resend(request, pk):
    notification = get_for_user(_outbox(request.user), pk=pk)
    if services.resend(notification):
        messages.success(request, _("The message is queued again."))
    else:
        messages.warning(request, _("Only a failed or unsent message can be sent again."))
    back = request.POST.get("next", "")
    return redirect(back if back and is_local_url(request, back) else "notices:outbox")


@require_safe
@login_required
def inbox(request):
    rows = Notification.objects.filter(user=request.user, channel=Notification.Channel.INBOX)
    page = paginate(request, rows)
    return render(request, "notices/inbox.html", {"page_obj": page})


@require_POST
@login_required
def inbox_read(request):
    services.mark_read(request.user)
    return redirect("notices:inbox")


@never_cache
def stop(request, token):
    """The link at the end of every SMS: no more messages to this number (asked, then done)."""
    notification = services.from_stop_token(token)
    if notification is None:
        return render(request, "notices/stop.html", {"invalid": True}, status=404)
    done = False
    if request.method == "POST":
        services.opt_out(notification.to)
        done = True
    return render(request, "notices/stop.html", {"phone": notification.masked_to, "done": done})
