"""Forms of the public calendar and of members' check-in."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from grid.models import GridCell

from .models import CHECKIN_ALPHABET, EventKind

CHECKIN_CODE_LENGTH = 6
# The words of services.event_check_in for a wrong code: one message for every wrong or unknown code.
WRONG_CODE_MESSAGE = _("The check-in code is not right. Please look at the code shown at the venue.")


def normalize_checkin_code(value) -> str:
    """`ab c12 3` -> `ABC123`: what people type from a poster, spaces and case ignored."""
    return "".join(ch for ch in str(value or "").upper() if ch.isalnum())


class CalendarFilterForm(forms.Form):
    """Filters of the public calendar. Each bad value is simply ignored."""

    c = forms.ChoiceField(label=_("Community"), required=False)
    kind = forms.ModelChoiceField(label=pgettext_lazy("event", "Kind"), queryset=EventKind.objects.none(), required=False)
    cell = forms.ModelChoiceField(label=_("Grid cell"), queryset=GridCell.objects.none(), required=False)

    def __init__(self, *args, communities, community=None, **kwargs):
        super().__init__(*args, **kwargs)
        if len(communities) > 1:
            self.fields["c"].choices = [("", _("All"))] + [(c.code, c.name) for c in communities]
        else:
            del self.fields["c"]
        if community is None:  # several communities and none chosen: built-in kinds, no cell filter
            self.fields["kind"].queryset = EventKind.objects.filter(community__isnull=True, is_active=True)
            del self.fields["cell"]
        else:
            self.fields["kind"].queryset = EventKind.objects.for_community(community.pk)
            self.fields["cell"].queryset = GridCell.objects.filter(community=community)
            self.fields["cell"].empty_label = _("All")
            self.fields["cell"].label_from_instance = lambda cell: cell.name
        self.fields["kind"].empty_label = _("All")


class CheckInForm(forms.Form):
    """The code shown at the venue, typed on a phone."""

    code = forms.CharField(
        label=_("Enter the code shown at the venue"),
        max_length=20,
        help_text=_("6 letters and digits, e.g. K7M2QX."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "autocorrect": "off",
                "spellcheck": "false",
                "autofocus": True,
                "class": "checkin-input",
            }
        ),
    )

    def clean_code(self):
        code = normalize_checkin_code(self.cleaned_data["code"])
        if len(code) != CHECKIN_CODE_LENGTH or any(ch not in CHECKIN_ALPHABET for ch in code):
            raise forms.ValidationError(WRONG_CODE_MESSAGE)
        return code
