from portal.permissions import Reach, reach


def navigation(request):
    """What the navigation bar offers depends on how far the user's role reaches."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    where = reach(user)
    return {
        "nav_is_office": where in (Reach.ALL, Reach.COMMUNITY),
        "nav_is_grid_worker": where is Reach.CELLS,
        "nav_is_member": where is Reach.OWN,
        "nav_is_liaison": where is Reach.UNIT,
    }
