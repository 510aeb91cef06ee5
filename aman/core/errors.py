"""A domain error carries a stable code and a translated message, for pages and the API alike."""

from django.utils.functional import Promise


class DomainError(Exception):
    code: str = "error"
    message: str | Promise = ""
    status: int = 400

    def __init__(self, message: str | Promise | None = None) -> None:
        if message is not None:
            self.message = message
        super().__init__(str(self.message))
