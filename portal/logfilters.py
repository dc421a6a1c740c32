"""Keep residents' personal data and passwords out of the logs.

`MaskPersonalData` sits on the log handlers (settings.LOGGING). It formats
each record's message with its arguments, masks what looks like personal data
and writes the result back, so that every handler after it, whatever its
format, sees only the masked text:

- mainland mobile numbers: 13812345678 -> 138****5678 (also after +86);
- resident ID numbers (18 characters): 110101199003071234 -> 110101********1234;
- passwords: password=hunter2, "new_password1": "...", 密码：... -> ********.

The traceback of a logged exception is masked the same way.
"""

import logging
import re

MASK = "********"

_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[0-9Xx])(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)((?:\+?86[- ]?)?1[3-9]\d)\d{4}(\d{4})(?!\d)")
_PASSWORD = re.compile(
    r"""((?:\w*(?:password|passwd|pwd|secret)\w*|密码)["']?\s*[:=：]\s*["']?)[^\s"'&,;]+""",
    re.IGNORECASE,
)


def mask(text: str) -> str:
    text = _PASSWORD.sub(lambda m: m.group(1) + MASK, text)
    text = _ID_NUMBER.sub(r"\1********\2", text)
    return _MOBILE.sub(r"\1****\2", text)


class MaskPersonalData(logging.Filter):
    def filter(self, record):
        try:
            message = record.getMessage()
        except (TypeError, ValueError, KeyError):  # a broken format string: the handler reports it
            return True
        record.msg = mask(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask(record.exc_text)
        if record.stack_info:
            record.stack_info = mask(record.stack_info)
        return True
