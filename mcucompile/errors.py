"""Errors a user can act on. The CLI prints them as one line and exits with status 2."""


class UserError(Exception):
    """Bad input or an unsupported request: one clear line, no traceback."""

    exit_code = 2


class ModelFormatError(UserError):
    """The file is not a readable TFLite flatbuffer model."""


class UnsupportedModelError(UserError):
    """The model is valid but uses something mcucompile does not compile."""
