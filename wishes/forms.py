from django import forms
from django.utils.translation import gettext_lazy as _

from grid.forms import phone_field
from grid.models import Building, GridCell
from portal.uploads import SafeImageField
from portal.validators import normalize_phone

from .models import MicroWish


class WishForm(forms.ModelForm):
    """The wish itself: who, where, what. Used by the public form (with consent)
    and by staff entering a wish for a resident (代办)."""

    wisher_phone = phone_field(autocomplete="tel")
    photo = SafeImageField(label=_("Photo (optional)"), required=False)

    class Meta:
        model = MicroWish
        fields = [
            "wisher_name", "wisher_phone", "sms_consent", "grid_cell", "building", "address_detail", "category", "title",
            "description", "photo",
        ]
        labels = {
            "wisher_name": _("Your name"),
            "sms_consent": _("Tell me by text message how my request goes (each message says how to stop them)"),
            "title": _("Your wish, in a few words"),
            "description": _("Tell us a little more (optional)"),
            "address_detail": _("Address detail (optional)"),
        }
        help_texts = {
            "sms_consent": "",  # the label says it all (the model's help is for staff and admin)
            "title": _("For example: a school bag for my grandson; fix the light in the stairwell."),
            "address_detail": _("Only staff see it, e.g. unit and room number."),
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3, "maxlength": 500}),
            "category": forms.RadioSelect,
        }

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.community = community
        self.instance.community = community
        self.fields["grid_cell"].queryset = GridCell.objects.filter(community=community)
        self.fields["grid_cell"].required = True
        self.fields["building"].queryset = Building.objects.filter(grid_cell__community=community).select_related("grid_cell")
        self.fields["building"].label_from_instance = lambda b: f"{b.grid_cell.name} · {b.name}"
        self.fields["category"].choices = MicroWish.Category.choices  # radio buttons, no blank one

    def clean_wisher_phone(self):
        return normalize_phone(self.cleaned_data.get("wisher_phone", "")).replace("-", "")

    def clean(self):
        cleaned = super().clean()
        cell, building = cleaned.get("grid_cell"), cleaned.get("building")
        if cell and building and building.grid_cell_id != cell.pk:
            self.add_error("building", _("This building is not in the chosen grid cell."))
        return cleaned


# Public forms ---------------------------------------------------------------
# Used by the residents' pages in views_public.py (no account, phones).

from portal.consent import SensitiveConsentMixin, sensitive_consent_field  # noqa: E402
from portal.tracking import TrackingForm  # noqa: E402


class PublicWishForm(SensitiveConsentMixin, WishForm):
    """A resident's own wish: the wish form, plus consent (general, and separate
    for sensitive information: portal/consent.py) and a honeypot."""

    consent_matter = _("micro-wish")

    consent = forms.BooleanField(
        label=_(
            "I agree that the community office keeps my name, phone and address to arrange help "
            "with this wish. The wish wall shows only my wish, my grid cell and the first character of my name."
        ),
        error_messages={"required": _("Please tick this box so that the community can help you.")},
    )
    sensitive_consent = sensitive_consent_field()
    # Honeypot: people never see it (hidden by the template), form-filling robots fill it in.
    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    HONEYPOT = "website"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photo"].help_text = _("A photo can help, for example of the broken lamp.")
        self.fields["grid_cell"].empty_label = _("Choose your grid cell")
        self.fields["grid_cell"].help_text = _("Not sure? Choose the one nearest to you; the staff will correct it.")
        self.fields["building"].empty_label = _("Not listed / not sure")
        self.show_consent_notice(self.community)

    @classmethod
    def is_spam(cls, data) -> bool:
        return bool((data.get(cls.HONEYPOT) or "").strip())


class TrackForm(TrackingForm):
    code_help = _("The code you got when you made the wish, e.g. ABCDE-FGH23.")


class ConfirmWishForm(forms.Form):
    """The resident confirms that a delivered wish came true."""

    thank_you = forms.CharField(
        label=_("A thank-you note (optional)"),
        max_length=200,
        required=False,
        help_text=_("It is shown on the wish wall."),
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 200}),
    )


class WallFilterForm(forms.Form):
    """Filters of the public wish wall. Each bad value is simply ignored."""

    c = forms.ChoiceField(label=_("Community"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    cell = forms.ModelChoiceField(label=_("Grid cell"), queryset=GridCell.objects.none(), required=False)

    def __init__(self, *args, communities, cells=None, **kwargs):
        super().__init__(*args, **kwargs)
        if len(communities) > 1:
            self.fields["c"].choices = [("", _("All"))] + [(c.code, c.name) for c in communities]
        else:
            del self.fields["c"]
        self.fields["category"].choices = [("", _("All"))] + list(MicroWish.Category.choices)
        if cells is None:  # several communities and none chosen: no cell filter
            del self.fields["cell"]
        else:
            self.fields["cell"].queryset = cells
            self.fields["cell"].empty_label = _("All")
            self.fields["cell"].label_from_instance = lambda cell: cell.name
