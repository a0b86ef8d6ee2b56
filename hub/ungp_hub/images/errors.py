"""Errors about images that are meant for the person running the hub."""

from ..errors import UserError


class ImageBuildError(UserError, RuntimeError):
    """A build step failed; the message says which and where its log is."""


class ImageMissingError(UserError, RuntimeError):
    """The hub was asked to start a container from an image that was never built."""

    def __init__(self, image: str):
        super().__init__(
            f"The container image {image!r} is not installed on this machine. "
            "A hub admin must run `ungp images build` (or load the images of the "
            "USB kit) and then try again."
        )
        self.image = image
