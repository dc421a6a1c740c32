from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from .models import Area, Community, RoleGrant, User


class _ShowsOnlyPossibleIds:
    """An autocomplete widget that shows again only the submitted values that can be
    ids of its table. A form sent back with an error shows what was chosen, and
    Django's widget looks it up with `id__in=[what was sent]`: "abc" failed there
    (ValueError, a 500) instead of the form saying "Select a valid choice"."""

    def optgroups(self, name, value, attr=None):
        model = self.field.remote_field.model
        to_field = model._meta.get_field(getattr(self.field.remote_field, "field_name", None) or model._meta.pk.name)
        return super().optgroups(name, [item for item in value if _is_possible(to_field, item)], attr)


def _is_possible(field, value) -> bool:
    try:
        field.to_python(value)
    except ValidationError:
        return False
    return True


class PossibleIdsSelect(_ShowsOnlyPossibleIds, AutocompleteSelect):
    pass


class PossibleIdsSelectMultiple(_ShowsOnlyPossibleIds, AutocompleteSelectMultiple):
    pass


class AutocompleteIdsMixin:
    """For every ModelAdmin and inline of the portal: its `autocomplete_fields` use the
    widgets above (portal/tests/test_form_fuzz.py checks that all do)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = PossibleIdsSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = PossibleIdsSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows the portal writes itself, shown in admin but never added, changed or removed
    there (the security log, the events' tallies)."""

    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class BoundedInlineFormSet(BaseInlineFormSet):
    """The formset of every inline: at most ADDED_AT_MOST forms beyond the records it
    shows. Django's bound is 2,000 (max_num + 1,000): a page sent back with
    TOTAL_FORMS=10**30 rendered 2,000 inline forms, 30 s to minutes of a worker
    (gunicorn's timeout is 60 s), to say "Please submit at most 1000 forms"."""

    ADDED_AT_MOST = 100

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_num = self.absolute_max = min(self.absolute_max, len(self.get_queryset()) + self.ADDED_AT_MOST)


class InitialPasswordChangeForm(AdminPasswordChangeForm):
    """An administrator sets another user's password: it is an initial password,
    which its user must replace at the next login (portal/identity.py)."""

    def save(self, commit=True):
        self.user.must_change_password = True
        return super().save(commit=commit)


class RoleGrantInline(AutocompleteIdsMixin, admin.TabularInline):
    """The roles the person may switch to (My roles); the role acted in now is kept among them."""

    model = RoleGrant
    extra = 0
    fields = ["role", "community", "unit", "area", "created_at"]
    readonly_fields = ["created_at"]
    autocomplete_fields = ["community", "unit", "area"]


@admin.register(RoleGrant)
class RoleGrantAdmin(AutocompleteIdsMixin, admin.ModelAdmin):
    """Every role every person holds (also on each user's page)."""

    list_display = ["user", "role", "community", "area", "unit", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__full_name", "community__name", "area__name"]
    autocomplete_fields = ["user", "community", "unit", "area"]
    list_select_related = ["user", "community", "area", "unit"]


@admin.register(User)
class UserAdmin(AutocompleteIdsMixin, BaseUserAdmin):
    list_display = ["username", "full_name", "role", "community", "area", "unit", "is_active", "last_login"]
    list_filter = ["role", "community", "is_active", "is_superuser"]
    search_fields = ["username", "full_name", "email"]
    list_select_related = ["community", "area", "unit"]
    autocomplete_fields = ["community", "area", "unit"]
    readonly_fields = ["password_changed_at"]
    change_password_form = InitialPasswordChangeForm
    fieldsets = BaseUserAdmin.fieldsets + (
        (_("Role in the portal"), {"fields": ["full_name", "role", "community", "area", "unit"]}),
        (_("Password"), {"fields": ["must_change_password", "password_changed_at"]}),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        (_("Role in the portal"), {"fields": ["full_name", "role", "community", "area", "unit"]}),
    )

    def get_inlines(self, request, obj):
        # A new account holds the role of its form; more roles are added once it exists.
        return [RoleGrantInline] if obj is not None else []

    def save_model(self, request, obj, form, change):
        if not change:
            # The password typed in the add form is given to the user by someone
            # else: they choose their own at the first login.
            obj.must_change_password = True
        super().save_model(request, obj, form, change)

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302 and str(request.user.pk) == str(id):
            # An administrator who set their own password here chose it themselves.
            User.objects.filter(pk=request.user.pk).update(must_change_password=False)
        return response


@admin.register(Area)
class AreaAdmin(AutocompleteIdsMixin, admin.ModelAdmin):
    """The tree of areas (city > district > street) above the communities."""

    list_display = ["name", "code", "level", "parent", "path"]
    list_filter = ["level"]
    search_fields = ["name", "code", "path"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]
    readonly_fields = ["path"]


@admin.register(Community)
class CommunityAdmin(AutocompleteIdsMixin, admin.ModelAdmin):
    list_display = ["name", "code", "area", "town", "county"]
    list_filter = ["county", "town"]
    search_fields = ["name", "code", "town", "county", "area__name"]
    autocomplete_fields = ["area"]
    list_select_related = ["area"]
