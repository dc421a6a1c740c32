"""Identity (身份鉴别): the first-login password change, password age, the
`createadmin` command, accounts added in Django admin."""

import datetime
import io

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation

from conftest import PASSWORD, make_user
from portal.identity import password_expired
from portal.models import Community, User

MIDDLEWARE = "portal.identity.PasswordChangeRequiredMiddleware"
NEW_PASSWORD = "Shequ-mima-2024"


@pytest.fixture(autouse=True)
def identity_middleware(settings, client):
    """The middleware as settings.MIDDLEWARE lists it (after the messages)."""
    if MIDDLEWARE not in settings.MIDDLEWARE:
        middleware = list(settings.MIDDLEWARE)
        middleware.insert(middleware.index("django.contrib.messages.middleware.MessageMiddleware") + 1, MIDDLEWARE)
        settings.MIDDLEWARE = middleware
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


# First login ---------------------------------------------------------------------------------


@pytest.fixture
def newcomer(community_a):
    return make_user("newcomer", User.Role.STAFF, community_a, must_change_password=True)


def test_a_user_with_an_initial_password_is_sent_to_the_change_page(client, newcomer):
    client.force_login(newcomer)
    for url in [reverse("office:dashboard"), reverse("wishes:list"), reverse("privacy:resident"), "/admin/"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == reverse("portal:password_change"), url
    response = client.get(reverse("office:dashboard"), follow=True)
    assert response.status_code == 200
    assert any("choose your own password" in message for message in messages_of(response))


def test_posts_elsewhere_are_refused_too(client, newcomer, cell_a):
    client.force_login(newcomer)
    response = client.post(reverse("grid:appeal_record"), {"title": "x"})
    assert response.status_code == 302 and response["Location"] == reverse("portal:password_change")


def test_the_change_page_logout_language_and_static_files_stay_open(client, newcomer):
    client.force_login(newcomer)
    assert client.get(reverse("portal:password_change")).status_code == 200
    assert client.get(reverse("portal:password_change_done")).status_code == 200
    response = client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert response["Location"] == "/"
    response = client.post(reverse("portal:logout"))
    assert response.status_code == 302 and response["Location"] == reverse("office:home")


def test_public_pages_are_not_affected_for_anonymous_visitors(client, newcomer, community_a):
    assert client.get(reverse("wishes:new")).status_code == 200


def test_after_the_change_the_user_goes_on_and_the_flag_is_cleared(client, newcomer):
    client.force_login(newcomer)
    before = timezone.now()
    response = client.post(
        reverse("portal:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302 and response["Location"] == reverse("portal:password_change_done")
    newcomer.refresh_from_db()
    assert newcomer.must_change_password is False
    assert newcomer.password_changed_at >= before
    assert newcomer.check_password(NEW_PASSWORD)
    assert client.get(reverse("office:dashboard")).status_code == 200  # still signed in, and let through


def test_a_weak_new_password_is_refused_and_the_flag_stays(client, newcomer):
    client.force_login(newcomer)
    response = client.post(
        reverse("portal:password_change"),
        {"old_password": PASSWORD, "new_password1": "abcdefgh123", "new_password2": "abcdefgh123"},
    )
    assert response.status_code == 200 and response.context["form"].errors
    newcomer.refresh_from_db()
    assert newcomer.must_change_password is True


def test_users_without_the_flag_are_let_through(client, staff_a):
    client.force_login(staff_a)
    assert client.get(reverse("office:dashboard")).status_code == 200


# Password change time ------------------------------------------------------------------------


def test_the_password_change_time_follows_every_change(community_a):
    user = make_user("someone", User.Role.STAFF, community_a)
    assert user.password_changed_at is not None  # created with a password
    earlier = timezone.now() - datetime.timedelta(days=30)
    User.objects.filter(pk=user.pk).update(password_changed_at=earlier)
    user.refresh_from_db()
    user.set_password(NEW_PASSWORD)
    user.save()
    user.refresh_from_db()
    assert user.password_changed_at > earlier


def test_a_user_created_without_a_password_has_no_change_time(db):
    user = User.objects.create_user("nopass", role=User.Role.AREA_ADMIN)
    assert user.password_changed_at is None


# Password age ------------------------------------------------------------------------------


def _age(user, days):
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - datetime.timedelta(days=days))
    user.refresh_from_db()
    return user


def test_password_age_is_off_by_default(client, staff_a, settings):
    assert getattr(settings, "PASSWORD_MAX_AGE_DAYS", 0) == 0
    client.force_login(_age(staff_a, 5000))
    assert client.get(reverse("office:dashboard")).status_code == 200


@pytest.mark.parametrize(
    "actor,sent",
    [("staff_a", True), ("area_admin", True), ("grid_worker_a", True), ("member_user_a", False), ("liaison_a", False)],
)
def test_an_old_password_of_an_office_account_must_be_changed(db, client, request, settings, actor, sent):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    user = _age(request.getfixturevalue(actor), 91)
    client.force_login(user)
    response = client.get(reverse("office:dashboard"))
    is_sent = response.status_code == 302 and response["Location"] == reverse("portal:password_change")
    assert is_sent is sent
    if sent:
        response = client.get(reverse("portal:password_change"))
        assert any("more than 90 days old" in message for message in messages_of(response))


def test_a_password_younger_than_the_limit_is_fine(client, staff_a, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    client.force_login(_age(staff_a, 89))
    assert client.get(reverse("office:dashboard")).status_code == 200


def test_changing_an_old_password_lets_the_user_go_on(client, staff_a, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    client.force_login(_age(staff_a, 200))
    client.post(
        reverse("portal:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert client.get(reverse("office:dashboard")).status_code == 200


def test_an_unknown_change_time_counts_from_the_account_creation(staff_a, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    User.objects.filter(pk=staff_a.pk).update(password_changed_at=None, date_joined=timezone.now() - datetime.timedelta(days=100))
    staff_a.refresh_from_db()
    assert password_expired(staff_a)
    User.objects.filter(pk=staff_a.pk).update(date_joined=timezone.now())
    staff_a.refresh_from_db()
    assert not password_expired(staff_a)


# createadmin ---------------------------------------------------------------------------------


class _TTY(io.StringIO):
    def isatty(self):
        return True


def createadmin(*args, stdin="", passwords=None, monkeypatch=None):
    out = io.StringIO()
    if passwords is not None:
        answers = iter(passwords)
        monkeypatch.setattr("getpass.getpass", lambda prompt="Password: ": next(answers))
        stdin = _TTY()
    else:
        stdin = io.StringIO(stdin)
    with translation.override("en"):
        call_command("createadmin", *args, stdin=stdin, stdout=out)
    return out.getvalue()


def test_createadmin_asks_twice_at_a_terminal(community_a, monkeypatch):
    out = createadmin("--username", "wang", "--community", "shahejie", "--full-name", "王主任",
                      passwords=[NEW_PASSWORD, NEW_PASSWORD], monkeypatch=monkeypatch)
    user = User.objects.get(username="wang")
    assert "Created" in out and "shahejie" in out
    assert user.role == User.Role.STAFF and user.community == community_a and user.full_name == "王主任"
    assert user.check_password(NEW_PASSWORD)
    assert user.must_change_password is False and user.password_changed_at is not None
    assert not user.is_staff and not user.is_superuser


def test_createadmin_refuses_two_different_passwords(community_a, monkeypatch):
    with pytest.raises(CommandError, match="differ"):
        createadmin("--username", "wang", "--community", "shahejie", passwords=[NEW_PASSWORD, NEW_PASSWORD + "x"],
                    monkeypatch=monkeypatch)
    assert not User.objects.filter(username="wang").exists()


def test_createadmin_reads_the_password_from_a_pipe(db):
    createadmin("--username", "chief", "--role", "area_admin", stdin=NEW_PASSWORD + "\n")
    user = User.objects.get(username="chief")
    assert user.role == User.Role.AREA_ADMIN and user.community is None
    assert user.is_staff and user.is_superuser and user.check_password(NEW_PASSWORD)


def test_createadmin_makes_an_auditor(db):
    createadmin("--username", "shenji", "--role", "auditor", stdin=NEW_PASSWORD + "\n")
    user = User.objects.get(username="shenji")
    assert user.role == User.Role.AUDITOR and user.community is None and not user.is_staff


@pytest.mark.parametrize(
    "password,message",
    [
        ("short1A", "too short"),
        ("abcdefgh123", "at least 3 of these 4 kinds"),
        ("12345678901234", "entirely numeric"),
        ("Wangxiaoming-1", "too similar"),
    ],
)
def test_createadmin_refuses_weak_passwords_with_the_validators_messages(community_a, password, message):
    with pytest.raises(CommandError, match="too weak") as error:
        createadmin("--username", "wangxiaoming", "--community", "shahejie", stdin=password + "\n")
    assert message in str(error.value)
    assert not User.objects.filter(username="wangxiaoming").exists()


@pytest.mark.parametrize(
    "args,message",
    [
        (["--username", "a1"], "--community CODE is required"),
        (["--username", "a1", "--community", "nowhere"], "No community"),
        (["--username", "a1", "--role", "auditor", "--community", "shahejie"], "belong to no community"),
        (["--username", "staff_a", "--community", "shahejie"], "already exists"),
        (["--username", " ", "--community", "shahejie"], "must not be empty"),
    ],
)
def test_createadmin_refuses_bad_arguments(community_a, staff_a, args, message):
    with pytest.raises(CommandError, match=message):
        createadmin(*args, stdin=NEW_PASSWORD + "\n")


def test_createadmin_refuses_an_empty_password(community_a):
    with pytest.raises(CommandError, match="must not be empty"):
        createadmin("--username", "wang", "--community", "shahejie", stdin="\n")


# Django admin ---------------------------------------------------------------------------------


def test_a_user_added_in_admin_must_change_the_initial_password(client, area_admin, community_a):
    client.force_login(area_admin)
    response = client.post(
        reverse("admin:portal_user_add"),
        {
            "username": "xinren", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true",
            "full_name": "新人", "role": "staff", "community": community_a.pk,
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    user = User.objects.get(username="xinren")
    assert user.must_change_password is True and user.password_changed_at is not None
    client.force_login(user)
    response = client.get(reverse("office:dashboard"))
    assert response["Location"] == reverse("portal:password_change")


def test_a_password_set_by_an_admin_must_be_changed_but_not_the_admins_own(client, area_admin, staff_a):
    client.force_login(area_admin)
    data = {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"}
    response = client.post(reverse("admin:auth_user_password_change", args=[staff_a.pk]), data)
    assert response.status_code == 302
    staff_a.refresh_from_db()
    assert staff_a.must_change_password is True
    response = client.post(reverse("admin:auth_user_password_change", args=[area_admin.pk]), data)
    assert response.status_code == 302
    area_admin.refresh_from_db()
    assert area_admin.must_change_password is False


def test_the_admin_shows_the_password_fields(client, area_admin, staff_a):
    client.force_login(area_admin)
    page = client.get(reverse("admin:portal_user_change", args=[staff_a.pk])).content.decode()
    assert 'name="must_change_password"' in page and "password changed at" in page.lower()


# The demo refuses production ------------------------------------------------------------------


def test_seed_demo_refuses_when_debug_is_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("seed_demo", stdout=io.StringIO())
    assert not Community.objects.exists()


def test_createadmin_for_an_area_gives_no_django_admin(db):
    from portal.models import Area

    Area.objects.create(code="linze", name="临泽县", level="district")
    out = createadmin("--username", "li", "--role", "area_admin", "--area", "linze", stdin=NEW_PASSWORD + "\n")
    user = User.objects.get(username="li")
    assert "linze" in out and user.area.code == "linze"
    assert not user.is_staff and not user.is_superuser  # Django admin shows every community
    with pytest.raises(CommandError, match="No area"):
        createadmin("--username", "zhao", "--role", "area_admin", "--area", "nowhere", stdin=NEW_PASSWORD + "\n")
    with pytest.raises(CommandError, match="area admins only"):
        createadmin("--username", "zhou", "--role", "auditor", "--area", "linze", stdin=NEW_PASSWORD + "\n")
    assert not User.objects.filter(username__in=["zhao", "zhou"]).exists()
