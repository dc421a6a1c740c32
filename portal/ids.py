"""Record ids as visitors send them: a form's choice, a hidden field, a list of ticks.

Anything can arrive where an id is expected. `str.isdigit` is no check: it is true
for "²" and "①", which int() refuses, and for 5,000 digits, past what int() converts
(and a number over 2**63 - 1 cannot even be sent to SQLite). `parse_id` keeps what
can be an id, and the `in` lookup of an integer column leaves out numbers no such
column holds (Django already does so for `exact`, `gt`, `lt`, ...), so that a list
of choices from a form matches nothing instead of failing.
"""

from django.db.models import IntegerField
from django.db.models.lookups import In

LARGEST_ID = 2**63 - 1  # a BIGINT


def parse_id(value) -> int | None:
    """`value` as a record id (digits 0-9 only, at most LARGEST_ID), else None."""
    text = str(value if value is not None else "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(LARGEST_ID)):
        return None
    number = int(text)
    return number if number <= LARGEST_ID else None


def parse_ids(values) -> list[int]:
    """The values that can be record ids, as numbers."""
    return [number for number in map(parse_id, values) if number is not None]


@IntegerField.register_lookup
class IntegerIn(In):
    """`in` on an integer column: a number out of the column's range matches no row
    (on SQLite one over 2**63 - 1 raised OverflowError: a 500 for a form's choice)."""

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(self.lhs.output_field.get_internal_type())
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int) or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)
