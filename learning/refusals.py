"""The one family of refusals every service raises. The web layer turns them into
responses in one place (learning.errors: NotFound is a 404 page, NotAllowed a 403)
and `learning.web.attempt` puts a Refused message on its form field or flashes it.

    NotFound            there is nothing here, or the person may not see it (404)
    NotAllowed          the person sees it but may not do this (403)
    Refused             a change refused, with a message for the person; `field`
                        names the form field it concerns; `link` (endpoint, values,
                        text) a page that helps; other keyword details (such as
                        `missing`, the prerequisite module) ride along
    NeedsConfirmation   a change that affects people: repeat it confirmed; `affected`
"""


class Refused(ValueError):
    def __init__(self, message, field=None, **details):
        super().__init__(message)
        self.field = field
        self.link = None
        self.missing = None
        self.__dict__.update(details)


class NotFound(Refused):
    def __init__(self, message="Not found.", field=None, **details):
        super().__init__(message, field, **details)


class NotAllowed(Refused):
    def __init__(self, message="Not allowed.", field=None, **details):
        super().__init__(message, field, **details)


class NeedsConfirmation(Refused):
    def __init__(self, message, field=None, affected=0, **details):
        super().__init__(message, field, **details)
        self.affected = affected
