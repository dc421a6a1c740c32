"""Micro-wish pages for people with an account.

- Community staff and area admins (portal/permissions.py) review, correct and follow
  the wishes of their community, enter wishes for residents (代办), and may
  record a delivery or confirm a wish on the resident's behalf.
- Grid workers see the wishes of their cells (and those they entered) and
  enter wishes for residents; they do not review.
- Party members and unit liaisons claim open wishes of their community and
  record what they delivered.

Every state change is a POST that calls ONE service function; a refused step
(`services.WishError`) becomes an error message, never a 500.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from audit.services import record_personal_data_view
from audit.views_personal_data import remove_personal_data as _remove_personal_data
from portal.access import get_for_user, scope_to_community
from portal.figures_cache import cached
from portal.forms import CommunityChoiceForm, RatingForm
from portal.permissions import action_required
from portal.uploads import serve_private_file
from portal.views_helpers import form_errors, paginate, perform, post_step

from . import selectors, services
from .filters import WishFilter
from .models import MicroWish
from .selectors import wish_todos
from .staff_forms import (
    ApproveForm,
    CancelClaimForm,
    ConfirmForm,
    DeliverForm,
    ProxyWishForm,
    RejectForm,
    WishEditForm,
)

S = MicroWish.Status
EDITABLE_STATUSES = (S.SUBMITTED, S.OPEN)
PHOTO_FIELDS = {"wish": "photo", "delivery": "delivery_photo"}
DETAIL_RELATED = (
    "community",
    "rated_by",
    "grid_cell",
    "building",
    "entered_by",
    "claimed_by_member",
    "claimed_by_member__employer_unit",
    "claimed_by_unit",
)


# Helpers ------------------------------------------------------------------------


def _scoped_wishes(user):
    """The wishes a user may address by pk; anything else answers 404.

    Staff and grid workers: their scope (`for_user`). Members and liaisons: any
    wish of their own community, so that a claim someone else won first gets a
    clear message instead of a 404; the services check that they hold a wish
    before they may deliver it or give it back.
    """
    if user.can("wishes.view"):
        return MicroWish.objects.for_user(user)
    return scope_to_community(MicroWish.objects.all(), user)


def _get_wish(request, pk, *related):
    return get_for_user(_scoped_wishes(request.user).select_related(*related), pk=pk)


def _back(request, wish):
    """Staff return to the wish's page, members and liaisons to their wishes."""
    if request.user.can("wishes.view"):
        return redirect(wish)
    return redirect("wishes:mine")


# Staff and grid workers ------------------------------------------------------------


@action_required("wishes.view")
def wish_list(request):
    wishes = MicroWish.objects.for_user(request.user).select_related("community", "grid_cell", "building")
    wish_filter = WishFilter(request.GET, queryset=wishes, request=request)
    page = paginate(request, wish_filter.qs, rows=lambda rows: rows.with_overdue_flag())
    context = {
        "filter": wish_filter,
        "page_obj": page,
        "wishes": page.object_list,
        # The counts over all the user's wishes: cached like the dashboard's to-dos.
        "todos": cached("wish_todos", lambda: wish_todos(request.user), request.user.pk),
        "tab": "overdue" if request.GET.get("overdue") == "yes" else request.GET.get("status", ""),
    }
    return render(request, "wishes/staff_list.html", context)


@action_required("wishes.view")
def proxy_new(request):
    """代办: staff or a grid worker enter a wish for a resident who cannot do it.

    Staff and grid workers enter wishes for their own community. Area admins
    belong to none: they first choose the community (`?community=<pk>`), then
    get the same form for it.
    """
    user = request.user
    chooser = None
    if user.can("portal.all_communities"):
        chooser = CommunityChoiceForm(request.GET or None, user=request.user)
        if not chooser.is_valid():
            return render(request, "wishes/staff_proxy_new.html", {"chooser": chooser, "form": None})
        community = chooser.cleaned_data["community"]
    else:
        community = user.community
    form = ProxyWishForm(request.POST or None, request.FILES or None, community=community)
    if request.method == "POST" and form.is_valid():
        # The resident agreed by word of mouth; the staff member attested it with
        # the required box, and `entered_by` records who did.
        wish = services.wish_submit(wish=form.save(commit=False), entered_by=user)
        messages.success(
            request,
            _("The wish is recorded. Write down the tracking code %(code)s for the resident.")
            % {"code": wish.code_display},
        )
        return redirect(wish)
    return render(request, "wishes/staff_proxy_new.html", {"chooser": chooser, "form": form, "community": community})


@action_required("wishes.view")
def detail(request, pk):
    wish = _get_wish(request, pk, *DETAIL_RELATED)
    is_office = request.user.can("wishes.review")
    context = {
        "wish": wish,
        "events": wish.events.select_related("actor"),
        "is_office": is_office,
        "is_overdue": MicroWish.objects.filter(pk=wish.pk).overdue().exists(),
        "suggested": selectors.suggested_claimers(wish) if wish.status in EDITABLE_STATUSES else None,
        "can_edit": is_office and wish.status in EDITABLE_STATUSES,
    }
    if is_office:
        if wish.status == S.SUBMITTED:
            context["approve_form"] = ApproveForm(wish=wish, auto_id="approve_%s")
            context["reject_form"] = RejectForm(auto_id="reject_%s")
        elif wish.status == S.CLAIMED:
            context["deliver_form"] = DeliverForm(auto_id="deliver_%s")
            context["cancel_form"] = CancelClaimForm(auto_id="cancel_%s")
        elif wish.status == S.DELIVERED:
            context["confirm_form"] = ConfirmForm(auto_id="confirm_%s")
        if wish.is_rateable:
            context["rate_form"] = RatingForm(auto_id="rate_%s")
    record_personal_data_view(request, wish, ["wisher_phone", "address_detail"])
    return render(request, "wishes/staff_detail.html", context)


@action_required("wishes.review")
def edit(request, pk):
    wish = _get_wish(request, pk, "community")
    if wish.status not in EDITABLE_STATUSES:
        messages.error(request, _("Only a wish awaiting review or open for claiming can be corrected."))
        return redirect(wish)
    form = WishEditForm(request.POST or None, instance=wish)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in WishEditForm.Meta.fields}
        # A conditional UPDATE, not form.save(): see services.wish_correct.
        if services.wish_correct(wish=wish, by=request.user, **fields):
            messages.success(request, _("Saved."))
        else:
            messages.error(request, _("The wish was claimed in the meantime; your corrections were not saved."))
        return redirect(wish)
    context = {"form": form, "title": _("Correct the wish"), "cancel_url": wish.get_absolute_url(), "wish": wish}
    return render(request, "wishes/staff_form.html", context)


@require_POST
@action_required("wishes.review")
def approve(request, pk):
    wish = _get_wish(request, pk, "community")
    form = ApproveForm(request.POST, wish=wish)
    return post_step(
        request,
        wish,
        form,
        lambda data: services.wish_approve(wish=wish, by=request.user, **form.corrections()),
        _("The wish is published; members can claim it now."),
    )


@require_POST
@action_required("wishes.review")
def reject(request, pk):
    wish = _get_wish(request, pk)
    return post_step(
        request,
        wish,
        RejectForm(request.POST),
        lambda data: services.wish_reject(wish=wish, by=request.user, reason=data["reason"]),
        _("The wish is not accepted. The resident sees the reason with the tracking code."),
    )


@require_POST
@action_required("wishes.review")
def confirm(request, pk):
    wish = _get_wish(request, pk)
    return post_step(
        request,
        wish,
        ConfirmForm(request.POST),
        lambda data: services.wish_confirm(wish=wish, by=request.user, thank_you=data["thank_you"]),
        _("The wish is confirmed as fulfilled."),
    )


@require_POST
@action_required("wishes.review")
def rate(request, pk):
    """Record the rating the resident gave staff on a call back (回访)."""
    wish = _get_wish(request, pk)
    return post_step(
        request,
        wish,
        RatingForm(request.POST),
        lambda data: services.wish_rate(wish=wish, by=request.user, rating=data["rating"], comment=data["comment"]),
        _("The resident's rating is saved."),
    )


@require_http_methods(["GET", "POST"])
@action_required("wishes.review")
def remove_personal_data(request, pk):
    """The resident asked to have their data removed: confirm, then anonymise."""
    wish = _get_wish(request, pk, "community")
    return _remove_personal_data(
        request,
        wish,
        anonymise=services.wish_anonymise,
        refusal=services.wish_anonymise_refusal(wish),
        others=services.wishes_of_same_resident(wish).exclude(pk=wish.pk).count(),
        kind=_("Micro-wish"),
    )


# Holders (and staff acting for them) ------------------------------------------------


@require_POST
@action_required("wishes.claim")
def claim(request, pk):
    wish = _get_wish(request, pk)
    claimed = perform(
        request,
        lambda: services.wish_claim(wish=wish, by=request.user),
        _("Thank you! The wish is yours now: call the resident to arrange when you bring it."),
    )
    return redirect("wishes:mine" if claimed else "wishes:claimable")


@action_required("wishes.handle_claims")
def deliver(request, pk):
    """The holder (or staff, for a delivery they saw done) records the delivery."""
    user = request.user
    wish = _get_wish(request, pk, "grid_cell", "building", "claimed_by_member", "claimed_by_unit")
    if request.method == "POST":
        form = DeliverForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            # The service refuses anyone but the holder or the community's staff.
            perform(
                request,
                lambda: services.wish_deliver(wish=wish, by=user, note=data["note"], photo=data["photo"]),
                _("Thank you! The delivery is recorded; the resident is asked to confirm it."),
            )
            return _back(request, wish)
    else:
        form = DeliverForm()
    if user.can("wishes.claim") and not services.is_holder(wish, user):
        raise PermissionDenied
    if wish.status != S.CLAIMED:
        messages.error(request, _("Only a claimed wish can be marked as delivered."))
        return _back(request, wish)
    return render(request, "wishes/member_deliver.html", {"wish": wish, "form": form})


@require_POST
@action_required("wishes.handle_claims")
def cancel(request, pk):
    wish = _get_wish(request, pk)
    form = CancelClaimForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return _back(request, wish)
    perform(
        request,
        lambda: services.wish_cancel_claim(wish=wish, by=request.user, reason=form.cleaned_data["reason"]),
        _("The claim is cancelled; the wish is open for claiming again."),
    )
    return _back(request, wish)


@require_safe
@action_required("wishes.see_photos")
def photo(request, pk, which):
    """A wish's photos, never from a public media URL: staff and grid workers in
    whose scope the wish is, and the wish's holder."""
    field_name = PHOTO_FIELDS.get(which)
    if field_name is None:
        raise Http404
    wish = _get_wish(request, pk, "claimed_by_member")
    if request.user.can("wishes.claim") and not services.is_holder(wish, request.user):
        raise PermissionDenied
    return serve_private_file(getattr(wish, field_name))


# Members and liaisons -------------------------------------------------------------------


@action_required("wishes.claim")
def claimable(request):
    page = paginate(request, selectors.claimable_for(request.user))
    return render(request, "wishes/member_claimable.html", {"page_obj": page, "wishes": page.object_list})


@action_required("wishes.claim")
def mine(request):
    # Privacy choice: a holder sees the wisher's masked name and where they live
    # (grid cell, building, address detail) for every wish they hold, but the
    # resident's whole phone number only while the wish is `claimed`, when they
    # must call to arrange the delivery; afterwards it is masked again.
    held = MicroWish.objects.held_by(request.user).select_related("grid_cell", "building")
    in_progress = held.filter(status__in=[S.CLAIMED, S.DELIVERED]).order_by("claimed_at", "pk")
    page = paginate(request, held.filter(status=S.FULFILLED).order_by("-fulfilled_at", "-pk"))
    context = {"in_progress": in_progress, "page_obj": page, "fulfilled": page.object_list, "cancel_form": CancelClaimForm()}
    return render(request, "wishes/member_mine.html", context)
