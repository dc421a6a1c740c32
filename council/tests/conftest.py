import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english():
    """Messages and labels in English, whatever the Chinese catalogue says."""
    with translation.override("en"):
        yield
