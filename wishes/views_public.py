"""Residents' pages: no account, used on phones, many by elderly people.

    new ──POST──▶ submitted (shows the tracking code)
    track ──POST code + last 4 digits──▶ track (the wish, from the session) ──confirm──▶ fulfilled
    wall: the public wish wall · poster: a printable QR code that opens `new`

Nothing here shows a phone number, an address or a full name, and every
lookup by code is rate-limited per address and per code (portal/tracking.py).
"""


import qrcode
from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from qrcode.image.svg import SvgPathImage

from grid.models import GridCell
from portal import throttle
from portal.figures_cache import cached_html
from portal.forms import RatingForm
from portal.models import Community
from portal.tracking import remember_submission, submitted_object
from portal.tracking_page import TrackingPage
from portal.views_helpers import community_from_query

from . import selectors, services
from .forms import ConfirmWishForm, PublicWishForm, TrackForm, WallFilterForm
from .models import MicroWish

S = MicroWish.Status

DONE_KEY = "public_wish_done"  # {"pk", "code", "community"} of the wish just made
TRACK_KEY = "tracked_wish"  # the session's pk of the wish looked up (and when: "tracked_wish_at")
WALL_PAGE_SIZE = 24


def _setting(name, default):
    return getattr(settings, name, default)


def _int_or_none(value):
    value = (value or "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None


# The wish form ------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def wish_new(request):
    community = community_from_query(request)
    if community is None:
        return render(request, "wishes/public_choose_community.html", {"communities": Community.objects.all()})

    status = 200
    if request.method == "POST":
        if PublicWishForm.is_spam(request.POST):
            # A robot filled the hidden field: it gets the usual answer, nothing is saved.
            remember_submission(request, DONE_KEY, None, community)
            return redirect("wishes:submitted")
        form = PublicWishForm(request.POST, request.FILES, community=community)
        if form.is_valid():
            # Only valid submissions count: a resident who gets a field wrong five
            # times is not locked out; what floods the review queue is saved wishes.
            window = _setting("WISH_SUBMIT_WINDOW", 600)
            if throttle.hit(request, "wish-submit", _setting("WISH_SUBMIT_LIMIT", 5), window):
                wish = services.wish_submit(wish=form.save(commit=False))
                remember_submission(request, DONE_KEY, wish, community)
                return redirect("wishes:submitted")
            form.add_error(None, throttle.too_many_submissions(window))
            status = 429
    else:
        initial = {}
        cell_pk = _int_or_none(request.GET.get("cell"))
        if cell_pk and GridCell.objects.filter(pk=cell_pk, community=community).exists():
            initial["grid_cell"] = cell_pk  # from a poster of that cell; a stale one is ignored
        form = PublicWishForm(initial=initial, community=community)

    context = {
        "form": form,
        "community": community,
        # A browser cannot keep a chosen file when the form comes back with errors.
        "photo_dropped": request.method == "POST" and bool(request.FILES.get("photo")),
    }
    return render(request, "wishes/public_new.html", context, status=status)


@never_cache
def wish_submitted(request):
    wish = submitted_object(request, DONE_KEY, MicroWish, Community)
    if wish is None:
        request.session.pop(DONE_KEY, None)
        return redirect("wishes:new")
    return render(request, "wishes/public_submitted.html", {"wish": wish, "community": wish.community})


# Tracking -----------------------------------------------------------------------

STEP_TEXT = {
    S.SUBMITTED: gettext_lazy("Wish received"),
    S.OPEN: gettext_lazy("Published on the wish wall"),
    S.CLAIMED: gettext_lazy("A helper took it on"),
    S.DELIVERED: gettext_lazy("Delivered"),
    S.FULFILLED: gettext_lazy("Confirmed: the wish came true"),
    S.REJECTED: gettext_lazy("Not accepted"),
}
REOPENED_TEXT = gettext_lazy("The helper could not do it; open for claiming again")
# Only these notes are meant for the resident; a cancelled claim's reason is internal.
STEPS_WITH_NOTE = {S.REJECTED, S.DELIVERED, S.FULFILLED}


def _timeline(wish):
    steps = []
    for event in wish.events.all():
        if event.from_status == S.CLAIMED and event.to_status == S.OPEN:
            text = REOPENED_TEXT
        else:
            text = STEP_TEXT.get(event.to_status, event.get_to_status_display())
        steps.append({"at": event.created_at, "text": text, "note": event.note if event.to_status in STEPS_WITH_NOTE else ""})
    return steps


def _holder_display(wish):
    if wish.claimed_by_unit_id:
        return wish.claimed_by_unit.name
    if wish.claimed_by_member_id:
        return _("a party member")
    return ""


class WishTrackingPage(TrackingPage):
    model = MicroWish
    related = ("community", "grid_cell", "claimed_by_unit")
    session_key = TRACK_KEY
    seconds_setting = "WISH_TRACK_SESSION_SECONDS"
    template_name = "wishes/public_track.html"
    context_object_name = "wish"
    form_class = TrackForm
    url_name = "wishes:track"
    not_found = gettext_lazy("No wish matches this code and phone number.")
    look_up_again = gettext_lazy("Please look up your wish again with its code and phone number.")
    rate_url_name = "wishes:track_rate"

    def context(self, wish, confirm_form=None):
        return {
            "timeline": _timeline(wish),
            "holder": _holder_display(wish),
            "confirm_form": confirm_form or (ConfirmWishForm() if wish.status == S.DELIVERED else None),
        }


TRACKING = WishTrackingPage()


@never_cache
@require_http_methods(["GET", "POST"])
def track(request):
    """Look a wish up with its code and phone digits, and follow it (portal/tracking_page.py)."""
    return TRACKING.track(request)


@never_cache
@require_POST
def track_confirm(request):
    """The resident confirms a delivered wish: only the one this browser looked up."""
    return TRACKING.act(
        request,
        lambda wish, data: services.wish_confirm(wish=wish, thank_you=data["thank_you"]),
        _("Thank you! Your wish is marked as fulfilled."),
        form_class=ConfirmWishForm,
        form_name="confirm_form",
    )


@never_cache
@require_POST
def track_rate(request):
    """The resident rates how their wish came true."""
    return TRACKING.act(
        request,
        lambda wish, data: services.wish_rate(wish=wish, rating=data["rating"], comment=data["comment"]),
        _("Thank you for your rating."),
        form_class=RatingForm,
        form_name="rating_form",
    )


# The wall -------------------------------------------------------------------------


WALL_PARAMETERS = ("c", "category", "cell", "page")


def wall(request):
    # The same for every visitor: rendered once per data version (renewed by any change
    # made in the portal) and query; without it the wall served a tenth of /healthz's
    # rate under gunicorn. Other parameters change nothing, so they are not in the key.
    content = cached_html(
        "wall_html",
        "wishes/_wall_content.html",
        lambda: _wall_context(request),
        request,
        *(request.GET.get(name, "") for name in WALL_PARAMETERS),
    )
    return render(request, "wishes/public_wall.html", {"content": content})


def _wall_context(request) -> dict:
    communities = list(Community.objects.all())
    chosen = next((c for c in communities if c.code == request.GET.get("c")), None)
    if chosen is None and len(communities) == 1:
        chosen = communities[0]
    cells = GridCell.objects.filter(community=chosen) if chosen else None
    form = WallFilterForm(request.GET, communities=communities, cells=cells)
    form.is_valid()  # each bad value is dropped from cleaned_data, i.e. ignored

    category, cell = form.cleaned_data.get("category"), form.cleaned_data.get("cell")
    wishes = selectors.wall([chosen.pk] if chosen else None)
    if category:
        wishes = wishes.filter(category=category)
    if cell:
        wishes = wishes.filter(grid_cell=cell)
    return {
        "filter_form": form,
        "page_obj": Paginator(wishes, WALL_PAGE_SIZE).get_page(request.GET.get("page")),
        "community": chosen,
        "several_communities": len(communities) > 1,
        "new_url": _new_wish_url(chosen),
    }


def _new_wish_url(community, cell=None):
    query = {}
    if community is not None:
        query["c"] = community.code
    if cell is not None:
        query["cell"] = cell.pk
    url = reverse("wishes:new")
    return f"{url}?{urlencode(query)}" if query else url


# The poster -------------------------------------------------------------------------


def _qr_svg(data: str) -> str:
    image = qrcode.make(data, image_factory=SvgPathImage, border=4)
    return image.to_string(encoding="unicode")


def poster(request, code):
    """An A4 poster with a QR code that opens the wish form of this community (and cell)."""
    community = get_object_or_404(Community, code=code)
    cell = None
    if "cell" in request.GET:
        cell_pk = _int_or_none(request.GET["cell"])
        if cell_pk is None:
            raise Http404("No such grid cell.")
        cell = get_object_or_404(GridCell, pk=cell_pk, community=community)
    url = request.build_absolute_uri(_new_wish_url(community, cell))
    context = {
        "community": community,
        "cell": cell,
        "qr_url": url,
        # Made by us from our own URL (no user input in the markup): safe to inline.
        "qr_svg": mark_safe(_qr_svg(url)),  # noqa: S308
    }
    return render(request, "wishes/public_poster.html", context)
