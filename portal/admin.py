from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "full_name", "role", "community", "unit", "is_active", "last_login"]
    list_filter = ["role", "community", "is_active", "is_superuser"]
    search_fields = ["username", "full_name", "email"]
    list_select_related = ["community", "unit"]
    autocomplete_fields = ["unit"]
    fieldsets = BaseUserAdmin.fieldsets + (
        (_("Role in the portal"), {"fields": ["full_name", "role", "community", "unit"]}),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        (_("Role in the portal"), {"fields": ["full_name", "role", "community", "unit"]}),
    )
