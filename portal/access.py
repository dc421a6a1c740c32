"""Community scoping shared by every app (who may do what: portal/permissions.py).

Two rules hold everywhere:
- a page the user's role may not see answers 403 (anonymous users are sent
  to the login page first);
- an object outside the user's community answers 404, because staff should
  not even learn that it exists. Area admins see every community of their area
  (all of them when they have none).

Apps build their own scoped querysets (`Model.objects.for_user(user)`) on
`scope_to_community`, and look objects up with `get_for_user`.
"""

from django.shortcuts import get_object_or_404

from portal.models import Community
from portal.permissions import Reach, Role, area_of, reach

__all__ = ["Role", "get_for_user", "scope_to_community"]


def scope_to_community(queryset, user, field="community"):
    """Limit `queryset` to the user's community (`field` is the lookup path)."""
    if not user.is_authenticated:
        return queryset.none()
    if reach(user) is Reach.ALL:
        area = area_of(user)
        if area is None:
            return queryset
        # One subquery, no extra round trip: the communities of the area's subtree.
        return queryset.filter(**{f"{field}__in": Community.objects.in_area(area).values("pk")})
    if user.community_id is None:
        return queryset.none()
    return queryset.filter(**{field: user.community_id})


def get_for_user(queryset, **lookup):
    """Fetch one object from an already scoped queryset, or answer 404."""
    return get_object_or_404(queryset, **lookup)
