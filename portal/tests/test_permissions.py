"""The permission table (portal/permissions.py) and the rule that nothing else compares roles.

The access matrix of every URL is in test_url_access.py: for a view that declares its
action, the allowed roles there are read from this table.
"""

import ast
import pathlib

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.template import Context, Template
from django.test import RequestFactory
from django.views import View

from portal import permissions
from portal.models import User
from portal.permissions import ACTIONS, REACH, ActionRequiredMixin, Reach, action_required, can, check, reach
from portal.tests.test_url_access import DECLARED

Role = User.Role
ROOT = pathlib.Path(settings.BASE_DIR)
PRODUCT_APPS = ("portal", "audit", "notices", "grid", "wishes", "council", "volunteers", "office")
# Where roles may be compared: the table itself, and the User model's own properties.
ROLE_MODULES = {ROOT / "portal" / "permissions.py", ROOT / "portal" / "models.py"}
# Comparisons of a role that decide no access: the security log records a change of role.
NOT_ACCESS = {"audit/signals.py": 1}


def test_every_action_names_known_roles():
    for action, roles in ACTIONS.items():
        assert roles, action
        assert set(roles) <= set(Role), action
        assert "." in action and action.split(".")[0] in PRODUCT_APPS, action


def test_every_role_has_a_reach():
    assert set(REACH) == set(Role)


def test_every_declared_action_is_in_the_table():
    unknown = sorted({action for action in DECLARED.values() if action not in ACTIONS})
    assert not unknown


def _sources():
    for app in (*PRODUCT_APPS, "templates"):
        for path in (ROOT / app).rglob("*"):
            if path.suffix in (".py", ".html") and "tests" not in path.parts and "migrations" not in path.parts:
                yield path


def test_every_action_in_the_table_is_asked_for():
    text = "\n".join(path.read_text(encoding="utf-8") for path in _sources() if path not in ROLE_MODULES)
    unused = sorted(action for action in ACTIONS if f'"{action}"' not in text)
    assert not unused, f"Actions nobody asks for (remove them from ACTIONS): {unused}"


def role_comparisons(source: str) -> list[int]:
    """Lines comparing something's `.role` (==, !=, in, not in) with anything."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            if any(isinstance(operand, ast.Attribute) and operand.attr == "role" for operand in operands):
                lines.append(node.lineno)
    return lines


def test_the_role_check_finds_comparisons():
    assert role_comparisons("if user.role == Role.STAFF: pass") == [1]
    assert role_comparisons("x = 1\nok = request.user.role in OFFICE") == [2]
    assert role_comparisons("ok = Role.MEMBER != self.user.role") == [1]
    assert role_comparisons("ok = user.can('grid.view')\nrole = user.role") == []


def test_no_role_comparisons_outside_the_permission_table():
    found = []
    for path in _sources():
        if path.suffix == ".py" and path not in ROLE_MODULES:
            lines = role_comparisons(path.read_text(encoding="utf-8"))
            where = str(path.relative_to(ROOT))
            if len(lines) != NOT_ACCESS.get(where, 0):
                found += [f"{where}:{line}" for line in lines]
    assert not found, f"Ask portal.permissions (user.can / reach) instead of comparing roles: {found}"


@pytest.mark.parametrize("role", list(Role))
def test_can_follows_the_table(role, community_a):
    user = User(username="u", role=role, community=None if role in (Role.AREA_ADMIN, Role.AUDITOR) else community_a)
    for action, roles in ACTIONS.items():
        assert can(user, action) is (role in roles), (role, action)
        assert user.can(action) is (role in roles), (role, action)


def test_a_target_must_be_in_the_users_community(staff_a, area_admin, community_a, community_b, cell_a, cell_b):
    assert can(staff_a, "grid.manage", community_a)
    assert can(staff_a, "grid.manage", community_a.pk)
    assert can(staff_a, "grid.manage", cell_a)  # an object with a community
    assert not can(staff_a, "grid.manage", community_b)
    assert not can(staff_a, "grid.manage", community_b.pk)
    assert not can(staff_a, "grid.manage", cell_b)
    assert can(area_admin, "grid.manage", cell_b)  # area admins reach every community
    with pytest.raises(PermissionDenied):
        check(staff_a, "grid.manage", cell_b)


def test_anonymous_and_missing_users_may_do_nothing():
    for user in (AnonymousUser(), None):
        assert reach(user) is Reach.NONE
        assert not any(can(user, action) for action in ACTIONS)


def test_an_unknown_action_is_a_programming_error(staff_a):
    with pytest.raises(ImproperlyConfigured):
        can(staff_a, "grid.fly")
    with pytest.raises(ImproperlyConfigured):
        action_required("grid.fly")


def test_a_class_view_must_declare_its_action(staff_a):
    class Undeclared(ActionRequiredMixin, View):
        def get(self, request):
            return None

    request = RequestFactory().get("/")
    request.user = staff_a
    with pytest.raises(ImproperlyConfigured):
        Undeclared.as_view()(request)


def test_decorated_views_carry_their_action():
    @action_required("wishes.review")
    def view(request):
        return None

    assert view.required_action == "wishes.review"


def test_the_template_filter(staff_a, grid_worker_a):
    template = Template('{% load portal_tags %}{% if user|can:"grid.manage" %}edit{% else %}read{% endif %}')
    assert template.render(Context({"user": staff_a})) == "edit"
    assert template.render(Context({"user": grid_worker_a})) == "read"
    assert template.render(Context({"user": AnonymousUser()})) == "read"


def test_reach_of_each_role(staff_a, area_admin, grid_worker_a, member_user_a, liaison_a):
    assert [reach(user) for user in (area_admin, staff_a, grid_worker_a, member_user_a, liaison_a)] == [
        Reach.ALL,
        Reach.COMMUNITY,
        Reach.CELLS,
        Reach.OWN,
        Reach.UNIT,
    ]
    assert permissions.roles_for("volunteers.look_after_cases") == {Role.GRID_WORKER, Role.MEMBER}
