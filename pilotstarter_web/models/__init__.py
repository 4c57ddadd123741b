"""The tables. Import from here: `from pilotstarter_web.models import Pilot`."""

from .audit import AuditEvent
from .calendar_links import CalendarLink
from .notifications import Follow, Invitation, Notification
from .organisations import Organisation
from .pilots import ChangeLog, DuplicateDismissal, Participation, Pilot, PilotTag, PilotTheme, Revision, WikiLink
from .scaleup import PortfolioMeeting, ScaleUpReview, ScaleUpTransition
from .sessions import RecoveryCode, UserSession
from .throttle import ThrottleCounter
from .timeutil import utcnow
from .users import User

__all__ = [
    "AuditEvent",
    "CalendarLink",
    "ChangeLog",
    "DuplicateDismissal",
    "Follow",
    "Invitation",
    "Notification",
    "Organisation",
    "Participation",
    "Pilot",
    "PilotTag",
    "PilotTheme",
    "PortfolioMeeting",
    "RecoveryCode",
    "Revision",
    "ScaleUpReview",
    "ScaleUpTransition",
    "ThrottleCounter",
    "User",
    "UserSession",
    "WikiLink",
    "utcnow",
]
