from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.utils.translation import gettext_lazy as _

from .models import User


class InitialPasswordChangeForm(AdminPasswordChangeForm):
    """An administrator sets another user's password: it is an initial password,
    which its user must replace at the next login (portal/identity.py)."""

    def save(self, commit=True):
        self.user.must_change_password = True
        return super().save(commit=commit)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "full_name", "role", "community", "unit", "is_active", "last_login"]
    list_filter = ["role", "community", "is_active", "is_superuser"]
    search_fields = ["username", "full_name", "email"]
    list_select_related = ["community", "unit"]
    autocomplete_fields = ["community", "unit"]
    readonly_fields = ["password_changed_at"]
    change_password_form = InitialPasswordChangeForm
    fieldsets = BaseUserAdmin.fieldsets + (
        (_("Role in the portal"), {"fields": ["full_name", "role", "community", "unit"]}),
        (_("Password"), {"fields": ["must_change_password", "password_changed_at"]}),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        (_("Role in the portal"), {"fields": ["full_name", "role", "community", "unit"]}),
    )

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
