"""Form pieces shared by every app."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.models import Community
from portal.resident_requests import Rating

# A day as the phone's and the browser's own date picker shows it.
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CommunityChoiceForm(forms.Form):
    """Area admins belong to no community: they pick the one they work on (`?community=<pk>`)."""

    community = forms.ModelChoiceField(queryset=Community.objects.order_by("name"), label=_("Community"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # An area admin of an area: the communities of its subtree only.
        self.fields["community"].queryset = Community.objects.for_user(user).order_by("name")


class RatingForm(forms.Form):
    """The resident's rating of the outcome (portal.resident_requests.rate), on the
    tracking page, or entered by staff from a call back."""

    rating = forms.ChoiceField(
        label=_("How satisfied are you with the result?"),
        choices=Rating.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose one of the answers.")},
    )
    comment = forms.CharField(
        label=_("Anything to add (optional)"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 300}),
    )
