"""Phone numbers in E.164. Numbers libphonenumber parses but calls invalid still normalise on their
digits: a provider that delivered a message from a number proved that it exists."""

import re

import phonenumbers

_DIGITS = re.compile(r"\D+")


def to_e164(number, country_code=None):
    """Return ``+<digits>`` for ``number`` read with ``country_code`` (ISO alpha-2) for local formats,
    or ``None`` when it holds no usable number."""
    if not number:
        return None
    raw = str(number).strip()
    digits = _DIGITS.sub("", raw)
    if len(digits) < 6:
        return None
    if raw.startswith("00"):
        raw, digits = "+" + digits[2:], digits[2:]
    try:
        parsed = phonenumbers.parse(raw, (country_code or "").upper() or None)
    except phonenumbers.NumberParseException:
        parsed = None
        if not raw.startswith("+") and not country_code:
            # provider ids such as WhatsApp wa_id: international digits without the plus
            try:
                parsed = phonenumbers.parse("+" + digits, None)
            except phonenumbers.NumberParseException:
                return None
    if parsed is None:
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def e164_digits(number, country_code=None):
    """The E.164 number without its plus, e.g. ``972541234567`` (WhatsApp's ``wa_id`` form)."""
    e164 = to_e164(number, country_code)
    return e164[1:] if e164 else None
