"""The "remove the resident's personal data" step shared by the staff pages of
micro-wishes and appeals: GET shows what will be removed and asks to confirm
(a required box), POST calls the app's service and returns to the record."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from audit.models import SecurityEvent
from audit.services import record_event
from portal.views_helpers import perform


class RemovePersonalDataForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy("The resident asked for this. I understand that it cannot be undone."),
        error_messages={"required": gettext_lazy("Tick the box to confirm.")},
    )


def remove_personal_data(request, record, *, anonymise, refusal: str, others: int, kind: str):
    """`record`: a wish or an appeal in the user's scope (the caller checked the
    role); `anonymise(record, by=user)` its service, which returns how many records
    changed; `refusal` why it cannot be done now ("" if it can); `others` how many
    other finished records of the same resident lose their data too; `kind` what
    the record is, for the page ("micro-wish", "appeal")."""
    if record.anonymised_at is not None:
        messages.info(request, _("The resident's personal data were already removed."))
        return redirect(record)
    form = RemovePersonalDataForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        result = {}

        def step():
            result["count"] = anonymise(record, by=request.user)

        if perform(request, step):
            record_event(
                SecurityEvent.Type.PERSONAL_DATA_REMOVED,
                request=request,
                obj=record,
                description=_("At the resident's request: %(count)d record(s) anonymised.") % {"count": result["count"]},
            )
            other_count = max(result["count"] - 1, 0)
            if other_count:
                message = ngettext(
                    "The resident's personal data were removed, also from %(count)d other finished record.",
                    "The resident's personal data were removed, also from %(count)d other finished records.",
                    other_count,
                ) % {"count": other_count}
            else:
                message = _("The resident's personal data were removed.")
            messages.success(request, message)
        return redirect(record)
    context = {"record": record, "form": form, "refusal": refusal, "others": others, "kind": kind}
    return render(request, "audit/remove_personal_data.html", context)
