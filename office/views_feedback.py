"""Feedback sheets to employer units (报到反馈单): a printable page and a Word file
per unit and period, and one Word file with every unit in scope.

Office roles see the units of their scope; a unit liaison sees only their own
unit's sheet (page and Word file); everybody else gets 403.
"""

from django.shortcuts import render
from django.utils.translation import gettext as _

from audit.services import record_export
from grid.models import CoBuildingUnit
from office.feedback import (
    COLUMNS,
    feedback_sheets,
    members_as_of,
    reported_as_of,
)
from office.feedback_documents import (
    feedback_all_file,
    scoped_units,
    sheet_table,
    write_sheet,
)
from office.word import (
    DOCX_TYPE,
    docx_response,
    file_response,
    new_document,
)
from portal.access import get_for_user
from portal.periods import per_row
from portal.permissions import action_required, check
from portal.scope import period_scope, report_scope
from portal.views_helpers import paginate


def _unit_for_user(request, pk):
    """The unit whose sheet is asked for: 403 for roles without sheets, 404 outside
    the user's scope (another community; for a liaison, any unit but their own)."""
    check(request.user, "office.feedback_sheet")
    units = CoBuildingUnit.objects.for_user(request.user).select_related("community")
    return get_for_user(units, pk=pk)


@action_required("office.reports")
def feedback_list(request):
    scope = report_scope(request)
    # A page of units, each counted by a subquery: a county's 500 units joined with
    # their members and grouped made a 270 KB page of a quarter of a second.
    registered = members_as_of(scope.end)
    units = scoped_units(request.user, scope).annotate(
        member_count=per_row(registered, "employer_unit"),
        reported_count=per_row(registered.filter(reported_as_of(scope.end)), "employer_unit"),
    )
    page = paginate(request, units)
    context = {
        "scope": scope,
        "page_obj": page,
        "units": page.object_list,
        "sheet_query": scope.query(keep_community=False),
        "show_community": scope.community is None,
    }
    return render(request, "office/feedback_list.html", context)


@action_required("office.feedback_sheet")
def feedback_unit(request, pk):
    unit = _unit_for_user(request, pk)
    period = period_scope(request)
    sheet = feedback_sheets([unit], period.start, period.end)[0]
    rows, total_row = sheet_table(sheet)
    context = {
        "period": period,
        "sheet": sheet,
        "unit": unit,
        "columns": COLUMNS,
        "rows": rows,
        "total_row": total_row,
        "back_to_list": request.user.can("office.reports"),
    }
    return render(request, "office/feedback_unit.html", context)


@action_required("office.feedback_sheet")
def feedback_unit_docx(request, pk):
    unit = _unit_for_user(request, pk)
    period = period_scope(request)
    document = new_document()
    write_sheet(document, feedback_sheets([unit], period.start, period.end)[0], period)
    record_export(request, _("Feedback sheet (Word)"), scope=period, obj=unit)
    return docx_response(document, f"feedback-{unit.pk}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.docx")


@action_required("office.reports")
def feedback_all_docx(request):
    scope = report_scope(request)
    content, filename = feedback_all_file(request.user, scope)
    record_export(request, _("Feedback sheets of every unit (Word)"), scope=scope)
    return file_response(content, filename, DOCX_TYPE)
