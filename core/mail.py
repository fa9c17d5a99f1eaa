"""E-mails the tracker sends outside a request (the focal points' confirmation digest, the
saved searches' alerts): in the recipient's language, with absolute links, and at most once
per delivery.

Each kind of e-mail has a delivery record whose unique key (person and day, saved search and
day) says that it was sent. `send_once` writes the record and sends in one transaction: a
second run — even one overlapping the first — fails to write the record and sends nothing,
and a failed send leaves no record, so the next run tries again.
"""

import smtplib
from collections.abc import Callable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import translation

from .languages import supported_language

# What a failed send raises: the run logs it, goes on with the others, and the next run
# tries again (nothing was recorded).
SEND_ERRORS = (smtplib.SMTPException, OSError)


def recipient_language(user) -> str:
    """The language the person last chose on the site (a background task has no request,
    hence no language cookie, to read it from)."""
    return supported_language(user.preferred_language) or settings.LANGUAGE_CODE


def absolute_url(path: str) -> str:
    """A link in an e-mail: the site's address (SITE_URL) and `path`."""
    return settings.SITE_URL.rstrip("/") + path


def send_once(*, recipient, record: Callable[[], object], send: Callable[[], object]) -> bool:
    """Write the delivery record (`record()`) and send the e-mail (`send()`, which composes it
    in `recipient`'s language) in one transaction. False when the record already existed:
    another run sent this e-mail between our check and our insert."""
    try:
        with transaction.atomic(), translation.override(recipient_language(recipient)):
            record()
            send()
    except IntegrityError:
        return False
    return True
