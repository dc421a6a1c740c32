"""Form pieces shared by every app."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.models import Community

# A day as the phone's and the browser's own date picker shows it.
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CommunityChoiceForm(forms.Form):
    """Area admins belong to no community: they pick the one they work on (`?community=<pk>`)."""

    community = forms.ModelChoiceField(queryset=Community.objects.order_by("name"), label=_("Community"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # An area admin of an area: the communities of its subtree only.
        self.fields["community"].queryset = Community.objects.for_user(user).order_by("name")
