"""The security log for area admins and security auditors: a searchable list
and its Excel export. Nothing here changes an entry (nothing can)."""

import io

import openpyxl
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from portal.permissions import action_required
from portal.views_helpers import paginate

from .filters import SecurityEventFilter
from .models import SecurityEvent
from .selectors import mask_numbers, security_events
from .services import record_event

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_safe
@action_required("audit.read_log")
def event_list(request):
    events = SecurityEventFilter(request.GET, queryset=security_events(), request=request)
    page_obj = paginate(request, events.qs)
    for event in page_obj:
        event.shown_description = mask_numbers(event.description)
    export_query = request.GET.copy()
    export_query.pop("page", None)
    context = {"filter": events, "page_obj": page_obj, "export_query": export_query.urlencode()}
    return render(request, "audit/event_list.html", context)


@require_safe
@action_required("audit.read_log")
def event_export(request):
    """The entries the list's filters select, as an Excel workbook; the export is itself logged."""
    events = SecurityEventFilter(request.GET, queryset=security_events(), request=request)
    headers = [_("Date and time"), _("User"), _("Event type"), _("Record"), _("Description"), _("Result"), _("Client address")]
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Security log")[:31])
    for index, width in enumerate([20, 16, 16, 22, 60, 8, 18], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    header_cells = []
    for label in headers:
        cell = openpyxl.cell.WriteOnlyCell(sheet, value=label)
        cell.font = Font(bold=True)
        header_cells.append(cell)
    sheet.append(header_cells)
    count = 0
    for event in events.qs.iterator(chunk_size=2000):
        sheet.append(_row(event))
        count += 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    record_event(
        SecurityEvent.Type.DATA_EXPORTED,
        request=request,
        description=_("Security log, %(count)d entries (%(filters)s)")
        % {"count": count, "filters": _describe_filters(events) or _("no filter")},
    )
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="security-log-{timezone.localdate():%Y%m%d}.xlsx"'
    return response


def _row(event):
    record = ""
    if event.object_type_id:
        record = f"{event.object_type.name} #{event.object_id}" if event.object_type else event.object_id
    return [
        timezone.localtime(event.at).replace(tzinfo=None),
        event.actor_username,
        str(event.get_event_type_display()),
        record,
        mask_numbers(event.description),
        str(event.get_result_display()),
        event.client_address or "",
    ]


def _describe_filters(events) -> str:
    """The filters of an export in words, for its own log entry."""
    if not events.is_bound or not events.form.is_valid():
        return ""
    parts = []
    for name, value in events.form.cleaned_data.items():
        if value in (None, ""):
            continue
        field = events.form.fields[name]
        shown = dict(field.choices).get(value, value) if hasattr(field, "choices") else value
        parts.append(f"{field.label}: {shown}")
    return "; ".join(parts)
