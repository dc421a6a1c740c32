"""Forms of the staff and member wish pages (the public form is `forms.WishForm`)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from grid.models import Building, GridCell
from portal.consent import PaperConsentMixin, paper_consent_field
from portal.uploads import SafeImageField

from .forms import WishForm
from .models import MicroWish


class ProxyWishForm(PaperConsentMixin, WishForm):
    """A wish entered by staff or a grid worker for a resident (代办).

    The resident gives consent by word of mouth: instead of the public consent
    box, the staff member attests that the resident agreed; and, when the
    resident signed the paper notice, that they gave the separate consent to
    sensitive information (portal/consent.py).
    """

    resident_agreed = forms.BooleanField(
        label=_("The resident agreed to record their information"),
        help_text=_("Read the resident what is recorded and who sees it, and ask them."),
    )
    paper_consent = paper_consent_field()

    class Meta(WishForm.Meta):
        labels = {
            **WishForm.Meta.labels,
            "wisher_name": _("Resident's name"),
            "sms_consent": _("The resident wants text messages about it"),
            "title": _("The wish, in a few words"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wisher_phone"].label = _("Resident's mobile phone")


class WishPlaceMixin:
    """Grid cell and building choices limited to the wish's community, and a
    building that must lie in the chosen grid cell."""

    def limit_place_choices(self, community_id):
        self.fields["grid_cell"].queryset = GridCell.objects.filter(community_id=community_id)
        self.fields["building"].queryset = Building.objects.filter(grid_cell__community_id=community_id).select_related(
            "grid_cell"
        )
        self.fields["building"].label_from_instance = lambda b: f"{b.grid_cell.name} · {b.name}"

    def clean(self):
        cleaned = super().clean()
        cell, building = cleaned.get("grid_cell"), cleaned.get("building")
        if building and not cell:
            cleaned["grid_cell"] = cell = building.grid_cell
        if cell and building and building.grid_cell_id != cell.pk:
            self.add_error("building", _("This building is not in the chosen grid cell."))
        return cleaned


class ApproveForm(WishPlaceMixin, forms.Form):
    """Publish, correcting category and place in the same step if needed."""

    category = forms.ChoiceField(label=_("Category"), choices=MicroWish.Category.choices)
    grid_cell = forms.ModelChoiceField(label=_("Grid cell"), queryset=GridCell.objects.none(), required=False)
    building = forms.ModelChoiceField(label=_("Building"), queryset=Building.objects.none(), required=False)

    def __init__(self, *args, wish, **kwargs):
        kwargs.setdefault(
            "initial", {"category": wish.category, "grid_cell": wish.grid_cell_id, "building": wish.building_id}
        )
        super().__init__(*args, **kwargs)
        self.wish = wish
        self.limit_place_choices(wish.community_id)

    def corrections(self) -> dict:
        """Keyword arguments for `services.wish_approve`: only what the reviewer changed."""
        data = self.cleaned_data
        changes = {}
        if data["category"] != self.wish.category:
            changes["category"] = data["category"]
        cell, building = data.get("grid_cell"), data.get("building")
        if cell is not None and (cell.pk != self.wish.grid_cell_id or getattr(building, "pk", None) != self.wish.building_id):
            changes["grid_cell"] = cell
            changes["building"] = building
        return changes


class WishEditForm(WishPlaceMixin, forms.ModelForm):
    """Staff correct a wish before it is claimed."""

    class Meta:
        model = MicroWish
        fields = ["category", "grid_cell", "building", "address_detail", "title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3, "maxlength": 500})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_place_choices(self.instance.community_id)
        self.fields["grid_cell"].required = True
        self.fields["category"].choices = MicroWish.Category.choices


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        error_messages={"required": _("Please give the reason; the resident will see it.")},
        help_text=_("The resident sees it when they check the wish with the tracking code."),
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 200}),
    )


class CancelClaimForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the claim given back?"),
        max_length=200,
        widget=forms.TextInput,
        error_messages={"required": _("Please say why the claim is cancelled.")},
    )


class DeliverForm(forms.Form):
    note = forms.CharField(
        label=_("What was done"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 500}),
        help_text=_("For example: the school bag was brought to the family on Saturday."),
    )
    photo = SafeImageField(label=_("Photo (optional)"), required=False)


class ConfirmForm(forms.Form):
    thank_you = forms.CharField(
        label=_("The resident's words of thanks (optional)"),
        max_length=200,
        required=False,
        widget=forms.TextInput,
    )
