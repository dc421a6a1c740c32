"""A resident's request to see or delete their personal data (个人信息保护法:
查阅、复制、删除).

The resident comes to the community office and gives their phone number.
`records_of_resident` finds everything the community holds under that number:
micro-wishes, appeals, special-group cases, proxy errands, the grid visit logs
tied to those or mentioning the number, and party-member registrations.
`remove_resident_data` anonymises every finished record among them through the
apps' own anonymising services (`portal.privacy.anonymise` underneath: report
figures stay), and leaves the unfinished ones, which it names.

Used by the staff page `office/views_resident.py`.
"""

import dataclasses

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Value
from django.db.models.functions import Replace
from django.utils.translation import gettext as _

from portal import privacy


class ResidentRequestError(ValidationError):
    """A refused request; its message is meant for the staff member."""


def normalise(phone) -> str:
    """What the resident says or staff type ("138 0000-1234") as stored: digits only."""
    return "".join(ch for ch in str(phone or "") if ch.isdigit())


@dataclasses.dataclass
class Section:
    """The records of one kind held about the resident."""

    key: str  # "wishes", "appeals", ...
    title: str
    records: list
    finished: set  # pks of the finished records (their data may be removed)
    removable: bool = True  # False: listed in the copy, removed elsewhere (member registrations)

    @property
    def unfinished(self):
        return [record for record in self.records if record.pk not in self.finished and not getattr(record, "anonymised_at", None)]


@dataclasses.dataclass
class ResidentRecords:
    community: object
    phone: str
    sections: list

    @property
    def count(self) -> int:
        return sum(len(section.records) for section in self.sections)

    @property
    def names(self) -> set:
        """The resident's names as written on the records (to mask them in free text)."""
        names = set()
        for section in self.sections:
            for record in section.records:
                for field in ("wisher_name", "resident_name", "name"):
                    value = getattr(record, field, "")
                    if value and not getattr(record, "anonymised_at", None):
                        names.add(value)
        return names

    def unfinished(self):
        """(section, record) of every unfinished record whose data must stay for now."""
        return [(section, record) for section in self.sections if section.removable for record in section.unfinished]


def _with_phone(queryset, field, phone):
    """Records whose `field` is `phone` once dashes are left out (cases and
    errands keep numbers as typed: 138-0000-1234, 0936-5551234)."""
    digits = Replace(field, Value("-"), Value(""))
    return queryset.filter(**{f"{field}__contains": phone[-4:]}).annotate(_phone_digits=digits).filter(_phone_digits=phone)


def records_of_resident(community, phone) -> ResidentRecords:
    """Everything `community` holds under the phone number `phone` (normalised digits)."""
    from council.models import ProxyService
    from grid.models import Appeal, PartyMember, VisitLog
    from volunteers.models import SpecialGroupCase
    from wishes.models import MicroWish
    from wishes.services import FINISHED_STATUSES

    if not phone:
        return ResidentRecords(community=community, phone=phone, sections=[])
    wishes = list(MicroWish.objects.filter(community=community, wisher_phone=phone).select_related("grid_cell", "building"))
    appeals = list(Appeal.objects.filter(community=community, resident_phone=phone).select_related("grid_cell", "building"))
    cases = list(
        _with_phone(SpecialGroupCase.objects.filter(community=community), "resident_phone", phone).select_related(
            "grid_cell", "assigned_to"
        )
    )
    proxies = list(
        _with_phone(ProxyService.objects.filter(community=community), "resident_phone", phone).select_related(
            "building", "company"
        )
    )
    mentioned = Q(findings__contains=phone) | Q(household__contains=phone)
    if appeals:
        mentioned |= Q(appeal__in=[appeal.pk for appeal in appeals])
    if cases:
        mentioned |= Q(special_case__in=[case.pk for case in cases])
    visits = list(VisitLog.objects.filter(mentioned, community=community).select_related("grid_cell", "visitor"))
    members = list(PartyMember.objects.filter(community=community, phone=phone).select_related("employer_unit", "grid_cell"))
    sections = [
        Section("wishes", _("Micro-wishes"), wishes, {w.pk for w in wishes if w.status in FINISHED_STATUSES}),
        Section("appeals", _("Appeals"), appeals, {a.pk for a in appeals if a.status == Appeal.Status.CLOSED}),
        Section(
            "cases", _("Special-group cases"), cases, {c.pk for c in cases if c.status == SpecialGroupCase.Status.SOLVED}
        ),
        Section("proxies", _("Proxy services"), proxies, {p.pk for p in proxies if p.status == ProxyService.Status.DONE}),
        Section(
            "visits",
            _("Visit logs"),
            visits,
            {v.pk for v in visits if not v.follow_up_needed or v.follow_up_done_on is not None},
        ),
        Section("members", _("Party-member registration"), members, set(), removable=False),
    ]
    return ResidentRecords(community=community, phone=phone, sections=sections)


def check_office(user, community):
    if not user.can("office.reports", community):
        raise ResidentRequestError(_("Only community staff can remove a resident's personal data."))


def remove_resident_data(*, community, phone, by, now=None) -> tuple[dict, list]:
    """The resident asked to have their data deleted: anonymise every finished
    record `community` holds under `phone`. Unfinished records keep their data
    (staff may still need to call the resident): they are returned, to be named.

    Returns ({section key: how many records changed}, [(section, record) left unfinished])."""
    from council.models import ProxyService
    from council.services import proxies_anonymise
    from grid.models import Appeal, VisitComment, VisitLog
    from grid.services_work import appeals_anonymise
    from volunteers.models import SpecialGroupCase
    from volunteers.services import cases_anonymise
    from wishes.models import MicroWish
    from wishes.services import wishes_anonymise

    check_office(by, community)
    held = records_of_resident(community, phone)
    names = held.names
    finished = {section.key: section.finished for section in held.sections}
    changed = {}
    with transaction.atomic():
        changed["wishes"] = wishes_anonymise(MicroWish.objects.filter(pk__in=finished["wishes"]), now=now, by=by)
        changed["appeals"] = appeals_anonymise(Appeal.objects.filter(pk__in=finished["appeals"]), now=now, by=by)
        changed["cases"] = cases_anonymise(SpecialGroupCase.objects.filter(pk__in=finished["cases"]), now=now, by=by)
        changed["proxies"] = proxies_anonymise(ProxyService.objects.filter(pk__in=finished["proxies"]), now=now, by=by)
        # Visit logs keep no phone field: the number, doors and the resident's name are masked in their text.
        visits = VisitLog.objects.filter(pk__in=finished["visits"])
        changed["visits"] = privacy.scrub_texts(visits, ("household", "findings"), names)
        privacy.scrub_texts(VisitComment.objects.filter(visit__in=visits), ("text",), names)
    return changed, held.unfinished()
