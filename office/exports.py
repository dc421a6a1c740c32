"""The dashboard's figures as an Excel workbook (openpyxl): one sheet of headline
figures, one per breakdown, headers in the user's language (Chinese by default)."""

import io

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Font

from .rates import KINDS, definitions, scope_rates
from .reports import HEADLINE_KEYS, breakdowns, scope_figures, side_by_side_heading

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def figures_file(scope) -> tuple[bytes, str]:
    """The scope's figures and breakdowns as an Excel workbook, and its name (the
    dashboard's download, also prepared in the background: office.jobs)."""
    # The dashboard's figures (cached alike): for an area, the sums of its communities'
    # rows, and a sheet of the areas one level down or the communities side by side.
    values, rows = scope_figures(scope)
    side_by_side = (side_by_side_heading(rows), rows) if rows is not None else None
    parts = breakdowns(scope.start, scope.end, community_ids=scope.community_ids)
    rates = (*scope_rates(scope), definitions(scope.community))
    content = figures_workbook(values, parts, scope.start, scope.end, scope.label, side_by_side, rates)
    return content, f"figures-{scope.start:%Y%m%d}-{scope.end:%Y%m%d}.xlsx"


def headline_labels():
    return {
        "co_building_units": _("Co-building units"),
        "party_members": _("In-service party members"),
        "reported_members": _("Reported"),
        "reporting_rate": _("Reporting rate"),
        "volunteer_events": _("Volunteer events held"),
        "special_services": _("Haircuts, clinics, performances"),
        "volunteer_hours": _("Approved volunteer hours"),
        "wishes_submitted": _("Wishes submitted"),
        "wishes_fulfilled": _("Wishes fulfilled"),
        "wishers_fulfilled": _("Wishers helped"),
        "special_group_cases_resolved": _("Special-group cases solved"),
        "deliberation_topics_resolved": _("Topics settled in the hall"),
        "volunteer_teams": _("Active volunteer teams"),
        "stations": _("Red vanguard stations"),
    }


def _sheet(workbook, title, header, rows):
    sheet = workbook.create_sheet(title[:31])
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
    for column, width in zip("ABCDE", (34, 16, 16, 16, 16)):
        sheet.column_dimensions[column].width = width
    return sheet


def figures_workbook(values: dict, parts: dict, start, end, scope: str, side_by_side=None, rates=None) -> bytes:
    """The workbook: the figures, then (for an area: `side_by_side`, a title and
    `figures_by_area` rows) its areas or communities, then the three rates (`rates`:
    office.rates.scope_rates and the definitions), then the breakdowns."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    labels = headline_labels()
    summary = _sheet(
        workbook,
        _("Figures"),
        [_("Figure"), _("Value")],
        [(labels[key], values[key]) for key in HEADLINE_KEYS],
    )
    summary.insert_rows(1, 2)
    summary["A1"] = f"{scope}: {start:%Y-%m-%d} – {end:%Y-%m-%d}"
    summary["A1"].font = Font(bold=True, size=13)
    rate_row = 3 + HEADLINE_KEYS.index("reporting_rate") + 1
    summary.cell(row=rate_row, column=2).number_format = "0.0%"
    if side_by_side is not None:
        title, rows = side_by_side
        keys = [key for key in HEADLINE_KEYS if key not in ("special_services", "volunteer_teams", "stations")]
        sheet = _sheet(
            workbook,
            title,
            [_("Name"), *(labels[key] for key in keys)],
            [(row["name"], *(row["figures"][key] for key in keys)) for row in rows],
        )
        rate_column = 2 + keys.index("reporting_rate")
        for (cell,) in sheet.iter_rows(min_row=2, min_col=rate_column, max_col=rate_column):
            cell.number_format = "0.0%"
    if rates is not None:
        _rates_sheet(workbook, *rates)
    _sheet(
        workbook,
        _("By grid cell"),
        [_("Grid cell"), _("Party members"), _("Volunteer events held"), _("Wishes fulfilled")],
        [(str(cell), cell.member_count, cell.event_count, cell.wishes_fulfilled) for cell in parts["grid_cells"]],
    )
    _sheet(
        workbook,
        _("By unit"),
        [_("Co-building unit"), _("Party members"), _("Reported")],
        [(unit.name, unit.member_count, unit.reported_count) for unit in parts["units"]],
    )
    _sheet(
        workbook,
        _("By team"),
        [_("Volunteer team"), _("Volunteer events held"), _("Approved volunteer hours")],
        [(team.name, team.event_count, float(team.approved_hours or 0)) for team in parts["teams"]],
    )
    _sheet(
        workbook,
        _("By event kind"),
        [pgettext("event", "Kind"), _("Volunteer events held")],
        [(str(kind), count) for kind, count in parts["event_kinds"]],
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()



def _rates_sheet(workbook, total: dict, rows: list, by: str, texts: list) -> None:
    """The three rates: a row for the whole, then one per grid cell or area, appeals then
    wishes (the counts beside each rate), and the definitions under them."""
    kinds = {"appeals": _("Appeals"), "wishes": _("Micro-wishes")}
    figures = [
        pgettext("requests", "Received"), _("Responded in time"), _("Response rate"), _("Resolved"), _("Resolution rate"),
        _("Rated"), _("Satisfied or basically"), _("Satisfaction rate"),
    ]
    header = [_("Name")]
    for kind in KINDS:
        header += [_("%(kind)s: %(figure)s") % {"kind": kinds[kind], "figure": figure} for figure in figures]

    def cells(values):
        line = []
        for kind in KINDS:
            r = values[kind]
            line += [
                r["received"], r["responded_in_time"], r["response_rate"], r["resolved"], r["resolution_rate"], r["rated"],
                r["satisfied"] + r["basically"], r["satisfaction_rate"],
            ]
        return line

    body = [[_("Total"), *cells(total)], *([row["name"], *cells(row)] for row in rows)]
    sheet = _sheet(workbook, _("Three rates"), header, body)
    for column in (4, 6, 9, 12, 14, 17):
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.number_format = "0.0%"
    sheet.append([])
    for name, text in texts:
        sheet.append([name, text])
