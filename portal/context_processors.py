from portal.access import Role


def navigation(request):
    """What the navigation bar offers depends on the user's role."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_role": None}
    return {
        "nav_role": user.role,
        "nav_is_office": user.role in (Role.AREA_ADMIN, Role.STAFF),
        "nav_is_grid_worker": user.role == Role.GRID_WORKER,
        "nav_is_member": user.role == Role.MEMBER,
        "nav_is_liaison": user.role == Role.LIAISON,
    }
