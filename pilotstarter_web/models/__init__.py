"""The tables. Import from here: `from pilotstarter_web.models import Pilot`."""

from .adoptions import Adoption, AdoptionStep
from .api_tokens import ApiToken
from .attachments import Attachment, AttachmentVersion
from .audit import AuditEvent
from .calendar_links import CalendarLink
from .calls import (
    CallCriterion,
    CallProposal,
    CallScore,
    CallSubmission,
    CallTransition,
    ChallengeCall,
    CommitteeMember,
    SubmissionPartner,
)
from .comments import Comment, CommentMark, CommentReport
from .mail import DigestEntry, MailPreference, OutboxMail
from .notifications import Follow, Invitation, Notification
from .organisations import Organisation
from .pilots import ChangeLog, DuplicateDismissal, Participation, Pilot, PilotTag, PilotTheme, Revision, WikiLink
from .scaleup import PortfolioMeeting, ScaleUpReview, ScaleUpTransition
from .sessions import RecoveryCode, UserSession
from .subscriptions import NewPilotMatch, OrganisationFollow, SavedSearch, SavedSearchAnchor, ThemeFollow
from .throttle import ThrottleCounter
from .timeutil import utcnow
from .users import User

__all__ = [
    "Adoption",
    "AdoptionStep",
    "ApiToken",
    "Attachment",
    "AttachmentVersion",
    "AuditEvent",
    "CalendarLink",
    "CallCriterion",
    "CallProposal",
    "CallScore",
    "CallSubmission",
    "CallTransition",
    "ChallengeCall",
    "ChangeLog",
    "Comment",
    "CommentMark",
    "CommentReport",
    "CommitteeMember",
    "DigestEntry",
    "DuplicateDismissal",
    "Follow",
    "Invitation",
    "MailPreference",
    "NewPilotMatch",
    "Notification",
    "Organisation",
    "OrganisationFollow",
    "OutboxMail",
    "Participation",
    "Pilot",
    "PilotTag",
    "PilotTheme",
    "PortfolioMeeting",
    "RecoveryCode",
    "Revision",
    "SavedSearch",
    "SavedSearchAnchor",
    "ScaleUpReview",
    "ScaleUpTransition",
    "SubmissionPartner",
    "ThemeFollow",
    "ThrottleCounter",
    "User",
    "UserSession",
    "WikiLink",
    "utcnow",
]
