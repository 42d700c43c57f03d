"""The pipeline's pass for writes users may not make (wire fields of messages and events).

The pass is a Python object in the context: a context sent over RPC is JSON and can never carry it, so only
server code that imports this module bypasses the guards."""

PIPELINE = object()


def pipeline(records):
    """``records`` with the pipeline's pass."""
    return records.with_context(mychat_pipeline=PIPELINE)


def in_pipeline(records):
    """True for superuser environments and records carrying the pipeline's pass."""
    return records.env.su or records.env.context.get("mychat_pipeline") is PIPELINE
