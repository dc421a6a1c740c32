"""The work summary (工作总结): the period's figures written out as paragraphs in
the manner of the community's own reports, the tables behind them, the notable
events and the topics settled, and the same as a Word document.

The figures come from `office.reports` (never from what a user typed); staff
edit only the wording of the paragraphs before they print or download.
"""

import dataclasses
import re

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from council.models import Topic
from office.exports import headline_labels
from office.reports import HEADLINE_KEYS, side_by_side_heading
from office.word import add_table, new_document
from portal.periods import day_bounds, in_communities
from portal.templatetags.portal_tags import percent
from volunteers.models import VolunteerEvent

TEXT_MAX_LENGTH = 20_000


def _day(day) -> str:
    """2023年12月31日 in Chinese, Dec. 31, 2023 in English."""
    return date_format(day, "DATE_FORMAT")


def _hours(value) -> str:
    """1262.5 or 40, never 40.0."""
    return f"{float(value or 0):g}"


def summary_paragraphs(values: dict, scope) -> list[str]:
    """The headline figures as the paragraphs of a work summary, in the user's language.

    An area admin's roll-up (no single community) speaks of "the communities"."""
    several = scope.community is None
    numbers = {
        "date": _day(scope.end),
        "start": _day(scope.start),
        "end": _day(scope.end),
        "units": values["co_building_units"],
        "members": values["party_members"],
        "reported": values["reported_members"],
        "rate": percent(values["reporting_rate"]),
        "events": values["volunteer_events"],
        "special": values["special_services"],
        "hours": _hours(values["volunteer_hours"]),
        "teams": values["volunteer_teams"],
        "submitted": values["wishes_submitted"],
        "fulfilled": values["wishes_fulfilled"],
        "wishers": values["wishers_fulfilled"],
        "cases": values["special_group_cases_resolved"],
        "topics": values["deliberation_topics_resolved"],
        "stations": values["stations"],
    }
    if several:
        sentences = [
            _(
                "As of %(date)s, the communities had %(units)s co-building units and %(members)s in-service "
                "party members, of whom %(reported)s have reported to their community, a reporting rate of %(rate)s."
            ),
            _(
                "From %(start)s to %(end)s, the communities held %(events)s volunteer service events, including "
                "%(special)s free haircuts, free clinics and performances; party members gave %(hours)s approved "
                "volunteer hours, and the communities have %(teams)s active volunteer service teams."
            ),
        ]
    else:
        sentences = [
            _(
                "As of %(date)s, the community had %(units)s co-building units and %(members)s in-service "
                "party members, of whom %(reported)s have reported to the community, a reporting rate of %(rate)s."
            ),
            _(
                "From %(start)s to %(end)s, the community held %(events)s volunteer service events, including "
                "%(special)s free haircuts, free clinics and performances; party members gave %(hours)s approved "
                "volunteer hours, and the community has %(teams)s active volunteer service teams."
            ),
        ]
    sentences.append(
        _(
            "In the same period residents submitted %(submitted)s micro-wishes and %(fulfilled)s wishes were "
            "fulfilled, making the wishes of %(wishers)s wishers come true; %(cases)s livelihood problems were "
            "solved for people in special groups."
        )
    )
    if several:
        sentences.append(
            _(
                "Through the red deliberation hall, %(topics)s issues were settled by consultation; the communities "
                "have %(stations)s red vanguard stations that bring their services to residents' doorsteps."
            )
        )
    else:
        sentences.append(
            _(
                "Through the red deliberation hall, %(topics)s issues were settled by consultation; the community "
                "has %(stations)s red vanguard stations that bring its services to residents' doorsteps."
            )
        )
    return [sentence % numbers for sentence in sentences]


def split_paragraphs(text: str) -> list[str]:
    """Edited text back into paragraphs: blank lines separate them."""
    return [part.strip() for part in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if part.strip()]


def held_in_period(scope):
    low, high = day_bounds(scope.start, scope.end)
    return in_communities(VolunteerEvent.objects.held(), scope.community_ids).filter(starts_at__gte=low, starts_at__lt=high)


def notable_events(scope, limit: int = 10):
    """Held events of the period worth naming: haircuts, clinics and performances
    first, then by the number of members who checked in."""
    return (
        held_in_period(scope)
        .annotate(checked_in=Count("participations", filter=Q(participations__checked_in_at__isnull=False)))
        .select_related("kind", "community")
        .order_by("-kind__is_special_service", "-checked_in", "-residents_served", "starts_at", "pk")[:limit]
    )


def settled_topics(scope):
    """Deliberation topics settled in the period, in the order they were settled."""
    topics = Topic.objects.filter(status=Topic.Status.SETTLED, settled_on__gte=scope.start, settled_on__lte=scope.end)
    return in_communities(topics, scope.community_ids).select_related("community").order_by("settled_on", "pk")


@dataclasses.dataclass
class Table:
    title: str
    header: list[str]
    rows: list[tuple]


def _headline_value(key, value):
    if key == "reporting_rate":
        return percent(value)
    if key == "volunteer_hours":
        return _hours(value)
    return value


SUMMARY_PARTS_ONE = ("grid_cells", "units", "teams", "event_kinds")
SUMMARY_PARTS_SEVERAL = ("teams", "event_kinds")


def summary_parts(scope) -> tuple:
    """The breakdowns a summary shows: one community's by grid cell and unit; an
    area's by community instead (a county's 2,000 grid cells and 500 units made a
    page nobody reads, and took a third of a second)."""
    return SUMMARY_PARTS_SEVERAL if scope.community is None else SUMMARY_PARTS_ONE


def summary_tables(values: dict, parts: dict, events, topics, scope, side_by_side=None) -> list[Table]:
    """Every table of the summary, the same on the page and in the Word file. An
    area admin's roll-up has a row per area one level down or community (`side_by_side`:
    the rows of office.reports.figures_by_area) instead of per grid cell and unit, and
    adds the community to each other row."""
    several = scope.community is None
    labels = headline_labels()

    def table(title, header, objects, row):
        if several:
            return Table(title, [_("Community"), *header], [(str(obj.community), *row(obj)) for obj in objects])
        return Table(title, list(header), [tuple(row(obj)) for obj in objects])

    if several:
        places = [
            Table(
                side_by_side_heading(side_by_side or []),
                [
                    _("Name"), labels["co_building_units"], labels["party_members"], labels["reported_members"],
                    labels["reporting_rate"], labels["volunteer_events"], labels["volunteer_hours"],
                    labels["wishes_fulfilled"],
                ],
                [
                    (
                        row["name"], f["co_building_units"], f["party_members"], f["reported_members"],
                        percent(f["reporting_rate"]), f["volunteer_events"], _hours(f["volunteer_hours"]),
                        f["wishes_fulfilled"],
                    )
                    for row in side_by_side or ()
                    for f in (row["figures"],)
                ],
            )
        ]
    else:
        places = [
            table(
                _("By grid cell"),
                [_("Grid cell"), _("Party members"), _("Volunteer events held"), _("Wishes fulfilled")],
                parts["grid_cells"],
                lambda cell: (str(cell), cell.member_count, cell.event_count, cell.wishes_fulfilled),
            ),
            table(
                _("By unit"),
                [_("Co-building unit"), _("Party members"), _("Reported")],
                parts["units"],
                lambda unit: (unit.name, unit.member_count, unit.reported_count),
            ),
        ]
    return [
        Table(
            _("Figures"),
            [_("Figure"), _("Value")],
            [(labels[key], _headline_value(key, values[key])) for key in HEADLINE_KEYS],
        ),
        *places,
        table(
            _("By team"),
            [_("Volunteer team"), _("Volunteer events held"), _("Approved volunteer hours")],
            parts["teams"],
            lambda team: (team.name, team.event_count, _hours(team.approved_hours)),
        ),
        Table(
            _("By event kind"),
            [pgettext("event", "Kind"), _("Volunteer events held")],
            [(str(kind), count) for kind, count in parts["event_kinds"]],
        ),
        table(
            _("Notable events"),
            [_("Date"), _("Event"), pgettext("event", "Kind"), _("Members checked in"), _("Residents served")],
            events,
            lambda event: (
                f"{timezone.localtime(event.starts_at):%Y-%m-%d}",
                event.title,
                str(event.kind),
                event.checked_in,
                event.residents_served,
            ),
        ),
        table(
            _("Topics settled in the hall"),
            [capfirst(Topic._meta.get_field("settled_on").verbose_name), _("Topic"), _("Outcome")],
            topics,
            lambda topic: (f"{topic.settled_on:%Y-%m-%d}", topic.title, Truncator(topic.outcome).chars(120)),
        ),
    ]


def summary_title(scope) -> str:
    return _("%(scope)s work summary %(start)s–%(end)s") % {
        "scope": scope.label,
        "start": _day(scope.start),
        "end": _day(scope.end),
    }


def summary_document(title: str, paragraphs: list[str], tables: list[Table]):
    """The summary as a Word document: heading, paragraphs (first line indented by
    two characters, as Chinese documents are), then each table under its title."""
    document = new_document()
    document.add_heading(title, level=1).alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text in paragraphs:
        paragraph = document.add_paragraph(text)
        paragraph.paragraph_format.first_line_indent = Pt(22)
    for item in tables:
        document.add_heading(item.title, level=2)
        if item.rows:
            add_table(document, item.header, item.rows)
        else:
            document.add_paragraph(_("None in this period."))
    return document
