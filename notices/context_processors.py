from notices.services import unread_count


def inbox(request):
    """The unread badge of the navigation bar (cached: no query on most pages)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"inbox_unread": unread_count(user)}
