"""The staff page for a resident's request to see or delete their personal data
(个人信息保护法: 查阅、复制、删除).

`/privacy/resident/`: community staff (area admins: for a community they
choose) type the resident's phone number. The number is kept in the session,
never in a URL (it would end up in the web server's logs and the browser's
history), and the page shows everything the community holds under it, printable
as "the copy of the personal data held about you". Below, a confirmed POST to
`/privacy/resident/remove/` anonymises every finished record
(`office.resident_requests.remove_resident_data`) and names the unfinished ones.
Both showing the copy and removing are written to the security log.
"""

import datetime

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from audit.models import SecurityEvent
from audit.services import record_event
from office.resident_requests import (
    ResidentRequestError,
    normalise,
    records_of_resident,
    remove_resident_data,
)
from portal.models import Community
from portal.permissions import action_required
from portal.validators import mask_phone
from portal.views_helpers import form_errors

SESSION_KEY = "privacy_resident_lookup"
REMOVED = SecurityEvent.Type.PERSONAL_DATA_REMOVED


class LookupForm(forms.Form):
    community = forms.ModelChoiceField(queryset=Community.objects.all(), label=gettext_lazy("Community"))
    phone = forms.CharField(
        label=gettext_lazy("The resident's phone number"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        help_text=gettext_lazy("The number the resident gave on their wishes, appeals or at the office."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not user.can("portal.all_communities"):
            del self.fields["community"]  # staff: their own community
        else:
            self.fields["community"].queryset = Community.objects.for_user(user)

    def clean_phone(self):
        phone = normalise(self.cleaned_data["phone"])
        if not 7 <= len(phone) <= 12:
            raise forms.ValidationError(_("Enter the whole phone number."))
        return phone


class RemoveForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "The resident asked for the deletion of their personal data. I understand that it cannot be undone."
        ),
        error_messages={"required": gettext_lazy("Tick the box to confirm.")},
    )


def _lookup(request):
    """(community, phone) from the session, or (None, "") if nothing was looked up."""
    saved = request.session.get(SESSION_KEY) or {}
    phone = saved.get("phone", "")
    community_id = saved.get("community") if request.user.can("portal.all_communities") else request.user.community_id
    community = Community.objects.filter(pk=community_id).first() if community_id and phone else None
    return community, (phone if community else "")


@action_required("office.reports")
def resident_data(request):
    if request.method == "POST" and "clear" in request.POST:
        # Done with this resident: the number leaves the session (a shared office computer).
        request.session.pop(SESSION_KEY, None)
        return redirect("privacy:resident")
    if request.method == "POST":
        form = LookupForm(request.POST, user=request.user)
        if form.is_valid():
            community = form.cleaned_data.get("community") or request.user.community
            request.session[SESSION_KEY] = {"phone": form.cleaned_data["phone"], "community": community.pk}
            return redirect("privacy:resident")
    else:
        form = None
    community, phone = _lookup(request)
    if form is None:
        initial = {"phone": phone, "community": getattr(community, "pk", None)}
        form = LookupForm(initial=initial, user=request.user)
    held = records_of_resident(community, phone) if community else None
    if held is not None and held.count:
        record_event(
            SecurityEvent.Type.PERSONAL_DATA_VIEWED,
            request=request,
            description=_("Copy of the personal data held about the resident with phone %(phone)s (%(community)s): %(count)d records")
            % {"phone": mask_phone(phone), "community": community.name, "count": held.count},
        )
    sections = [(section, [(record, _details(record, section.key)) for record in section.records]) for section in held.sections] if held else []
    context = {
        "form": form,
        "held": held,
        "sections": sections,
        "community": community,
        "phone": phone,
        "remove_form": RemoveForm(),
        "now": timezone.now(),
    }
    return render(request, "office/resident_data.html", context)


@require_POST
@action_required("office.reports")
def resident_remove(request):
    community, phone = _lookup(request)
    if community is None:
        messages.error(request, _("Look the resident up by their phone number first."))
        return redirect("privacy:resident")
    form = RemoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect("privacy:resident")
    try:
        changed, unfinished = remove_resident_data(community=community, phone=phone, by=request.user)
    except ResidentRequestError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("privacy:resident")
    total = sum(changed.values())
    record_event(
        REMOVED,
        request=request,
        description=_("Personal data removed at the resident's request, phone %(phone)s (%(community)s): %(count)d records; %(kept)d unfinished kept")
        % {"phone": mask_phone(phone), "community": community.name, "count": total, "kept": len(unfinished)},
    )
    if total:
        messages.success(
            request,
            ngettext(
                "The resident's personal data were removed from %(count)d finished record.",
                "The resident's personal data were removed from %(count)d finished records.",
                total,
            )
            % {"count": total},
        )
    elif not unfinished:
        messages.info(request, _("No finished record holds this resident's personal data."))
    if unfinished:
        listed = _("; ").join(_unfinished_label(section, record) for section, record in unfinished)
        messages.warning(
            request,
            _("These records are not finished yet and keep the data, as staff may still need to call the resident: %(records)s. "
              "Remove the data once they are finished.")
            % {"records": listed},
        )
    return redirect("privacy:resident")


def _unfinished_label(section, record):
    status = record.get_status_display() if hasattr(record, "get_status_display") else _("follow-up open")
    return f"{capfirst(record._meta.verbose_name)} “{_record_title(record)}” ({status})"


def _record_title(record):
    for field in ("title", "problem"):
        if getattr(record, field, ""):
            return getattr(record, field)
    return str(record)


# What the copy shows of each kind of record: every field that holds something
# about the resident or what was done for them (empty ones are left out).
DETAIL_FIELDS = {
    "wishes": [
        "code", "title", "category", "status", "submitted_at", "wisher_name", "wisher_phone", "grid_cell", "building",
        "address_detail", "description", "photo", "consent_at", "consent_version", "delivery_note", "delivery_photo",
        "thank_you_note", "reject_reason", "fulfilled_at",
    ],
    "appeals": [
        "code", "title", "category", "status", "received_at", "resident_name", "resident_phone", "grid_cell", "building",
        "address_detail", "description", "photo", "consent_at", "consent_version", "answer", "closed_at",
    ],
    "cases": [
        "problem", "group", "status", "opened_on", "resident_name", "resident_phone", "grid_cell", "address_detail",
        "description", "action_taken", "assigned_to", "solved_on",
    ],
    "proxies": [
        "kind", "status", "received_on", "resident_name", "resident_phone", "building", "company", "description", "note",
        "done_on",
    ],
    "visits": ["visited_on", "kind", "grid_cell", "household", "findings", "visitor", "follow_up_needed", "follow_up_done_on"],
    "members": [
        "name", "gender", "phone", "employer_unit", "grid_cell", "building", "registered_on", "reported_on",
    ],
}


def _details(record, key):
    """[(label, text)] of the record's non-empty fields listed in DETAIL_FIELDS."""
    rows = []
    names = {field.name for field in record._meta.get_fields()}
    for name in DETAIL_FIELDS[key]:
        if name not in names:
            continue
        field = record._meta.get_field(name)
        value = getattr(record, name)
        if value in (None, "") or (hasattr(value, "name") and hasattr(value, "storage") and not value.name):
            continue
        if getattr(field, "choices", None):
            text = getattr(record, f"get_{name}_display")()
        elif isinstance(value, bool):
            text = _("yes") if value else _("no")
        elif isinstance(value, datetime.datetime):
            text = timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
        elif isinstance(value, datetime.date):
            text = value.strftime("%Y-%m-%d")
        elif hasattr(value, "storage"):
            text = _("a photo is held")
        elif name == "code":
            text = record.code_display
        else:
            text = str(value)
        rows.append((field.verbose_name, text))
    return rows
