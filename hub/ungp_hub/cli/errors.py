"""Which exceptions the CLI reports as a plain message (everything else is a bug: traceback)."""

from ungp_credentials.errors import CredentialError

from ..accounts.hub_api import HubUnreachable
from ..accounts.roster import RosterError
from ..certification.errors import CertificationError
from ..dashboards.errors import DashboardError
from ..exchange.courses import CourseError
from ..grader.limits import GraderSetupError
from ..images.errors import ImageBuildError, ImageMissingError
from ..settings import SettingsError
from ..usb.errors import KitError

USER_ERRORS = (SettingsError, RosterError, ImageBuildError, ImageMissingError, HubUnreachable)
USER_ERRORS = (*USER_ERRORS, CourseError)
USER_ERRORS = (*USER_ERRORS, CertificationError, CredentialError)
USER_ERRORS = (*USER_ERRORS, DashboardError)
USER_ERRORS = (*USER_ERRORS, GraderSetupError)
USER_ERRORS = (*USER_ERRORS, KitError)
