class ProviderError(Exception):
    """A provider refused or failed a request.

    ``kind`` tells the sender what to do next:

    * ``transient``: timeout, 5xx, 429, rate limits: retry later with backoff;
    * ``window``: the free-form reply window is closed: do not retry, offer a template;
    * ``auth``: the channel's credentials are wrong or expired: do not retry, alert the admin;
    * ``permanent``: anything else the provider refused: do not retry.

    The message is what an agent reads; ``detail`` the technical cause (an exception's text, secrets
    masked), shown to system administrators only.
    """

    KINDS = ("transient", "window", "auth", "permanent")

    def __init__(self, message, kind="permanent", code=None, retry_after=None, detail=None):
        assert kind in self.KINDS, kind
        super().__init__(message)
        self.kind = kind
        self.code = code
        self.retry_after = retry_after
        self.detail = detail

    @property
    def retryable(self):
        return self.kind == "transient"
