"""The language switch in the top bar: Chinese by default, English when asked, and back."""

from playwright.sync_api import expect

from e2e.browsing import en, zh


def test_the_language_switch_to_english_and_back(browse, community_a, staff_a):
    # The browser asks for English first: residents get Chinese all the same.
    resident = browse.resident(extra_http_headers={"Accept-Language": "en-US,en;q=0.9"}).goto("/wishes/")
    html = resident.page.locator("html")
    expect(html).to_have_attribute("lang", "zh-hans")
    expect(resident.page.locator("h1")).to_have_text(zh("Wish wall"))

    resident.menu_button("English")
    expect(html).to_have_attribute("lang", "en")
    assert resident.page.url.endswith("/wishes/")  # the same page
    expect(resident.page.locator("h1")).to_have_text(en("Wish wall"))
    expect(resident.page.get_by_role("link", name=en("Make a wish"))).to_be_visible()

    # It stays English on the next page.
    resident.goto("/")
    expect(resident.page.locator("h1")).to_have_text(en("Community Party-Building Portal"))

    resident.menu_button("简体中文")
    expect(html).to_have_attribute("lang", "zh-hans")
    expect(resident.page.locator("h1")).to_have_text(zh("Community Party-Building Portal"))

    # Staff: the dashboard and the menu in English.
    staff = browse.login(staff_a)
    staff.menu_button("English")
    expect(staff.page.locator("html")).to_have_attribute("lang", "en")
    expect(staff.page.locator("#mainnav a.nav-link", has_text=en("Micro-wishes"))).to_have_count(1)
    expect(staff.page.locator("main")).to_contain_text(en("Registrations awaiting confirmation"))
