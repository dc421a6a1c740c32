"""Grid work pages: door-knocking visit logs (走访 / 民情日志) and residents' appeals (诉求).

Visits
- Grid workers log visits in their cells, party members their own visits
  (`VisitLog.objects.for_user` scopes both); staff and area admins
  (portal/permissions.py) see the whole community.
- The grid leader and workers of the visit's cell and the office comment on a
  visit; grid workers and the office turn it into an appeal or a
  special-group case in one step.

Appeals
- Residents (no account) submit an appeal and follow it with its tracking code
  and the last 4 digits of their phone; they may reopen it within 14 days of the
  answer, or close it when satisfied. Nothing public shows a phone number, an
  address detail or a staff name; every lookup is rate-limited per address.
- The office assigns, answers, closes and sends appeals to the deliberation hall;
  grid workers see their cells' appeals (and those they recorded or were
  assigned), record appeals for residents and answer those assigned to them.

Every state change is a POST that calls ONE function of `services_work`; a
refused step (`AppealError`) becomes an error message, never a 500.
"""


from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from audit.services import record_personal_data_view
from audit.views_personal_data import remove_personal_data as _remove_personal_data
from portal import throttle
from portal.access import get_for_user
from portal.figures_cache import cached
from portal.forms import RatingForm
from portal.models import Community
from portal.periods import per_row
from portal.permissions import action_required
from portal.tracking import remember_submission, submitted_object
from portal.tracking_page import TrackingPage
from portal.uploads import serve_private_file
from portal.views_helpers import (
    chosen_community,
    community_from_query,
    form_errors,
    paginate,
    perform,
    post_step,
    with_community_picker,
)

from . import services_work as services
from .filters_work import AppealFilter, VisitFilter
from .forms_work import (
    AnswerForm,
    AppealTrackForm,
    AssignForm,
    CloseForm,
    ContactForm,
    PublicAppealForm,
    RecordAppealForm,
    ReopenForm,
    UrgencyForm,
    VisitCommentForm,
    VisitForm,
    VisitToAppealForm,
    VisitToCaseForm,
)
from .models import Appeal, GridCell, VisitComment, VisitLog

A = Appeal.Status
VISIT_RELATED = ("community", "grid_cell", "building", "visitor", "appeal", "special_case")
APPEAL_RELATED = ("community", "grid_cell", "building", "entered_by", "assigned_to_user", "assigned_to_unit", "topic", "rated_by")


# Helpers ------------------------------------------------------------------------------


def _setting(name, default):
    return getattr(settings, name, default)


def _get_visit(request, pk, *related):
    return get_for_user(VisitLog.objects.for_user(request.user).select_related(*related), pk=pk)


def _get_appeal(request, pk, *related):
    return get_for_user(Appeal.objects.for_user(request.user).select_related(*related), pk=pk)


def _can_comment(user, visit) -> bool:
    """The office, and the grid leader and grid workers of the visit's cell."""
    if user.can("grid.all_visits"):
        return True
    return GridCell.objects.filter(Q(leader=user) | Q(workers=user), pk=visit.grid_cell_id).exists()


def _can_edit(user, visit) -> bool:
    return user.can("grid.all_visits") or visit.visitor_id == user.pk


# Visits ---------------------------------------------------------------------------------


@action_required("grid.log_visits")
def visit_list(request):
    visits = (
        VisitLog.objects.for_user(request.user)
        .select_related("community", "grid_cell", "building", "visitor")
        .annotate(comment_count=per_row(VisitComment.objects.all(), "visit"))
        .order_by("-visited_on", "-pk")
    )
    visit_filter = VisitFilter(request.GET, queryset=visits, request=request)
    page = paginate(request, visit_filter.qs)
    context = {"filter": visit_filter, "page_obj": page, "visits": page.object_list}
    return render(request, "grid/visit_list.html", context)


@action_required("grid.log_visits")
def visit_create(request):
    user = request.user
    form = VisitForm(request.POST or None, user=user, community=chosen_community(request))
    if request.method == "POST" and form.is_valid():
        form.instance.visitor = user
        visit = form.save()
        messages.success(request, _("The visit is recorded."))
        return redirect(visit)
    context = {"form": form, "title": _("Record a visit"), "cancel_url": reverse("grid:visit_list")}
    return render(request, "grid/visit_form.html", with_community_picker(request, context))


@action_required("grid.log_visits")
def visit_update(request, pk):
    visit = _get_visit(request, pk, "community", "grid_cell")
    if not _can_edit(request.user, visit):
        raise PermissionDenied
    form = VisitForm(request.POST or None, instance=visit, user=request.user, community=chosen_community(request))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect(visit)
    context = {"form": form, "title": _("Edit the visit"), "cancel_url": visit.get_absolute_url(), "visit": visit}
    return render(request, "grid/visit_form.html", with_community_picker(request, context))


@action_required("grid.log_visits")
def visit_detail(request, pk):
    user = request.user
    visit = _get_visit(request, pk, *VISIT_RELATED)
    can_comment = _can_comment(user, visit)
    context = {
        "visit": visit,
        "comments": visit.comments.select_related("author"),
        "can_comment": can_comment,
        "comment_form": VisitCommentForm() if can_comment else None,
        "can_edit": _can_edit(user, visit),
        # Members log visits; grid workers and the office take them further.
        "can_convert": user.can("grid.follow_up_visits"),
    }
    return render(request, "grid/visit_detail.html", context)


@require_POST
@action_required("grid.follow_up_visits")
def visit_comment(request, pk):
    visit = _get_visit(request, pk)
    if not _can_comment(request.user, visit):
        raise PermissionDenied
    form = VisitCommentForm(request.POST)
    if form.is_valid():
        VisitComment.objects.create(visit=visit, author=request.user, text=form.cleaned_data["text"])
        messages.success(request, _("Your comment is added."))
    else:
        messages.error(request, form_errors(form))
    return redirect(visit)


@require_POST
@action_required("grid.log_visits")
def visit_follow_up_done(request, pk):
    visit = _get_visit(request, pk)
    perform(request, lambda: services.visit_follow_up_done(visit=visit), _("The follow-up is marked as done."))
    return redirect(visit)


@action_required("grid.follow_up_visits")
def visit_to_appeal(request, pk):
    visit = _get_visit(request, pk, "grid_cell", "building")
    if visit.appeal_id:
        messages.error(request, _("This visit already has an appeal."))
        return redirect(visit)
    form = VisitToAppealForm(request.POST or None, visit=visit)
    if request.method == "POST" and form.is_valid():
        result = {}

        def step():
            result["appeal"] = services.visit_to_appeal(visit=visit, by=request.user, **form.cleaned_data)

        if perform(request, step, _("The appeal is recorded.")):
            return redirect(result["appeal"])
        return redirect(visit)
    context = {"form": form, "visit": visit, "title": _("Turn the visit into an appeal")}
    return render(request, "grid/visit_convert.html", context)


@action_required("grid.follow_up_visits")
def visit_to_case(request, pk):
    visit = _get_visit(request, pk, "grid_cell", "building")
    if visit.special_case_id:
        messages.error(request, _("This visit already has a special-group case."))
        return redirect(visit)
    form = VisitToCaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = {}

        def step():
            result["case"] = services.visit_to_case(visit=visit, by=request.user, **form.cleaned_data)

        if perform(request, step, _("The special-group case is opened.")):
            return redirect("volunteers:case_detail", result["case"].pk)
        return redirect(visit)
    context = {"form": form, "visit": visit, "title": _("Turn the visit into a special-group case")}
    return render(request, "grid/visit_convert.html", context)


# Appeals: staff and grid workers ------------------------------------------------------------


def _appeal_counts(appeals) -> dict:
    return {
        "waiting_count": appeals.filter(status__in=Appeal.WAITING_STATUSES).count(),
        "overdue_count": appeals.overdue().count(),
    }


@action_required("grid.handle_appeals")
def appeal_list(request):
    user = request.user
    scoped = Appeal.objects.for_user(user)
    appeals = scoped.select_related("community", "grid_cell", "assigned_to_user", "assigned_to_unit")
    appeal_filter = AppealFilter(request.GET, queryset=appeals, request=request)
    page = paginate(request, appeal_filter.qs, rows=lambda rows: rows.with_overdue_flag())
    status = request.GET.get("status", "")
    context = {
        "filter": appeal_filter,
        "page_obj": page,
        "appeals": page.object_list,
        # The tabs' counts over all the user's appeals: cached like the dashboard's to-dos.
        **cached("appeal_counts", lambda: _appeal_counts(scoped), user.pk),
        "tab": "overdue" if request.GET.get("overdue") == "yes" else status,
    }
    return render(request, "grid/appeal_list.html", context)


@action_required("grid.handle_appeals")
def appeal_record(request):
    """Staff or a grid worker record an appeal for a resident who cannot do it.

    The resident agreed by word of mouth; the staff member attests it with the
    required box, and `entered_by` records who did. The community is the chosen
    grid cell's (area admins belong to none).
    """
    user = request.user
    form = RecordAppealForm(request.POST or None, request.FILES or None, user=user, community=chosen_community(request))
    if request.method == "POST" and form.is_valid():
        appeal = services.appeal_submit(appeal=form.save(commit=False), entered_by=user)
        messages.success(
            request,
            _("The appeal is recorded. Write down the tracking code %(code)s for the resident.")
            % {"code": appeal.code_display},
        )
        return redirect(appeal)
    return render(request, "grid/appeal_record.html", with_community_picker(request, {"form": form}))


@action_required("grid.handle_appeals")
def appeal_detail(request, pk):
    user = request.user
    appeal = _get_appeal(request, pk, *APPEAL_RELATED)
    is_office = user.can("grid.manage_appeals")
    is_assignee = appeal.assigned_to_user_id == user.pk
    waiting = appeal.status in Appeal.WAITING_STATUSES
    topic_url = None
    if appeal.topic_id:
        try:
            topic_url = reverse("council:topic_detail", args=[appeal.topic_id])
        except NoReverseMatch:
            topic_url = None
    context = {
        "appeal": appeal,
        "events": appeal.events.select_related("actor"),
        "is_office": is_office,
        "is_overdue": Appeal.objects.filter(pk=appeal.pk).overdue().exists(),
        "from_visit": VisitLog.objects.filter(appeal=appeal).only("pk", "visited_on", "household").first(),
        "topic_url": topic_url,
        "assign_form": AssignForm(appeal=appeal, auto_id="assign_%s") if is_office and waiting else None,
        "answer_form": AnswerForm(auto_id="answer_%s") if waiting and (is_office or is_assignee) else None,
        "contact_form": ContactForm(auto_id="contact_%s") if waiting and (is_office or is_assignee) else None,
        "close_form": CloseForm(auto_id="close_%s") if is_office and appeal.status != A.CLOSED else None,
        "can_send_to_topic": is_office and not appeal.topic_id,
        "urgency_form": UrgencyForm(initial={"urgency": appeal.urgency}, auto_id="urgency_%s") if is_office and waiting else None,
        "rate_form": RatingForm(auto_id="rate_%s") if is_office and appeal.is_rateable else None,
    }
    record_personal_data_view(request, appeal, ["resident_phone", "address_detail"])
    return render(request, "grid/appeal_detail.html", context)


@require_safe
@action_required("grid.handle_appeals")
def appeal_photo(request, pk):
    """The resident's photo, never from a public media URL: only for those who may see the appeal."""
    appeal = _get_appeal(request, pk)
    return serve_private_file(appeal.photo)


@require_POST
@action_required("grid.manage_appeals")
def appeal_assign(request, pk):
    appeal = _get_appeal(request, pk)
    return post_step(
        request,
        appeal,
        AssignForm(request.POST, appeal=appeal),
        lambda data: services.appeal_assign(
            appeal=appeal, by=request.user, to_user=data["to_user"], to_unit=data["to_unit"], note=data["note"]
        ),
        _("The appeal is assigned."),
    )


@require_POST
@action_required("grid.handle_appeals")
def appeal_answer(request, pk):
    """The office, or the person the appeal is assigned to (the service checks)."""
    appeal = _get_appeal(request, pk)
    return post_step(
        request,
        appeal,
        AnswerForm(request.POST),
        lambda data: services.appeal_answer(appeal=appeal, by=request.user, answer=data["answer"]),
        _("The answer is saved. The resident sees it with the tracking code."),
    )


@require_POST
@action_required("grid.manage_appeals")
def appeal_close(request, pk):
    appeal = _get_appeal(request, pk)
    return post_step(
        request,
        appeal,
        CloseForm(request.POST),
        lambda data: services.appeal_close(appeal=appeal, by=request.user, note=data["note"]),
        _("The appeal is closed."),
    )


@require_POST
@action_required("grid.handle_appeals")
def appeal_contact(request, pk):
    """The office, or the person the appeal is assigned to, called or met the resident (the service checks)."""
    appeal = _get_appeal(request, pk)
    return post_step(
        request,
        appeal,
        ContactForm(request.POST),
        lambda data: services.appeal_contact(appeal=appeal, by=request.user, note=data["note"]),
        _("The contact with the resident is recorded."),
    )


@require_POST
@action_required("grid.manage_appeals")
def appeal_urgency(request, pk):
    """Mark an appeal urgent, ordinary or complex (its response deadline follows)."""
    appeal = _get_appeal(request, pk)
    return post_step(
        request,
        appeal,
        UrgencyForm(request.POST),
        lambda data: services.appeal_set_urgency(appeal=appeal, by=request.user, urgency=data["urgency"]),
        _("The urgency is changed."),
    )


@require_POST
@action_required("grid.manage_appeals")
def appeal_rate(request, pk):
    """Record the rating the resident gave staff on a call back (回访)."""
    appeal = _get_appeal(request, pk)
    return post_step(
        request,
        appeal,
        RatingForm(request.POST),
        lambda data: services.appeal_rate(appeal=appeal, by=request.user, rating=data["rating"], comment=data["comment"]),
        _("The resident's rating is saved."),
    )


@require_POST
@action_required("grid.manage_appeals")
def appeal_to_topic(request, pk):
    appeal = _get_appeal(request, pk)
    if appeal.topic_id:
        # The service would open a second topic; one appeal goes to the hall once.
        messages.error(request, _("This appeal was already sent to the deliberation hall."))
        return redirect(appeal)
    result = {}

    def step():
        result["topic"] = services.appeal_to_topic(appeal=appeal, by=request.user)

    if not perform(request, step, _("The appeal is sent to the deliberation hall as a topic.")):
        return redirect(appeal)
    try:
        return redirect(reverse("council:topic_detail", args=[result["topic"].pk]))
    except NoReverseMatch:
        return redirect(appeal)


@require_http_methods(["GET", "POST"])
@action_required("grid.manage_appeals")
def appeal_remove_personal_data(request, pk):
    """The resident asked to have their data removed: confirm, then anonymise."""
    appeal = _get_appeal(request, pk, "community")
    return _remove_personal_data(
        request,
        appeal,
        anonymise=services.appeal_anonymise,
        refusal=services.appeal_anonymise_refusal(appeal),
        others=services.appeals_of_same_resident(appeal).exclude(pk=appeal.pk).count(),
        kind=_("Appeal"),
    )


# Appeals: the residents' pages ----------------------------------------------------------------

DONE_KEY = "public_appeal_done"  # {"pk", "code", "community"} of the appeal just sent
TRACK_KEY = "tracked_appeal"  # the session's pk of the appeal looked up (and when: "tracked_appeal_at")


@require_http_methods(["GET", "POST"])
def appeal_new(request):
    community = community_from_query(request)
    if community is None:
        return render(request, "grid/appeal_public_choose.html", {"communities": Community.objects.all()})

    status = 200
    if request.method == "POST":
        if PublicAppealForm.is_spam(request.POST):
            # A robot filled the hidden field: it gets the usual answer, nothing is saved.
            remember_submission(request, DONE_KEY, None, community)
            return redirect("grid:appeal_submitted")
        form = PublicAppealForm(request.POST, request.FILES, community=community)
        if form.is_valid():
            # Only valid submissions count, as for micro-wishes.
            window = _setting("APPEAL_SUBMIT_WINDOW", 600)
            if throttle.hit(request, "appeal-submit", _setting("APPEAL_SUBMIT_LIMIT", 5), window):
                appeal = services.appeal_submit(appeal=form.save(commit=False))
                remember_submission(request, DONE_KEY, appeal, community)
                return redirect("grid:appeal_submitted")
            form.add_error(None, throttle.too_many_submissions(window))
            status = 429
    else:
        form = PublicAppealForm(community=community)

    context = {
        "form": form,
        "community": community,
        # A browser cannot keep a chosen file when the form comes back with errors.
        "photo_dropped": request.method == "POST" and bool(request.FILES.get("photo")),
    }
    return render(request, "grid/appeal_public_new.html", context, status=status)


@never_cache
@require_safe
def appeal_submitted(request):
    appeal = submitted_object(request, DONE_KEY, Appeal, Community)
    if appeal is None:
        request.session.pop(DONE_KEY, None)
        return redirect("grid:appeal_new")
    return render(request, "grid/appeal_public_submitted.html", {"appeal": appeal, "community": appeal.community})


STEP_TEXT = {
    A.RECEIVED: gettext_lazy("Appeal received"),
    A.ASSIGNED: gettext_lazy("Passed to the person in charge"),
    A.ANSWERED: gettext_lazy("Answered"),
    A.REOPENED: gettext_lazy("Reopened: not solved yet"),
    A.CLOSED: gettext_lazy("Closed"),
}
CLOSED_BY_RESIDENT_TEXT = gettext_lazy("Closed: you were satisfied with the answer")
TO_TOPIC_TEXT = gettext_lazy("Sent to the community's deliberation hall")
CONTACT_TEXT = gettext_lazy("The community got in touch with you about it")
# Only these notes are meant for the resident: the answer and their own reason for
# reopening. An assignment's note names staff; a staff close note is internal.
STEPS_WITH_NOTE = {A.ANSWERED, A.REOPENED}


def _public_timeline(appeal):
    steps = []
    for event in appeal.events.all():
        if event.is_contact:
            text, note = CONTACT_TEXT, ""
        elif event.from_status == event.to_status:
            text, note = TO_TOPIC_TEXT, ""
        else:
            if event.to_status == A.CLOSED and event.by_resident:
                text = CLOSED_BY_RESIDENT_TEXT
            else:
                text = STEP_TEXT.get(event.to_status, event.get_to_status_display())
            note = event.note if event.to_status in STEPS_WITH_NOTE else ""
        steps.append({"at": event.created_at, "text": text, "note": note})
    return steps


class AppealTrackingPage(TrackingPage):
    model = Appeal
    related = ("community", "grid_cell")
    session_key = TRACK_KEY
    seconds_setting = "APPEAL_TRACK_SESSION_SECONDS"
    template_name = "grid/appeal_public_track.html"
    context_object_name = "appeal"
    form_class = AppealTrackForm
    url_name = "grid:appeal_track"
    not_found = gettext_lazy("No appeal matches this code and phone number.")
    look_up_again = gettext_lazy("Please look up your appeal again with its code and phone number.")
    rate_url_name = "grid:appeal_track_rate"

    def context(self, appeal, reopen_form=None):
        return {
            "timeline": _public_timeline(appeal),
            "reopen_form": reopen_form or (ReopenForm() if appeal.can_reopen() else None),
            "can_close": appeal.status == A.ANSWERED,
        }


TRACKING = AppealTrackingPage()


@never_cache
@require_http_methods(["GET", "POST"])
def appeal_track(request):
    """Look an appeal up with its code and phone digits, and follow it (portal/tracking_page.py)."""
    return TRACKING.track(request)


@never_cache
@require_POST
def appeal_track_reopen(request):
    return TRACKING.act(
        request,
        lambda appeal, data: services.appeal_reopen(appeal=appeal, reason=data["reason"]),
        _("Your appeal is reopened. The community will look at it again."),
        form_class=ReopenForm,
        form_name="reopen_form",
    )


@never_cache
@require_POST
def appeal_track_rate(request):
    """The resident's rating of the answer (satisfied with it: the appeal closes)."""
    return TRACKING.act(
        request,
        lambda appeal, data: services.appeal_rate(appeal=appeal, rating=data["rating"], comment=data["comment"]),
        _("Thank you for your rating."),
        form_class=RatingForm,
        form_name="rating_form",
    )


@never_cache
@require_POST
def appeal_track_close(request):
    return TRACKING.act(
        request,
        lambda appeal, data: services.appeal_close(appeal=appeal, by=None),
        _("Thank you! Your appeal is closed."),
    )
