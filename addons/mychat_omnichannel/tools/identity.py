"""Identity keys a sender gives and a customer card holds: national and company ids, emails.

Pure functions, no ORM: both sides of a match are normalised here so the database compares them with
plain equality on an index."""

import re

_NON_DIGITS = re.compile(r"\D+")
ISRAELI_ID_LENGTH = 9


def digits(value):
    """The digits of ``value`` (``"IL 51-471328-8"`` → ``"514713288"``), ``""`` when there are none."""
    return _NON_DIGITS.sub("", str(value or ""))


def israeli_check_ok(number):
    """The Israeli check digit (ID and company numbers): digits weighted 1, 2, 1, 2, … with the digits
    of each product summed must total a multiple of ten. ``number`` is the 9-digit string."""
    if len(number) != ISRAELI_ID_LENGTH or not number.isdigit():
        return False
    total = 0
    for position, char in enumerate(number):
        product = int(char) * (1 + position % 2)
        total += product - 9 if product > 9 else product
    return total % 10 == 0


def is_valid_israeli_id(value):
    """A teudat zehut: up to 9 digits (leading zeros may be omitted) with a valid check digit."""
    number = digits(value)
    return 0 < len(number) <= ISRAELI_ID_LENGTH and israeli_check_ok(number.zfill(ISRAELI_ID_LENGTH))


def is_valid_israeli_company(value):
    """An Israeli company / partnership / non-profit number (ח.פ.): 9 digits starting with 5, checked
    like an ID."""
    number = digits(value)
    return len(number) == ISRAELI_ID_LENGTH and number.startswith("5") and israeli_check_ok(number)


def id_key(value):
    """The comparable form of a national or company id: its digits, Israeli-length numbers padded with
    the leading zeros people drop. ``None`` when it holds too few digits to identify anyone."""
    number = digits(value)
    if len(number) < 5:
        return None
    return number.zfill(ISRAELI_ID_LENGTH) if len(number) < ISRAELI_ID_LENGTH else number


def id_key_is_checked(key):
    """True when ``key`` (from :func:`id_key`) passes a check-digit validation; only such a key may
    identify a customer on its own."""
    return bool(key) and israeli_check_ok(key)


def normalize_email(value):
    """Lower-cased, trimmed address; the bare address of ``"Dana <Dana@X.com>"``. ``None`` if empty."""
    value = (value or "").strip()
    match = re.search(r"<([^<>]+)>", value)
    if match:
        value = match.group(1).strip()
    return value.lower() or None
