"""Import co-building units and in-service party members from Excel rosters.

One generic `Importer` reads the first sheet of an .xlsx file (header in row 1,
data from row 2), maps the headers to its `Column`s, parses and checks every
row, and writes only when the whole file is valid (all or nothing). The two
rosters are small subclasses that list their columns and resolve what needs the
database (grid cells, buildings, employer units).

Rules shared by both rosters:
- a header is recognised in Chinese or English, or by its Chinese alias;
- completely empty rows are skipped, unknown columns are ignored;
- a blank optional cell leaves the stored value as it is (new records get the
  model's default), so a partial roster never wipes data;
- a record is matched on its natural key (unit name, member phone) within the
  community: re-importing the same file changes nothing.
"""

import datetime
import io
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import openpyxl
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from simple_history.utils import bulk_create_with_history

from portal.dates import validate_day
from portal.history import set_history_user
from portal.ids import parse_id
from portal.models import Community
from portal.validators import mobile_validator, normalize_phone, phone_validator

from .models import Building, CoBuildingUnit, GridCell, PartyMember
from .services import tags_from_text

logger = logging.getLogger(__name__)

MAX_ROWS = 5000
MAX_ERRORS = 200
HEADER_LANGUAGES = ("zh-hans", "en")


class _Keep:
    """A blank optional cell or an absent column: leave the stored value alone."""

    def __repr__(self):
        return "KEEP"


KEEP = _Keep()


# Results ------------------------------------------------------------------------


@dataclass
class RowError:
    row: int  # 0: the file as a whole; 1: the header row; 2...: data rows
    column: str  # the column's header label, "" for the file as a whole
    message: str

    def __str__(self):
        if not self.row:
            return self.message
        return _("Row %(row)s, %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def add_error(self, row: int, column: str, message) -> None:
        self.errors.append(RowError(row, str(column), str(message)))


# Parsing helpers -------------------------------------------------------------------


def normalize_label(value) -> str:
    """Compare headers and choice labels ignoring spaces and (Latin) case."""
    return re.sub(r"\s+", "", str(value or "")).casefold()


def cell_text(value) -> str:
    """A cell as text: integral floats lose their '.0', dates become YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def is_blank(value) -> bool:
    return cell_text(value) == ""


def parse_text(value) -> str:
    return cell_text(value)


_DATE_RE = re.compile(r"^(\d{4})\s*(?:-|/|\.|年)\s*(\d{1,2})\s*(?:-|/|\.|月)\s*(\d{1,2})\s*日?$")


def parse_date(value) -> datetime.date:
    """A date cell, or text such as 2024-03-01, 2024/3/1 or 2024年3月1日, on a day the
    portal can count with (portal.dates: the models' validators, which the import's
    bulk writes do not run)."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if not isinstance(value, datetime.date):
        match = _DATE_RE.match(cell_text(value))
        try:
            value = datetime.date(*(int(part) for part in match.groups())) if match else None
        except ValueError:
            value = None
    if value is None:
        raise ValidationError(_("Enter a date such as 2024-03-01."))
    validate_day(value)
    return value


_TRUE = {"是", "有效", "yes", "y", "true", "1", "√", "✓"}
_FALSE = {"否", "无效", "no", "n", "false", "0", "×", "✗"}


def parse_bool(value) -> bool:
    if isinstance(value, bool):
        return value
    text = normalize_label(cell_text(value))
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValidationError(_("Enter yes or no (是 or 否)."))


def parse_mobile(value) -> str:
    """An 11-digit mainland mobile; spaces, dashes and a +86 prefix are dropped."""
    text = normalize_phone(cell_text(value)).replace("-", "")
    if len(text) == 13 and text.startswith("86"):
        text = text[2:]
    mobile_validator(text)
    return text


def parse_phone(value) -> str:
    """A mobile or a landline such as 0936-5551234."""
    text = normalize_phone(cell_text(value))
    phone_validator(text)
    return text


def parse_year(value) -> int:
    year = parse_id(cell_text(value).removesuffix("年"))  # "²" is a digit to str.isdigit, not to int()
    this_year = timezone.localdate().year
    if year is not None and 1921 <= year <= this_year:
        return year
    raise ValidationError(_("Enter a year between 1921 and %(year)s.") % {"year": this_year})


class ChoiceParser:
    """A choice given by its code, its label in Chinese or English, or an alias."""

    def __init__(self, choices, aliases: dict[str, tuple[str, ...]]):
        self.choices = choices
        self.aliases = aliases
        self._lookup = None

    def allowed(self) -> list[str]:
        """The labels to offer, in the active language."""
        return [str(label) for label in self.choices.labels]

    def lookup(self) -> dict[str, str]:
        if self._lookup is None:
            lookup = {}
            for code, label in self.choices.choices:
                names = {code, *self.aliases.get(code, ())}
                for language in HEADER_LANGUAGES:
                    with translation.override(language):
                        names.add(str(label))
                lookup.update({normalize_label(name): code for name in names})
            self._lookup = lookup
        return self._lookup

    def __call__(self, value) -> str:
        code = self.lookup().get(normalize_label(cell_text(value)))
        if code is None:
            raise ValidationError(
                _("Unknown value. Use one of: %(values)s.") % {"values": " / ".join(self.allowed())}
            )
        return code


# Columns and the generic importer --------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str  # a model field, or a name the importer resolves in `clean_row`
    label: Any  # lazy translated header
    aliases: tuple[str, ...] = ()  # Chinese headers accepted before the catalogue has them
    required: bool = False
    help_text: Any = ""
    parse: Callable[[Any], Any] = parse_text
    blank: Any = KEEP  # the value of a blank optional cell

    @property
    def header(self) -> str:
        return str(self.label)

    @property
    def help(self) -> str:
        parts = [str(self.help_text)]
        allowed = getattr(self.parse, "allowed", None)
        if allowed:
            parts.append(_("Values: %(values)s") % {"values": " / ".join(allowed())})
        return " ".join(part for part in parts if part)

    def header_names(self) -> set[str]:
        names = set(self.aliases)
        for language in HEADER_LANGUAGES:
            with translation.override(language):
                names.add(str(self.label))
        return {normalize_label(name) for name in names}


class InvalidFile(Exception):
    pass


def read_sheet(fileobj) -> tuple[tuple, list[tuple[int, tuple]]]:
    """The header row and the non-empty data rows (with their row numbers) of the first sheet."""
    if isinstance(fileobj, (str, Path)):
        source = fileobj
    else:
        if hasattr(fileobj, "seek"):
            fileobj.seek(0)
        source = io.BytesIO(fileobj.read())
    try:
        workbook = openpyxl.load_workbook(source, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds of errors on files that are not .xlsx
        logger.info("Import: unreadable workbook: %r", exc)
        raise InvalidFile from exc
    try:
        if not workbook.worksheets:
            return (), []
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        header = next(rows, None) or ()
        data = []
        for number, cells in enumerate(rows, start=2):
            if all(is_blank(cell) for cell in cells):
                continue
            data.append((number, cells))
            if len(data) > MAX_ROWS:
                break
        return header, data
    except Exception as exc:  # a damaged sheet inside a readable archive
        logger.info("Import: unreadable sheet: %r", exc)
        raise InvalidFile from exc
    finally:
        workbook.close()


class Importer:
    """Read a roster, check every row, then write all rows or none."""

    model = None
    title = ""
    columns: tuple[Column, ...] = ()
    match_on = "name"  # the column matching a row to an existing record of the community
    tag_fields: tuple[str, ...] = ()  # many-to-many Tag fields, filled with `tags_from_text`
    create_defaults: dict = {}

    # Hooks for subclasses

    def load_context(self, community) -> dict:
        """Lookups loaded once per import (grid cells, units, ...)."""
        return {}

    def clean_row(self, values: dict, existing, context: dict, error: Callable) -> None:
        """Cross-column checks and database lookups; edit `values` in place,
        report problems with `error(column_key, message)`."""

    # The import

    def run(self, community, fileobj, by=None) -> ImportResult:
        """Import the sheet into `community`; `by` (the importing user) is named in the records' history."""
        result = ImportResult()
        try:
            header, rows = read_sheet(fileobj)
        except InvalidFile:
            result.add_error(
                0, "", _("This is not an Excel .xlsx file, or it is damaged. Save it as .xlsx and try again.")
            )
            return result
        if not rows:
            result.add_error(0, "", _("The file has no data rows: fill in the rows below the header row."))
            return result
        if len(rows) > MAX_ROWS:
            result.add_error(
                0, "", _("The file has more than %(max)d rows. Split it into smaller files.") % {"max": MAX_ROWS}
            )
            return result
        positions = self._map_headers(header, result)
        if not result.ok:
            return result

        pending = self._check_rows(community, rows, positions, result)
        if not result.ok:
            return result
        try:
            with transaction.atomic():
                self._write(community, pending, result, by)
        except IntegrityError:
            logger.warning("Import into %s hit a constraint; rolled back", community, exc_info=True)
            return ImportResult(
                errors=[
                    RowError(0, "", _("The records changed while importing. Nothing was imported; please try again."))
                ]
            )
        return result

    def _map_headers(self, header, result) -> dict[str, int]:
        by_name = {name: column for column in self.columns for name in column.header_names()}
        positions = {}
        for index, cell in enumerate(header):
            column = by_name.get(normalize_label(cell_text(cell)))
            if column is None:
                continue
            if column.key in positions:
                result.add_error(1, column.header, _("This column appears twice."))
            positions[column.key] = index
        for column in self.columns:
            if column.required and column.key not in positions:
                result.add_error(1, column.header, _("This required column is missing."))
        return positions

    def _check_rows(self, community, rows, positions, result) -> list[tuple[Any, dict]]:
        by_key = {column.key: column for column in self.columns}
        existing_records = {
            getattr(record, self.match_on): record
            for record in self.model.objects.filter(community=community).prefetch_related(*self.tag_fields)
        }
        context = self.load_context(community)
        seen = {}  # match_on value -> first row number
        pending = []
        for number, cells in rows:
            if len(result.errors) >= MAX_ERRORS:
                message = _("Stopped after %(count)d errors. Fix these and upload again.") % {"count": MAX_ERRORS}
                result.add_error(0, "", message)
                break
            errors_before = len(result.errors)

            def error(key, message, number=number):
                result.add_error(number, by_key[key].header, message)

            values = self._parse_cells(cells, positions, error)
            key = values.get(self.match_on)
            if key is not None:
                if key in seen:
                    message = _("Same as row %(row)s: each record may appear only once.") % {"row": seen[key]}
                    error(self.match_on, message)
                else:
                    seen[key] = number
            existing = existing_records.get(key)
            self.clean_row(values, existing, context, error)
            if len(result.errors) == errors_before:
                pending.append((existing, values))
        return pending

    def _parse_cells(self, cells, positions, error) -> dict:
        """The row's values by column key; a column whose cell is invalid is left out."""
        values = {}
        for column in self.columns:
            if column.key not in positions:
                values[column.key] = KEEP
                continue
            index = positions[column.key]
            raw = cells[index] if index < len(cells) else None
            if is_blank(raw):
                if column.required:
                    error(column.key, _("This value is required."))
                else:
                    values[column.key] = column.blank
                continue
            try:
                value = column.parse(raw)
            except ValidationError as exc:
                error(column.key, exc.messages[0])
                continue
            max_length = self._max_length(column.key)
            if isinstance(value, str) and max_length and len(value) > max_length:
                error(column.key, _("At most %(max)d characters.") % {"max": max_length})
                continue
            values[column.key] = value
        return values

    def _max_length(self, key):
        try:
            return getattr(self.model._meta.get_field(key), "max_length", None)
        except FieldDoesNotExist:
            return None

    def _write(self, community, pending, result, by=None) -> None:
        """Update the matched records that differ; create the others in bulk."""
        tags_by_text = {}

        def tags_for(text):
            if text not in tags_by_text:
                tags_by_text[text] = tags_from_text(text)
            return tags_by_text[text]

        new_records = []  # (record, {m2m field: tags})
        for existing, values in pending:
            texts = {name: values.pop(name) for name in self.tag_fields}
            tags = {name: tags_for(text) for name, text in texts.items() if text is not KEEP}
            fields = {name: value for name, value in values.items() if value is not KEEP}
            if existing is None:
                record = self.model(community=community, **self.create_defaults, **fields)
                record.sync_active_dates()  # imported as inactive: inactive from today
                new_records.append((record, tags))
                continue
            changed = [name for name, value in fields.items() if getattr(existing, name) != value]
            for name in changed:
                setattr(existing, name, fields[name])
            if "is_active" in changed:
                existing.sync_active_dates()
                changed.append("inactive_since")
            if changed:
                set_history_user(existing, by)
                existing.save(update_fields=changed)
            for name, new_tags in tags.items():
                if {tag.pk for tag in new_tags} != {tag.pk for tag in getattr(existing, name).all()}:
                    getattr(existing, name).set(new_tags)
                    changed.append(name)
            if changed:
                result.updated += 1
            else:
                result.unchanged += 1

        bulk_create_with_history([record for record, _tags in new_records], self.model, batch_size=500, default_user=by)
        for name in self.tag_fields:
            field = self.model._meta.get_field(name)
            through = field.remote_field.through
            source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
            links = [
                through(**{source: record, target: tag})
                for record, tags in new_records
                for tag in tags.get(name, ())
            ]
            through.objects.bulk_create(links, batch_size=500)
        result.created = len(new_records)

    # The template

    def template_bytes(self) -> bytes:
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.title = str(self.title)[:31]
        bold = Font(bold=True)
        for index, column in enumerate(self.columns, start=1):
            cell = sheet.cell(row=1, column=index, value=column.header)
            cell.font = bold
            if column.required:
                cell.fill = PatternFill("solid", fgColor="FDE2E1")
            letter = get_column_letter(index)
            sheet.column_dimensions[letter].width = max(14, len(column.header.encode("utf-8")) + 4)
            allowed = getattr(column.parse, "allowed", None)
            if allowed or column.parse is parse_bool:
                options = allowed() if allowed else ["是", "否"]
                validation = DataValidation(type="list", formula1='"%s"' % ",".join(options), allow_blank=True)
                validation.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
                sheet.add_data_validation(validation)
        sheet.freeze_panes = "A2"

        notes = workbook.create_sheet(_("Instructions"))
        yes, no = _("Yes"), _("No")
        notes.append([_("Column"), _("Required"), _("Description")])
        for cell in notes[1]:
            cell.font = bold
        for column in self.columns:
            notes.append([column.header, yes if column.required else no, column.help])
        notes.append([])
        for line in (
            _("Fill in the first sheet: keep the header row, one record per row from row 2."),
            _("Dates: 2024-03-01, 2024/3/1 or 2024年3月1日. Several tags: separate them with commas."),
            _("A blank optional cell keeps the current value; new records get the default."),
            _("Rows already in the portal are matched and updated, never duplicated."),
            _("If any row has an error, nothing is imported: fix the rows listed and upload again."),
            _("At most %(max)d rows per file.") % {"max": MAX_ROWS},
        ):
            notes.append([line])
        notes.column_dimensions["A"].width = 24
        notes.column_dimensions["B"].width = 10
        notes.column_dimensions["C"].width = 70
        for row in notes.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")

        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()


# The two rosters -----------------------------------------------------------------------


KIND_ALIASES = {
    CoBuildingUnit.Kind.AGENCY: ("机关", "政府机关"),
    CoBuildingUnit.Kind.INSTITUTION: ("事业单位",),
    CoBuildingUnit.Kind.SCHOOL: ("学校",),
    CoBuildingUnit.Kind.HOSPITAL: ("医院",),
    CoBuildingUnit.Kind.STATE_FIRM: ("国有企业", "国企"),
    CoBuildingUnit.Kind.PRIVATE_FIRM: ("非公企业", "民营企业", "私营企业"),
    CoBuildingUnit.Kind.SOCIAL_ORG: ("社会组织",),
    CoBuildingUnit.Kind.OTHER: ("其他",),
}

GENDER_ALIASES = {
    PartyMember.Gender.MALE: ("男", "m"),
    PartyMember.Gender.FEMALE: ("女", "f"),
}

ACTIVE_HELP = gettext_lazy("Yes or no (是 or 否). Blank: yes for a new record, unchanged otherwise.")
DATE_HELP = gettext_lazy("A date, e.g. 2024-03-01.")


class UnitImporter(Importer):
    model = CoBuildingUnit
    title = gettext_lazy("Co-building units")
    match_on = "name"
    tag_fields = ("resource_tags",)
    columns = (
        Column("name", gettext_lazy("Unit name"), ("单位名称",), required=True,
               help_text=gettext_lazy("Full name; a unit already in the portal with this name is updated.")),
        Column("kind", gettext_lazy("Kind"), ("类型", "单位类型"), parse=ChoiceParser(CoBuildingUnit.Kind, KIND_ALIASES),
               help_text=gettext_lazy("Blank: government agency.")),
        Column("party_organization", gettext_lazy("Party organisation"), ("党组织名称",)),
        Column("liaison_name", gettext_lazy("Liaison"), ("联络人",)),
        Column("liaison_phone", gettext_lazy("Liaison phone"), ("联络电话",), parse=parse_phone,
               help_text=gettext_lazy("Mobile or landline, e.g. 0936-5551234.")),
        Column("agreement_signed_on", gettext_lazy("Agreement signed on"), ("签约日期",), parse=parse_date,
               help_text=DATE_HELP),
        Column("resources", gettext_lazy("Resources offered"), ("可提供资源",)),
        Column("resource_tags", gettext_lazy("Resource tags"), ("资源标签",),
               help_text=gettext_lazy("Separate with commas, e.g. 场地, 医疗")),
        Column("reported_on", gettext_lazy("Unit reported on"), ("单位报到日期", "报到日期"), parse=parse_date,
               help_text=DATE_HELP),
        Column("commitments", gettext_lazy("Service commitments"), ("服务承诺",)),
        Column("is_active", gettext_lazy("Active"), ("是否有效",), parse=parse_bool, help_text=ACTIVE_HELP),
    )


class MemberImporter(Importer):
    model = PartyMember
    title = gettext_lazy("In-service party members")
    match_on = "phone"
    tag_fields = ("skills",)
    create_defaults = {"source": PartyMember.Source.IMPORT}
    columns = (
        Column("name", pgettext_lazy("person", "Name"), ("姓名",), required=True),
        Column("gender", gettext_lazy("Gender"), ("性别",), required=True,
               parse=ChoiceParser(PartyMember.Gender, GENDER_ALIASES)),
        Column("phone", gettext_lazy("Mobile phone"), ("手机号", "手机号码"), required=True, parse=parse_mobile,
               help_text=gettext_lazy("11 digits; a member already in the portal with this number is updated.")),
        Column("employer", gettext_lazy("Employer"), ("工作单位",), required=True,
               help_text=gettext_lazy("Write the unit's exact name to link a co-building unit.")),
        Column("grid_cell", gettext_lazy("Grid cell"), ("网格", "所属网格"), required=True,
               help_text=gettext_lazy("The grid cell's name or number, e.g. 东区网格 or 1.")),
        Column("building", gettext_lazy("Building"), ("楼院", "楼栋"), blank=None,
               help_text=gettext_lazy("A building of that grid cell, by name.")),
        Column("skills", gettext_lazy("Skills"), ("特长",),
               help_text=gettext_lazy("Separate with commas, e.g. 维修, 法律咨询")),
        Column("joined_party_year", gettext_lazy("Joined the party in"), ("入党年份",), parse=parse_year,
               help_text=gettext_lazy("A year, e.g. 1998.")),
        Column("registered_on", gettext_lazy("Registered on"), ("登记日期",), parse=parse_date,
               help_text=gettext_lazy("A date, e.g. 2024-03-01. Blank: today for a new record.")),
        Column("reported_on", gettext_lazy("Reported on"), ("报到日期",), parse=parse_date,
               help_text=gettext_lazy("When given, the member has reported; not before the registration date.")),
        Column("is_active", gettext_lazy("Active"), ("是否有效",), parse=parse_bool, help_text=ACTIVE_HELP),
    )

    def load_context(self, community):
        cells = list(GridCell.objects.filter(community=community))
        cell_lookup = {}
        for cell in cells:  # numbers and labels first: a cell's name wins over another's number
            names = {str(cell.number), f"第{cell.number}网格"}
            for language in HEADER_LANGUAGES:
                with translation.override(language):
                    names.add(str(cell))
            cell_lookup.update({normalize_label(name): cell for name in names})
        cell_lookup.update({normalize_label(cell.name): cell for cell in cells})
        buildings = Building.objects.filter(grid_cell__community=community)
        return {
            "cells": cell_lookup,
            "buildings": {(b.grid_cell_id, normalize_label(b.name)): b for b in buildings},
            "units": {unit.name.strip(): unit for unit in CoBuildingUnit.objects.filter(community=community)},
        }

    def clean_row(self, values, existing, context, error):
        if "employer" in values:
            employer = values.pop("employer")
            unit = context["units"].get(employer)
            values["employer_unit_id"] = unit.pk if unit else None
            values["employer_name"] = "" if unit else employer
            max_length = PartyMember._meta.get_field("employer_name").max_length
            if len(values["employer_name"]) > max_length:
                error("employer", _("At most %(max)d characters.") % {"max": max_length})

        cell = None
        if "grid_cell" in values:
            text = values.pop("grid_cell")
            cell = context["cells"].get(normalize_label(text))
            if cell is None:
                error("grid_cell", _("There is no grid cell “%(value)s” in this community.") % {"value": text})
            else:
                values["grid_cell_id"] = cell.pk
        if "building" in values:
            name = values.pop("building")
            if name is KEEP:  # no building column: drop a building left behind in another cell
                if existing and cell and existing.building_id and existing.grid_cell_id != cell.pk:
                    values["building_id"] = None
            elif name is None:
                values["building_id"] = None
            elif cell is not None:
                building = context["buildings"].get((cell.pk, normalize_label(name)))
                if building is None:
                    error(
                        "building",
                        _("There is no building “%(value)s” in grid cell %(cell)s.")
                        % {"value": name, "cell": cell.name},
                    )
                else:
                    values["building_id"] = building.pk

        registered = values.get("registered_on", KEEP)
        reported = values.get("reported_on", KEEP)
        if registered is KEEP:
            registered = existing.registered_on if existing else timezone.localdate()
        if reported is KEEP:
            reported = existing.reported_on if existing else None
        if "registered_on" in values and "reported_on" in values and reported and reported < registered:
            blamed = "reported_on" if values["reported_on"] is not KEEP else "registered_on"
            error(blamed, _("The report date cannot be before the registration date."))


UNIT_IMPORTER = UnitImporter()
MEMBER_IMPORTER = MemberImporter()
IMPORTERS = {"units": UNIT_IMPORTER, "members": MEMBER_IMPORTER}


# Management commands ------------------------------------------------------------------


class ImportCommand(BaseCommand):
    """`manage.py import_<kind> FILE.xlsx [--community CODE]`; subclasses set `kind`."""

    kind = ""

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path of the .xlsx file.")
        parser.add_argument(
            "--community", help="Code of the community to import into; optional when only one exists."
        )

    def handle(self, *args, file, community=None, **options):
        importer = IMPORTERS[self.kind]
        target = self.get_community(community)
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("File not found: %(path)s") % {"path": path})
        result = importer.run(target, path)
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(
                _("Nothing was imported: %(count)d problems found.") % {"count": len(result.errors)}
            )
        self.stdout.write(
            self.style.SUCCESS(
                _("Import finished: %(created)d added, %(updated)d updated, %(unchanged)d unchanged.")
                % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}
            )
        )

    def get_community(self, code):
        if code:
            try:
                return Community.objects.get(code=code)
            except Community.DoesNotExist:
                raise CommandError(_("No community has the code %(code)s.") % {"code": code}) from None
        communities = list(Community.objects.all()[:2])
        if len(communities) != 1:
            raise CommandError(_("Choose the community with --community CODE."))
        return communities[0]
