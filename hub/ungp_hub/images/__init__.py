"""Container images: a locally made Debian base and the user image built from a wheelhouse.

No image registry is assumed reachable (the project's machines and offline workshops have
none), so every image is made from things on this machine: debootstrap for the base, a
hash-locked wheelhouse for Python packages.
"""

from .errors import ImageBuildError, ImageMissingError

__all__ = ["ImageBuildError", "ImageMissingError"]
