from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.access import scope_to_community
from portal.forms import DATE_WIDGET
from portal.ids import parse_id, parse_ids
from portal.models import Area, Community
from portal.permissions import area_of, roles_for
from portal.validators import normalize_phone

from .models import Building, CoBuildingUnit, GridCell, PartyMember
from .services import tags_from_text, tags_to_text


def cells_of_one_community(cells, community_id, keep=()):
    """An area admin's grid cells for a form: those of one community (none before one is
    chosen), plus the cells in `keep` (submitted or given values stay valid choices).
    Every community's cells (a county's 2,000, with 6,000 buildings) made forms of
    half a megabyte that took half a second."""
    condition = Q(community_id=community_id) if community_id else Q(pk__in=[])
    return cells.filter(condition | Q(pk__in=parse_ids(keep)))


class TagsField(forms.CharField):
    """Comma-separated labels, e.g. '维修, 法律'."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 300)
        kwargs.setdefault("help_text", _("Separate with commas, e.g. 维修, 法律咨询"))
        super().__init__(**kwargs)


class ValidateWithCommunityMixin:
    """The community is set on the instance, not typed in the form; still let the
    model check the constraints that involve it (e.g. a phone unique per community)."""

    def _get_validation_exclusions(self):
        exclude = super()._get_validation_exclusions()
        if self.instance.community_id:
            exclude.discard("community")
        return exclude


class CommunityBoundForm(ValidateWithCommunityMixin, forms.ModelForm):
    """A form for a record of one community.

    Staff never choose the community: it is theirs. Area admins choose it.
    Choices of related records (grid cells, units, ...) are limited to what the
    user may see, and the model's `clean()` checks they match the community.
    """

    tag_fields: dict = {}  # form field name -> model m2m field name
    community_path = "community"

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        # An area admin's choices are narrowed to one community on first use (below).
        self._choices_narrowed = not user.can("portal.all_communities") or "community" not in self.fields
        if "community" in self.fields:
            if user.can("portal.all_communities"):
                self.fields["community"].queryset = Community.objects.for_user(user)
            else:
                del self.fields["community"]
                if not self.instance.pk:
                    self.instance.community_id = user.community_id
        for form_name, model_name in self.tag_fields.items():
            if self.instance.pk:
                self.initial[form_name] = tags_to_text(getattr(self.instance, model_name).all())

    def __getitem__(self, name):
        # Every rendering and validation goes through here, after the subclass has set its choices.
        if not self._choices_narrowed:
            self._narrow_choices_to_community()
        return super().__getitem__(name)

    def _narrow_choices_to_community(self):
        """An area admin chooses the record's community: the grid cells, units, members, ...
        offered are that community's (the one chosen in the form, else the record's or the
        `?community=` one), none before one is chosen. Every community's choices made forms
        of several megabytes that took seconds at county scale (10 s for a case)."""
        self._choices_narrowed = True
        community = self.data.get(self.add_prefix("community")) if self.is_bound else None
        community = parse_id(community or self.instance.community_id or self.initial.get("community"))
        for name, field in self.fields.items():
            if name == "community" or not isinstance(field, forms.ModelChoiceField):
                continue
            path = _community_path(field.queryset.model)
            if path is None:
                continue
            condition = Q(**{path: community}) if community else Q(pk__in=[])
            if path == "community_id" and field.queryset.model._meta.get_field("community").null:
                condition |= Q(community__isnull=True)  # built-in records, e.g. event kinds
            # What was submitted stays a valid choice, so that the model's check says what is wrong
            # ("The grid cell must belong to this community.") rather than "Select a valid choice".
            submitted = self.data.getlist(self.add_prefix(name)) if self.is_bound and hasattr(self.data, "getlist") else []
            condition |= Q(pk__in=parse_ids(submitted))
            field.queryset = field.queryset.filter(condition)

    def _save_m2m(self):
        super()._save_m2m()
        for form_name, model_name in self.tag_fields.items():
            getattr(self.instance, model_name).set(tags_from_text(self.cleaned_data.get(form_name, "")))


def _community_path(model):
    """The lookup of a model's community id, or None for records of no community (tags)."""
    names = {f.name for f in model._meta.get_fields()}
    if "community" in names:
        return "community_id"
    if "grid_cell" in names:
        return "grid_cell__community_id"
    return None


def _office_users(user):
    qs = get_user_model().objects.filter(role__in=roles_for("grid.work_in_cells"), is_active=True)
    return scope_to_community(qs, user).order_by("username")


class CommunityForm(forms.ModelForm):
    """A community's details. Area admins also place it in a street of their area;
    the street's name and its district's are then its town and county."""

    class Meta:
        model = Community
        fields = [
            "name", "code", "area", "town", "county", "address", "phone",
            "wish_review_days", "wish_claim_days", "wish_delivery_days", "appeal_answer_days", "complex_answer_days",
            "respond_hours", "urgent_respond_hours",
        ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not user.can("portal.all_communities"):
            del self.fields["area"]  # staff keep their community where it is
            return
        streets = Area.objects.filter(level=Area.Level.STREET).select_related("parent")
        area = area_of(user)
        self.fields["area"].label = _("Belongs to (street in the area tree)")
        self.fields["area"].queryset = streets
        self.fields["area"].label_from_instance = lambda street: f"{street.parent} · {street}" if street.parent_id else str(street)
        if area is not None:
            # Required, else the community would leave their reach; town and county
            # then come from the street.
            self.fields["area"].queryset = streets.within(area)
            self.fields["area"].required = True
            del self.fields["town"], self.fields["county"]
            return
        for name in ("town", "county"):
            self.fields[name].required = False
            self.fields[name].help_text = _("Filled in from the street when one is chosen.")

    def clean(self):
        cleaned = super().clean()
        street = cleaned.get("area")
        if street is not None:
            cleaned["town"] = street.name
            district = street.parent
            while district is not None and district.level != Area.Level.DISTRICT:
                district = district.parent
            cleaned["county"] = district.name if district is not None else street.name
        for name in ("town", "county"):
            if name in self.fields and not cleaned.get(name) and name not in self.errors:
                self.add_error(name, _("Choose the street, or fill this in."))
        return cleaned


class GridCellForm(CommunityBoundForm):
    class Meta:
        model = GridCell
        fields = ["community", "number", "name", "leader", "workers", "households", "population", "boundary"]
        widgets = {"workers": forms.CheckboxSelectMultiple, "boundary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = _office_users(self.user)
        self.fields["workers"].queryset = _office_users(self.user)

    def clean(self):
        cleaned = super().clean()
        community_id = cleaned["community"].pk if cleaned.get("community") else self.instance.community_id
        workers = cleaned.get("workers") or []
        if any(worker.community_id != community_id for worker in workers):
            self.add_error("workers", _("Grid workers must belong to this community."))
        return cleaned


class BuildingForm(CommunityBoundForm):
    class Meta:
        model = Building
        fields = ["grid_cell", "name", "households", "note"]

    def __init__(self, *args, community=None, **kwargs):
        super().__init__(*args, **kwargs)
        cells = GridCell.objects.for_user(self.user).select_related("community")
        self.picked_community_id = None
        if self.user.can("portal.all_communities"):
            cells = self._cells_of_one_community(cells, community)
            self.fields["grid_cell"].label_from_instance = lambda cell: f"{cell.community.name} · {cell}"
        self.fields["grid_cell"].queryset = cells

    def _cells_of_one_community(self, cells, community):
        """The community chosen on the page, else the building's, else that of the cell
        the page was opened from (`?grid_cell=`)."""
        given = [self.initial.get("grid_cell")]
        if self.is_bound:
            given.append(self.data.get(self.add_prefix("grid_cell")))
        given = parse_ids(given)
        if community is not None:
            self.picked_community_id = community.pk
        elif self.instance.grid_cell_id or given:
            cell = self.instance.grid_cell_id or given[0]
            self.picked_community_id = GridCell.objects.filter(pk=cell).values_list("community_id", flat=True).first()
        return cells_of_one_community(cells, self.picked_community_id, keep=given)

    @property
    def needs_community(self) -> bool:
        return self.user.can("portal.all_communities") and not self.picked_community_id and not self.is_bound


class UnitForm(CommunityBoundForm):
    resource_tags_text = TagsField(label=_("Resource tags"))
    tag_fields = {"resource_tags_text": "resource_tags"}

    class Meta:
        model = CoBuildingUnit
        fields = [
            "community",
            "name",
            "kind",
            "party_organization",
            "liaison_name",
            "liaison_phone",
            "agreement_signed_on",
            "resources",
            "resource_tags_text",
            "reported_on",
            "commitments",
            "is_active",
            "inactive_since",
        ]
        widgets = {
            "agreement_signed_on": DATE_WIDGET,
            "reported_on": DATE_WIDGET,
            "inactive_since": DATE_WIDGET,
            "resources": forms.Textarea(attrs={"rows": 3}),
            "commitments": forms.Textarea(attrs={"rows": 3}),
        }


def phone_field(**attrs):
    # Wider than the 11 digits stored: people type "138 0000 1234" or "138-0000-1234".
    return forms.CharField(
        label=_("Mobile phone"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", **attrs}),
    )


class MemberFieldsMixin:
    """Choices and cleaning shared by the staff form and the public registration form."""

    def limit_choices(self, community_id=None):
        cells = GridCell.objects.select_related("community")
        buildings = Building.objects.select_related("grid_cell")
        # Active units, and the member's own even after it left: editing the member keeps it.
        units = CoBuildingUnit.objects.filter(Q(is_active=True) | Q(pk=self.instance.employer_unit_id))
        if community_id is not None:
            cells = cells.filter(community_id=community_id)
            buildings = buildings.filter(grid_cell__community_id=community_id)
            units = units.filter(community_id=community_id)
        self.fields["grid_cell"].queryset = cells
        self.fields["building"].queryset = buildings
        self.fields["building"].label_from_instance = lambda building: f"{building.grid_cell.name} · {building.name}"
        self.fields["employer_unit"].queryset = units

    def clean_phone(self):
        return normalize_phone(self.cleaned_data.get("phone", "")).replace("-", "")

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("employer_unit") and not cleaned.get("employer_name"):
            self.add_error("employer_name", _("Choose the employer unit or type the employer's name."))
        community_id = cleaned["community"].pk if cleaned.get("community") else self.instance.community_id
        phone = cleaned.get("phone")
        if phone and community_id:
            taken = PartyMember.objects.filter(community_id=community_id, phone=phone)
            if taken.exclude(pk=self.instance.pk).exists():
                self.add_error("phone", self.phone_taken_message)
        return cleaned


class MemberForm(MemberFieldsMixin, CommunityBoundForm):
    phone = phone_field(autocomplete="off")
    phone_taken_message = _("A member with this phone number is already registered in this community.")
    skills_text = TagsField(label=_("Skills and specialties"))
    tag_fields = {"skills_text": "skills"}

    class Meta:
        model = PartyMember
        fields = [
            "community",
            "name",
            "gender",
            "phone",
            "employer_unit",
            "employer_name",
            "grid_cell",
            "building",
            "skills_text",
            "joined_party_year",
            "registered_on",
            "reported_on",
            "is_active",
            "inactive_since",
            "note",
        ]
        widgets = {
            "registered_on": DATE_WIDGET,
            "reported_on": DATE_WIDGET,
            "inactive_since": DATE_WIDGET,
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_choices(None if self.user.can("portal.all_communities") else self.user.community_id)


class MemberRegistrationForm(MemberFieldsMixin, ValidateWithCommunityMixin, forms.ModelForm):
    """The public form an in-service member fills in to report to the community."""

    phone_taken_message = _("This phone number is already registered here. Please call the community office.")

    phone = phone_field(autocomplete="tel")
    skills_text = TagsField(label=_("Skills and specialties"))
    consent = forms.BooleanField(
        label=_(
            "I agree that the community office keeps my name, phone, employer and address "
            "to organise party members' service here."
        ),
        error_messages={"required": _("Please agree so that the community can register you.")},
    )

    class Meta:
        model = PartyMember
        fields = ["name", "gender", "phone", "employer_unit", "employer_name", "grid_cell", "building", "skills_text"]
        widgets = {"gender": forms.RadioSelect}

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.community = community
        self.instance.source = PartyMember.Source.SELF
        self.limit_choices(community.pk)
        self.fields["grid_cell"].required = True
        self.fields["gender"].choices = PartyMember.Gender.choices  # radio buttons, no blank one
        self.fields["employer_unit"].empty_label = _("— not a co-building unit —")

    def _save_m2m(self):
        super()._save_m2m()
        self.instance.skills.set(tags_from_text(self.cleaned_data.get("skills_text", "")))


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )
    community = forms.ModelChoiceField(queryset=Community.objects.none(), label=_("Community"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.can("portal.all_communities"):
            self.fields["community"].queryset = Community.objects.for_user(user)
        else:
            del self.fields["community"]
        self.user = user

    def clean_file(self):
        from django.conf import settings

        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Please upload an Excel file ending in .xlsx."))
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("The file is too large (at most 5 MB)."))
        return upload

    def target_community(self):
        return self.cleaned_data.get("community") or self.user.community
