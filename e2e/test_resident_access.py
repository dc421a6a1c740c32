"""The residents' wish form for people who do not use a mouse or a finger, and
for people who enlarge the page: many residents are elderly.

- keyboard only: Tab from the top of the page, type, Space on radio buttons and
  boxes, Enter to send; every stop of Tab is visible and shows where it is;
  the errors of an empty form are tied to their fields (aria-describedby);
- 200 % zoom on a phone: the page reflows, nothing needs sideways scrolling.
"""

import pytest
from playwright.sync_api import expect

from e2e.browsing import zh
from wishes.models import MicroWish

# What the element that has the focus is, where it is, and whether its focus can be seen.
FOCUSED = """() => {
    const el = document.activeElement;
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    const ring = (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== "none";
    return {
        tag: el.tagName.toLowerCase(), type: el.type || "", name: el.name || "", id: el.id,
        text: (el.innerText || "").trim().slice(0, 40),
        visible: box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < innerHeight && box.right > 0 && box.left < innerWidth,
        ring: ring,
    };
}"""

# The elements that stick out of the page on the right, if any.
OVERFLOW = """() => {
    const width = document.documentElement.clientWidth;
    const wide = [...document.querySelectorAll("body *")].filter(el => {
        const box = el.getBoundingClientRect();
        return box.width > 0 && box.right > width + 1 && getComputedStyle(el).position !== "fixed";
    });
    const outer = wide.filter(el => !wide.some(other => other !== el && other.contains(el)));
    return {
        scrollWidth: document.documentElement.scrollWidth, width: width,
        wide: outer.slice(0, 5).map(el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + "." + [...el.classList].join(".")
            + " right=" + Math.round(el.getBoundingClientRect().right)),
    };
}"""


def _focused(page):
    return page.evaluate(FOCUSED)


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
def test_the_wish_form_with_the_keyboard_only(browse, community_a, cell_a, building_a):
    # Bootstrap scrolls smoothly to the focused field unless motion is reduced:
    # reduced, the field is on screen as soon as it has the focus.
    resident = browse.resident(reduced_motion="reduce").goto("/wishes/new/")
    page = resident.page

    # The first Tab reaches the skip link; Enter jumps over the menu to the page.
    page.keyboard.press("Tab")
    skip = _focused(page)
    assert skip["text"] == zh("Skip to content") and skip["visible"], skip
    page.keyboard.press("Enter")

    # Sending the empty form (Enter in its first field) shows each error next to its field.
    page.keyboard.press("Tab")
    assert _focused(page)["name"] == "wisher_name"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    resident.check()
    for name in ("wisher_name", "wisher_phone", "grid_cell", "title", "consent"):
        field = page.locator(f"main form [name={name}]")
        expect(field).to_have_attribute("aria-invalid", "true")
        error_id = next(i for i in field.get_attribute("aria-describedby").split() if i.endswith("_error"))
        expect(page.locator(f"#{error_id}")).to_be_visible()
    expect(page.locator("#id_category_error")).to_be_visible()
    assert "id_category_error" in page.locator("main form fieldset").first.get_attribute("aria-describedby")

    # Now fill it in from the top, with Tab, typing, arrows, Space and Enter.
    page.keyboard.press("Control+Home")
    page.evaluate("() => document.activeElement.blur()")
    page.locator("main h1").click()  # a starting point for Tab, as a screen-reader user's reading position
    typed = {
        "wisher_name": "王秀英",
        "wisher_phone": "13700001111",
        "title": "修一下楼道的灯",
        "description": "3单元2楼的灯不亮了。",
    }
    done = set()
    for _step in range(40):
        page.keyboard.press("Tab")
        focused = _focused(page)
        where = f"{focused['tag']} {focused['type']} {focused['name'] or focused['text']}"
        assert focused["visible"], f"Tab went to something not on screen: {where}"
        assert focused["ring"], f"no visible focus on {where}"
        assert focused["name"] != "website", "Tab went into the robots' trap field"
        name = focused["name"]
        if name in typed:
            page.keyboard.press("Control+A")
            page.keyboard.type(typed[name])
        elif name == "grid_cell":
            page.keyboard.press("ArrowDown")  # the first grid cell
            expect(page.locator("select[name=grid_cell]")).to_have_value(str(cell_a.pk))
        elif focused["type"] == "radio" and name not in done:
            page.keyboard.press("Space")  # the first category
            expect(page.locator("#id_category_0")).to_be_checked()
        elif focused["type"] == "checkbox" and "consent" in name:
            page.keyboard.press("Space")
            expect(page.locator(f"input[name={name}]")).to_be_checked()
        elif focused["tag"] == "button" and focused["text"] == zh("Send my wish"):
            with page.expect_navigation():
                page.keyboard.press("Enter")
            break
        done.add(name)
    else:
        pytest.fail(f"Tab never reached the send button; last stop: {where}")

    resident.check()
    expect(page.locator("h1")).to_have_text(zh("Thank you, your wish was sent"))
    wish = MicroWish.objects.get()
    assert (wish.wisher_name, wish.title, wish.grid_cell, wish.category) == (
        "王秀英", "修一下楼道的灯", cell_a, MicroWish.Category.STUDY,
    )


# 200 % zoom in a phone's browser: CSS pixels twice as big, so the 390 px wide
# screen holds a page 195 CSS px wide (what the browser's zoom does to the layout).
ZOOMED_PHONE = {"viewport": {"width": 195, "height": 422}, "device_scale_factor": 4, "is_mobile": True, "has_touch": True}


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
@pytest.mark.parametrize("path", ["/wishes/new/", "/wishes/track/", "/wishes/"])
def test_residents_pages_at_200_percent_zoom_need_no_sideways_scrolling(browse, community_a, cell_a, path):
    resident = browse.resident(**ZOOMED_PHONE).goto(path)
    result = resident.page.evaluate(OVERFLOW)
    assert result["scrollWidth"] <= result["width"], f"{path} is wider than the screen at 200 %: {result}"
    expect(resident.page.locator("main h1")).to_be_in_viewport()
