"""The portal's password rule (used in settings.AUTH_PASSWORD_VALIDATORS).

Every account here can see residents' data, so a password needs some length
and some variety: at least 10 characters, of at least 3 of the 4 kinds
lower-case letter, upper-case letter, digit and symbol (anything else,
punctuation, a space or a Chinese character). Django's own validators, listed
next to it in the settings, refuse passwords like the user's name, common
passwords and passwords of digits only.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def character_classes(password: str) -> int:
    """How many of the four kinds of character `password` contains."""
    lower = upper = digit = symbol = False
    for char in password:
        if char.isdigit():
            digit = True
        elif char.islower():
            lower = True
        elif char.isupper():
            upper = True
        else:
            symbol = True
    return lower + upper + digit + symbol


class StrongPasswordValidator:
    def __init__(self, min_length: int = 10, min_classes: int = 3):
        self.min_length = min_length
        self.min_classes = min_classes

    def validate(self, password, user=None):
        errors = []
        if len(password) < self.min_length:
            errors.append(
                ValidationError(
                    ngettext(
                        "This password is too short. It must contain at least %(min_length)d character.",
                        "This password is too short. It must contain at least %(min_length)d characters.",
                        self.min_length,
                    ),
                    code="password_too_short",
                    params={"min_length": self.min_length},
                )
            )
        if character_classes(password) < self.min_classes:
            errors.append(
                ValidationError(
                    _(
                        "This password needs at least %(min_classes)d of these 4 kinds of character: "
                        "lower-case letters, upper-case letters, digits, symbols."
                    ),
                    code="password_too_simple",
                    params={"min_classes": self.min_classes},
                )
            )
        if errors:
            raise ValidationError(errors)

    def get_help_text(self):
        return _(
            "Your password must contain at least %(min_length)d characters, with at least "
            "%(min_classes)d of these 4 kinds: lower-case letters, upper-case letters, digits, symbols."
        ) % {"min_length": self.min_length, "min_classes": self.min_classes}
