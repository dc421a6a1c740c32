"""Every page the journeys opened is valid HTML (the Nu Html Checker, vnu.jar).

The journeys save each page's HTML as the server sent it (browsing.Actor.check);
this test runs last (conftest.pytest_collection_modifyitems) and checks all of
them in one run of the checker, which takes a few seconds to start.
"""

import json
import shutil
import subprocess

import pytest

from e2e.browsing import VNU_JAR

# Messages of the checker that are not errors in the page. Each needs a reason.
FALSE_POSITIVES = []


def test_every_page_visited_is_valid_html(findings):
    files = sorted(findings.pages_dir.glob("*.html"))
    if not files:
        pytest.skip("no journey ran in this session: no page to check")
    java = shutil.which("java")
    assert java and VNU_JAR.exists(), "the Nu Html Checker needs java and node_modules/vnu-jar: run `make e2e-deps`"
    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--stdout", "--exit-zero-always", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    messages = [
        message
        for message in json.loads(result.stdout)["messages"]
        if message.get("type") == "error" and not any(text in message.get("message", "") for text in FALSE_POSITIVES)
    ]
    lines = []
    for message in messages:
        name = message.get("url", "").rsplit("/", 1)[-1]
        url = findings.pages.get(name, name)
        lines.append(f"{url} line {message.get('lastLine')}: {message['message']}\n    {message.get('extract', '').strip()}")
    assert not messages, f"{len(messages)} HTML errors in {len(files)} pages:\n" + "\n".join(lines)
