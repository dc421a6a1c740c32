"""What the wishes app tells the apps above it (they listen; wishes never imports them).

- `wish_fulfilled(sender=MicroWish, wish=...)`: the resident (or staff for them)
  confirmed that the wish came true; sent inside the confirmation's transaction, so a
  receiver's writes (the volunteers app's points) stand or fall with it.
"""

from django.dispatch import Signal

wish_fulfilled = Signal()
