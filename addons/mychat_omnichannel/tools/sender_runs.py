"""Which of a sender's unfinished events one worker takes together (see mychat.event._mychat_claim)."""


def due_runs(rows):
    """Each sender's leading run of due events.

    ``rows``: ``(event id, attempts, channel id, sender key, due)`` for every unfinished event of some
    senders after the one the worker holds, in id order (a ``LIMIT`` may cut the tail). A sender's events
    are taken up to the first one that is not due (waiting for a retry, or leased): the later ones keep
    waiting behind it. Return ``(event id, attempts)`` in id order."""
    stopped = set()
    taken = []
    for event_id, attempts, channel_id, key, due in rows:
        sender = (channel_id, key)
        if sender in stopped:
            continue
        if due:
            taken.append((event_id, attempts))
        else:
            stopped.add(sender)
    return taken
