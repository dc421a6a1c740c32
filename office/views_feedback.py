"""Feedback sheets to employer units (报到反馈单): a printable page and a Word file
per unit and period, and one Word file with every unit in scope.

Office roles see the units of their scope; a unit liaison sees only their own
unit's sheet (page and Word file); everybody else gets 403.
"""

from django.shortcuts import render
from django.utils.translation import gettext as _
from docx.enum.text import WD_ALIGN_PARAGRAPH

from audit.services import record_export
from grid.models import CoBuildingUnit
from office.feedback import (
    COLUMNS,
    feedback_sheets,
    members_as_of,
    number,
    reported_as_of,
)
from office.word import add_table, docx_response, new_document, page_break
from portal.access import get_for_user
from portal.periods import in_communities, per_row
from portal.permissions import action_required, check
from portal.scope import period_scope, report_scope
from portal.views_helpers import paginate


def _scoped_units(request, scope):
    """The units of the office user's scope on the books on the period's last day, in the order of the list."""
    units = CoBuildingUnit.objects.for_user(request.user).listed_on(scope.end)
    return in_communities(units, scope.community_ids).select_related("community").order_by("community__name", "name")


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
    units = _scoped_units(request, scope).annotate(
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
    rows, total_row = _sheet_table(sheet)
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
    _write_sheet(document, feedback_sheets([unit], period.start, period.end)[0], period)
    record_export(request, _("Feedback sheet (Word)"), scope=period, obj=unit)
    return docx_response(document, f"feedback-{unit.pk}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.docx")


@action_required("office.reports")
def feedback_all_docx(request):
    scope = report_scope(request)
    document = new_document()
    sheets = feedback_sheets(_scoped_units(request, scope), scope.start, scope.end)
    for index, sheet in enumerate(sheets):
        if index:
            page_break(document)
        _write_sheet(document, sheet, scope)
    if not sheets:
        document.add_paragraph(_("No active co-building unit in this scope."))
    record_export(request, _("Feedback sheets of every unit (Word)"), scope=scope)
    label = scope.community.code if scope.community is not None else "all"
    return docx_response(document, f"feedback-{label}-{scope.start:%Y%m%d}-{scope.end:%Y%m%d}.docx")


def _sheet_table(sheet):
    """The table as text, (member rows, totals row): the page and the Word file
    show the same cells."""
    not_yet = _("Not yet confirmed")
    rows = [
        [
            row["name"],
            f"{row['reported_on']:%Y-%m-%d}" if row["reported_on"] else not_yet,
            row["events_attended"],
            number(row["hours_approved"]),
            row["wishes_fulfilled"],
            number(row["points"]),
        ]
        for row in sheet.rows
    ]
    totals = sheet.totals
    total_row = [
        _("Total (%(count)s members)") % {"count": totals["members"]},
        _("%(count)s reported") % {"count": totals["reported"]},
        totals["events_attended"],
        number(totals["hours_approved"]),
        totals["wishes_fulfilled"],
        number(totals["points"]),
    ]
    return rows, total_row


def _write_sheet(document, sheet, period) -> None:
    """One unit's sheet as a letter: title, addressee, text, table, stamp line."""
    unit, community = sheet.unit, sheet.unit.community
    title = document.add_heading(_("Reporting feedback sheet"), level=1)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph(_("To: %(unit)s") % {"unit": unit.party_organization or unit.name})
    document.add_paragraph(
        _("The following in-service party members of your unit reported to our community and served as below during the period.")
    )
    details = document.add_paragraph()
    details.add_run(_("Community: %(community)s") % {"community": community.name}).add_break()
    details.add_run(_("Unit: %(unit)s") % {"unit": unit.name}).add_break()
    details.add_run(_("Period: %(start)s to %(end)s") % {"start": f"{period.start:%Y-%m-%d}", "end": f"{period.end:%Y-%m-%d}"})
    if sheet.rows:
        rows, total_row = _sheet_table(sheet)
        add_table(document, [str(column) for column in COLUMNS], [*rows, total_row])
        for cell in document.tables[-1].rows[-1].cells:
            for run in cell.paragraphs[0].runs:
                run.bold = True
    else:
        document.add_paragraph(_("No in-service party member of this unit is registered with our community."))
    document.add_paragraph(_("For your reference."))
    signature = document.add_paragraph()
    signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    signature.add_run(_("Party committee of %(community)s (stamp)") % {"community": community.name}).add_break()
    signature.add_run(_("Date: ____ / __ / __"))
