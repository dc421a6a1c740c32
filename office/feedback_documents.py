"""The feedback sheets as text and as Word documents: the page's table, one unit's
letter, and the file of every unit in a scope (also prepared in the background:
office.jobs)."""

from django.utils.translation import gettext as _
from docx.enum.text import WD_ALIGN_PARAGRAPH

from grid.models import CoBuildingUnit
from office.feedback import COLUMNS, feedback_sheets, number
from office.word import add_table, document_bytes, new_document, page_break
from portal.periods import in_communities


def scoped_units(user, scope):
    """The units of the office user's scope on the books on the period's last day, in the order of the list."""
    units = CoBuildingUnit.objects.for_user(user).listed_on(scope.end)
    return in_communities(units, scope.community_ids).select_related("community").order_by("community__name", "name")


def feedback_all_file(user, scope) -> tuple[bytes, str]:
    """Every unit's sheet of the user's scope in one Word file, and its name (also
    prepared in the background: office.jobs)."""
    document = new_document()
    sheets = feedback_sheets(scoped_units(user, scope), scope.start, scope.end)
    for index, sheet in enumerate(sheets):
        if index:
            page_break(document)
        write_sheet(document, sheet, scope)
    if not sheets:
        document.add_paragraph(_("No active co-building unit in this scope."))
    label = scope.community.code if scope.community is not None else "all"
    return document_bytes(document), f"feedback-{label}-{scope.start:%Y%m%d}-{scope.end:%Y%m%d}.docx"


def sheet_table(sheet):
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


def write_sheet(document, sheet, period) -> None:
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
        rows, total_row = sheet_table(sheet)
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
