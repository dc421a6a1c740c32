import logging

from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from grid.models import Community
from grid.selectors import grid_cells_with_counts, overview_for
from portal.access import OFFICE_ROLES, Role
from portal.templatetags.portal_tags import percent
from wishes.selectors import wish_todos

logger = logging.getLogger(__name__)


def home(request):
    """Public landing page: what the portal is, and where residents and members start."""
    communities = Community.objects.order_by("name")[:50]
    return render(request, "portal/home.html", {"communities": communities})


@login_required
def dashboard(request):
    user = request.user
    if user.role == Role.MEMBER:
        return redirect("grid:member_me")
    if user.role == Role.LIAISON:
        if user.unit_id:
            return redirect("grid:unit_detail", pk=user.unit_id)
        return render(request, "portal/dashboard_empty.html")
    overview = overview_for(user)
    context = {"overview": overview, "cards": _dashboard_cards(user, overview), "wish_cards": _wish_cards(user)}
    if user.role == Role.GRID_WORKER:
        context["my_cells"] = grid_cells_with_counts(user)
    return render(request, "portal/dashboard.html", context)


def _dashboard_cards(user, overview):
    members_url = reverse("grid:member_list")
    members = overview["members"]
    cards = []
    if user.role == Role.AREA_ADMIN:
        cards.append((_("Communities"), overview["communities"], reverse("grid:community_list"), ""))
    cards.append((_("Grid cells"), overview["grid_cells"], reverse("grid:gridcell_list"), ""))
    if user.role in OFFICE_ROLES:
        cards.append((_("Co-building units"), overview["units"], reverse("grid:unit_list") + "?is_active=true", ""))
    cards += [
        (_("Registered party members"), members["registered"], members_url + "?is_active=true", ""),
        (
            _("Reported"),
            members["reported"],
            members_url + "?is_active=true&reported=yes",
            _("Reporting rate %(rate)s") % {"rate": percent(members["rate"])},
        ),
        (_("Awaiting confirmation"), members["registered"] - members["reported"], members_url + "?is_active=true&reported=no", ""),
    ]
    return [{"label": label, "value": value, "href": href, "note": note} for label, value, href, note in cards]


def _wish_cards(user):
    """Micro-wish to-dos of office roles and grid workers: to review, overdue."""
    todos = wish_todos(user)
    wishes_url = reverse("wishes:list")
    return [
        {"label": _("Wishes awaiting review"), "value": todos["awaiting_review"], "href": wishes_url + "?status=submitted", "note": ""},
        {"label": _("Overdue wishes"), "value": todos["overdue"], "href": wishes_url + "?overdue=yes", "note": ""},
    ]


@require_GET
@never_cache
def healthz(request):
    """200 once the database answers a query; 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: the database did not answer")
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)
