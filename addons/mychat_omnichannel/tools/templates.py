"""Approved message templates: {{1}}, {{2}}, … placeholders (the WhatsApp convention)."""

import re

PLACEHOLDER = re.compile(r"\{\{\s*(\d+)\s*\}\}")


def variable_count(body):
    """The highest placeholder number used in ``body`` (0 when there is none)."""
    return max((int(n) for n in PLACEHOLDER.findall(body or "")), default=0)


def render(body, values):
    """``body`` with {{n}} replaced by ``values[n - 1]`` (missing values stay as placeholders)."""
    values = list(values or [])

    def substitute(match):
        index = int(match.group(1)) - 1
        return str(values[index]) if 0 <= index < len(values) else match.group(0)

    return PLACEHOLDER.sub(substitute, body or "")
