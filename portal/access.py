"""Who may see what: roles and community scoping shared by every app.

Two rules hold everywhere:
- a page the user's role may not see answers 403 (anonymous users are sent
  to the login page first);
- an object outside the user's community answers 404, because staff should
  not even learn that it exists. Area admins see every community.

Apps build their own scoped querysets (`Model.objects.for_user(user)`) on
`scope_to_community`, and look objects up with `get_for_user`.
"""

from functools import wraps

from django.contrib.auth.mixins import AccessMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from portal.models import User

Role = User.Role
OFFICE_ROLES = (Role.AREA_ADMIN, Role.STAFF)
GRID_ROLES = (Role.AREA_ADMIN, Role.STAFF, Role.GRID_WORKER)


def scope_to_community(queryset, user, field="community"):
    """Limit `queryset` to the user's community (`field` is the lookup path)."""
    if not user.is_authenticated:
        return queryset.none()
    if user.role == Role.AREA_ADMIN:
        return queryset
    if user.community_id is None:
        return queryset.none()
    return queryset.filter(**{field: user.community_id})


def get_for_user(queryset, **lookup):
    """Fetch one object from an already scoped queryset, or answer 404."""
    return get_object_or_404(queryset, **lookup)


def check_role(user, roles):
    if user.role not in roles:
        raise PermissionDenied


def role_required(*roles):
    """Function-view decorator: login first, then 403 unless the role is allowed."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            check_role(request.user, roles)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class RoleRequiredMixin(AccessMixin):
    """Class-based-view twin of `role_required`."""

    allowed_roles: tuple = OFFICE_ROLES

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        check_role(request.user, self.allowed_roles)
        return super().dispatch(request, *args, **kwargs)
