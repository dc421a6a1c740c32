import pytest
from django.conf import settings as django_settings

from wishes.models import MicroWish
from wishes.services import wish_approve, wish_claim, wish_deliver, wish_submit


@pytest.fixture(autouse=True)
def english(client):
    """Pages in English, so that tests can read the messages whatever the translations say."""
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def make_wish(community_a, cell_a):
    """`make_wish(status=...)` builds a wish and walks it to that status through the services."""

    def _make(status="submitted", *, staff=None, claimer=None, community=None, cell=None, **fields):
        data = {
            "community": community or community_a,
            "grid_cell": cell if cell is not None else (cell_a if community is None else None),
            "category": MicroWish.Category.STUDY,
            "title": "给孙子买一个书包",
            "description": "孙子今年上一年级。",
            "wisher_name": "王秀英",
            "wisher_phone": "13700001111",
        }
        data.update(fields)
        wish = wish_submit(wish=MicroWish(**data))
        order = ["submitted", "open", "claimed", "delivered", "fulfilled"]
        if status == "rejected":
            from wishes.services import wish_reject

            return wish_reject(wish=wish, by=staff, reason="不属于微心愿范围")
        target = order.index(status)
        if target >= 1:
            wish = wish_approve(wish=wish, by=staff)
        if target >= 2:
            wish = wish_claim(wish=wish, by=claimer)
        if target >= 3:
            wish = wish_deliver(wish=wish, by=claimer, note="书包已送到")
        if target >= 4:
            from wishes.services import wish_confirm

            wish = wish_confirm(wish=wish, thank_you="谢谢！")
        return wish

    return _make
