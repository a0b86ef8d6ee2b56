"""Spawn failures shown to the person waiting for their server.

JupyterHub shows ``jupyterhub_message`` of a spawn exception on the spawn page instead of a
generic error, so each failure we can name gets its own class and a sentence a trainee can act
on; the hub log gets the detail for the admin.
"""


class SpawnFailure(Exception):
    """A spawn failure with a message meant for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.jupyterhub_message = message


class EngineUnavailable(SpawnFailure):
    def __init__(self) -> None:
        super().__init__(
            "The hub's container engine is not answering, so your server cannot start right "
            "now. Please try again in a few minutes; if it keeps failing, tell a hub "
            "admin (the hub log says what is wrong)."
        )


class ImageNotInstalled(SpawnFailure):
    def __init__(self, image: str) -> None:
        super().__init__(
            f"The software image of your server ({image}) is not installed on this hub. "
            "A hub admin must run `ungp images build` (or load the images of the USB "
            "kit); then start your server again."
        )
