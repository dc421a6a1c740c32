"""Two members of staff press "confirm report" at the same moment: one wins.

Only PostgreSQL shows real concurrency; SQLite serialises writers anyway.
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from grid import services
from grid.models import PartyMember


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_confirmations_record_one(member_a, staff_a):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    barrier = threading.Barrier(2)
    outcomes = []

    def confirm():
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            services.member_confirm_report(member=PartyMember.objects.get(pk=member_a.pk), by=staff_a)
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=confirm) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok", "refused"]
