"""Audit verbs, in the past tense, and the sentence each one reads as.

A verb is a constant of this module, stored in the audit table as its code: adding one needs
no migration."""

from django.db import models


class Verb(models.TextChoices):
    # Sign-in and sessions
    SIGNED_IN = "SIGNED_IN", "signed in"
    SIGNED_OUT = "SIGNED_OUT", "signed out"
    SIGN_IN_FAILED = "SIGN_IN_FAILED", "failed to sign in"
    ACCOUNT_LOCKED = "ACCOUNT_LOCKED", "was locked out after repeated failed sign-ins"
    SIGN_IN_REFUSED_LOCKED = "SIGN_IN_REFUSED_LOCKED", "was refused sign-in while locked out"
    SESSION_EXPIRED = "SESSION_EXPIRED", "was signed out when the session expired"
    MFA_ADDED = "MFA_ADDED", "added a second sign-in factor"
    MFA_REMOVED = "MFA_REMOVED", "removed a second sign-in factor"
    MFA_RESET = "MFA_RESET", "regenerated recovery codes"
    MFA_USED = "MFA_USED", "used a second sign-in factor"
    MFA_FAILED = "MFA_FAILED", "gave a wrong second-factor code"
    MFA_LOCKED = "MFA_LOCKED", "was locked out of the second-factor step after wrong codes"
    MFA_REFUSED_LOCKED = (
        "MFA_REFUSED_LOCKED",
        "was refused the second-factor step while locked out",
    )
    PASSWORD_CHANGED = "PASSWORD_CHANGED", "changed their password"
    PASSWORD_RESET = "PASSWORD_RESET", "reset their password"
    # Administration
    AGENCY_CREATED = "AGENCY_CREATED", "created an agency"
    AGENCY_UPDATED = "AGENCY_UPDATED", "changed an agency"
    USER_CREATED = "USER_CREATED", "created a user"
    USER_UPDATED = "USER_UPDATED", "changed a user"
    SELF_CHANGE_REFUSED = (
        "SELF_CHANGE_REFUSED",
        "was refused a change to their own roles or agency",
    )
    USER_VIEWED = "USER_VIEWED", "viewed a user"
    AREA_UPDATED = "AREA_UPDATED", "changed the area's settings"
    TOKEN_CREATED = "TOKEN_CREATED", "created an API token"
    TOKEN_REVOKED = "TOKEN_REVOKED", "revoked an API token"
    # Access
    ACCESS_DENIED = "ACCESS_DENIED", "was refused access"
    EMERGENCY_ACCESS_GRANTED = "EMERGENCY_ACCESS_GRANTED", "used emergency access"
    AUDIT_VIEWED = "AUDIT_VIEWED", "searched the audit log"
    AUDIT_EXPORTED = "AUDIT_EXPORTED", "exported the audit log"
    # People
    PERSON_LISTED = "PERSON_LISTED", "listed young people"
    PERSON_SEARCHED = "PERSON_SEARCHED", "searched for a young person to choose"
    SEARCHED = "SEARCHED", "searched the records"
    PERSON_VIEWED = "PERSON_VIEWED", "viewed a young person"
    PERSON_CREATED = "PERSON_CREATED", "recorded a young person"
    PERSON_UPDATED = "PERSON_UPDATED", "changed a young person's record"
    PERSON_DELETED = "PERSON_DELETED", "deleted a young person's record"
    PERSON_RESTORED = "PERSON_RESTORED", "restored a young person's record"
    POI_LISTED = "POI_LISTED", "listed persons of interest"
    POI_VIEWED = "POI_VIEWED", "viewed a person of interest"
    POI_CREATED = "POI_CREATED", "recorded a person of interest"
    POI_UPDATED = "POI_UPDATED", "changed a person of interest"
    DISRUPTION_RECORDED = "DISRUPTION_RECORDED", "recorded disruption of a person of interest"
    LOCATION_VIEWED = "LOCATION_VIEWED", "viewed a location"
    LOCATIONS_LISTED = "LOCATIONS_LISTED", "listed locations"
    LOCATION_CREATED = "LOCATION_CREATED", "recorded a location"
    LOCATION_UPDATED = "LOCATION_UPDATED", "changed a location"
    GROUP_VIEWED = "GROUP_VIEWED", "viewed a group"
    GROUPS_LISTED = "GROUPS_LISTED", "listed groups"
    GROUP_CREATED = "GROUP_CREATED", "recorded a group"
    GROUP_UPDATED = "GROUP_UPDATED", "changed a group"
    GROUP_MEMBERSHIP_CHANGED = "GROUP_MEMBERSHIP_CHANGED", "changed a group's members"
    LINK_CREATED = "LINK_CREATED", "recorded a link"
    LINK_UPDATED = "LINK_UPDATED", "changed a link"
    LINK_VIEWED = "LINK_VIEWED", "viewed a link"
    LINKS_LISTED = "LINKS_LISTED", "listed links"
    NETWORK_VIEWED = "NETWORK_VIEWED", "viewed a network chart of links"
    MISSING_LISTED = "MISSING_LISTED", "listed missing episodes"
    MISSING_VIEWED = "MISSING_VIEWED", "viewed a missing episode"
    MISSING_RECORDED = "MISSING_RECORDED", "recorded a missing episode"
    MISSING_UPDATED = "MISSING_UPDATED", "changed a missing episode"
    REFERRAL_LISTED = "REFERRAL_LISTED", "listed referrals"
    REFERRAL_VIEWED = "REFERRAL_VIEWED", "viewed a referral"
    REFERRAL_RECORDED = "REFERRAL_RECORDED", "recorded a referral"
    REFERRAL_UPDATED = "REFERRAL_UPDATED", "changed a referral"
    # Intelligence
    INTELLIGENCE_SUBMITTED = "INTELLIGENCE_SUBMITTED", "submitted intelligence"
    INTELLIGENCE_VIEWED = "INTELLIGENCE_VIEWED", "viewed intelligence"
    INTELLIGENCE_LISTED = "INTELLIGENCE_LISTED", "listed intelligence"
    INTELLIGENCE_UPDATED = "INTELLIGENCE_UPDATED", "changed intelligence"
    DISCLOSURE_REQUESTED = "DISCLOSURE_REQUESTED", "asked to see restricted intelligence"
    DISCLOSURE_GRANTED = "DISCLOSURE_GRANTED", "granted sight of restricted intelligence"
    DISCLOSURE_REFUSED = "DISCLOSURE_REFUSED", "refused sight of restricted intelligence"
    IMPORT_COMPLETED = "IMPORT_COMPLETED", "imported records"
    IMPORT_REJECTED = "IMPORT_REJECTED", "tried to import a file with errors"
    RECORDS_MERGED = "RECORDS_MERGED", "merged two records of one person"
    MERGE_UNDONE = "MERGE_UNDONE", "undid a merge of two records"
    DUPLICATES_CHECKED = "DUPLICATES_CHECKED", "checked for existing records of a person"
    DUPLICATES_REPORTED = "DUPLICATES_REPORTED", "viewed the area's likely duplicate records"
    NOT_SAME_PERSON = "NOT_SAME_PERSON", "recorded that two records are not one person"
    # Cohort
    COHORT_VIEWED = "COHORT_VIEWED", "viewed the cohort"
    COHORT_EXPORTED = "COHORT_EXPORTED", "exported the cohort"
    COHORT_ENTERED = "COHORT_ENTERED", "added a young person to the cohort"
    TIER_CHANGED = "TIER_CHANGED", "changed a young person's tier"
    COHORT_EXITED = "COHORT_EXITED", "removed a young person from the cohort"
    REENTRY_FLAGGED = "REENTRY_FLAGGED", "flagged a former cohort member for the agenda"
    REENTRY_CLEARED = "REENTRY_CLEARED", "cleared a re-entry flag"
    # Meetings
    MEETING_TYPE_CREATED = "MEETING_TYPE_CREATED", "added a meeting type"
    MEETING_TYPE_UPDATED = "MEETING_TYPE_UPDATED", "changed a meeting type"
    MEETINGS_LISTED = "MEETINGS_LISTED", "listed meetings"
    MEETING_SCHEDULED = "MEETING_SCHEDULED", "scheduled a meeting"
    MEETING_UPDATED = "MEETING_UPDATED", "changed a meeting"
    MEETING_CANCELLED = "MEETING_CANCELLED", "cancelled a meeting"
    MEETING_VIEWED = "MEETING_VIEWED", "viewed a meeting"
    INVITATIONS_SENT = "INVITATIONS_SENT", "sent meeting invitations"
    AGENDA_BUILT = "AGENDA_BUILT", "built an agenda from the record"
    AGENDA_ITEM_ADDED = "AGENDA_ITEM_ADDED", "added an agenda item"
    AGENDA_ITEM_CHANGED = "AGENDA_ITEM_CHANGED", "changed an agenda item"
    AGENDA_ITEM_REMOVED = "AGENDA_ITEM_REMOVED", "removed an agenda item"
    AGENDA_ITEM_RESTORED = "AGENDA_ITEM_RESTORED", "put a removed agenda item back"
    AGENDA_REORDERED = "AGENDA_REORDERED", "reordered an agenda"
    SLOT_BOOKED = "SLOT_BOOKED", "booked a referral into a panel slot"
    PAPERS_PUBLISHED = "PAPERS_PUBLISHED", "published meeting papers"
    PAPERS_OPENED = "PAPERS_OPENED", "opened meeting papers"
    IDENTITY_VIEWED = (
        "IDENTITY_VIEWED",
        "saw who is on a meeting's agenda (name, date of birth, address) to research them",
    )
    NAME_CHECK_RECORDED = "NAME_CHECK_RECORDED", "recorded whether their agency knows a name"
    NAME_CHECKS_VIEWED = "NAME_CHECKS_VIEWED", "viewed the agencies' name checks"
    ATTENDANCE_RECORDED = "ATTENDANCE_RECORDED", "recorded attendance"
    DECLARATION_SIGNED = "DECLARATION_SIGNED", "recorded a confidentiality declaration"
    DECLARATION_READ = "DECLARATION_READ", "recorded the declaration read out"
    MINUTES_SAVED = "MINUTES_SAVED", "saved minutes"
    DECISION_RECORDED = "DECISION_RECORDED", "recorded a meeting decision"
    MINUTES_APPROVED = "MINUTES_APPROVED", "approved minutes"
    MINUTES_CIRCULATED = "MINUTES_CIRCULATED", "circulated minutes"
    MINUTES_EXPORTED = "MINUTES_EXPORTED", "downloaded minutes"
    ACTION_CREATED = "ACTION_CREATED", "recorded an action"
    ACTION_UPDATED = "ACTION_UPDATED", "updated an action"
    ACTION_CLOSED = "ACTION_CLOSED", "closed an action"
    ACTIONS_LISTED = "ACTIONS_LISTED", "listed actions"
    PARTNER_TASK_CREATED = "PARTNER_TASK_CREATED", "created a partner-system task"
    PARTNER_TASK_VIEWED = "PARTNER_TASK_VIEWED", "viewed a partner-system task"
    PARTNER_TASKS_LISTED = "PARTNER_TASKS_LISTED", "listed their partner-system tasks"
    PARTNER_TASK_DONE = "PARTNER_TASK_DONE", "recorded a partner-system task done"
    # Area calendar
    CLOSURE_DAY_ADDED = "CLOSURE_DAY_ADDED", "added an area closure day"
    CLOSURE_DAY_REMOVED = "CLOSURE_DAY_REMOVED", "removed an area closure day"
    # The Risk Management Pathway
    EPISODES_LISTED = "EPISODES_LISTED", "listed pathway episodes"
    EPISODE_VIEWED = "EPISODE_VIEWED", "viewed a pathway episode"
    EPISODE_OPENED = "EPISODE_OPENED", "opened a pathway episode"
    EPISODE_STEP_RECORDED = "EPISODE_STEP_RECORDED", "recorded a step of a pathway episode"
    EPISODE_STEP_REFUSED = "EPISODE_STEP_REFUSED", "was refused a step of a pathway episode"
    PLAN_ACTION_RECORDED = "PLAN_ACTION_RECORDED", "recorded a risk management plan action"
    FLAG_CONFIRMED = "FLAG_CONFIRMED", "confirmed a partner-system flag"
    REMINDER_SENT = "REMINDER_SENT", "sent a pathway reminder"
    TIMELINESS_VIEWED = "TIMELINESS_VIEWED", "viewed the pathway timeliness report"
    # Operations
    DATABASE_BACKED_UP = "DATABASE_BACKED_UP", "backed up the database"
    DATABASE_RESTORED = "DATABASE_RESTORED", "restored the database from a backup"
    # Information governance: subject access requests, retention and disposal
    SAR_RECORDED = "SAR_RECORDED", "recorded a subject access request"
    SAR_LISTED = "SAR_LISTED", "listed subject access requests"
    SAR_VIEWED = "SAR_VIEWED", "viewed a subject access request"
    SAR_UPDATED = "SAR_UPDATED", "changed a subject access request"
    SAR_PAUSED = "SAR_PAUSED", "paused a subject access request's deadline"
    SAR_RESUMED = "SAR_RESUMED", "resumed a subject access request's deadline"
    SAR_EXTENDED = "SAR_EXTENDED", "extended a subject access request as complex"
    DISCLOSURE_COMPILED = "DISCLOSURE_COMPILED", "compiled a disclosure of a person's records"
    REDACTION_DECIDED = "REDACTION_DECIDED", "decided a redaction of a disclosure"
    REDACTION_ADDED = "REDACTION_ADDED", "added a redaction to a disclosure"
    DISCLOSURE_APPROVED = "DISCLOSURE_APPROVED", "approved a disclosure's redactions"
    DISCLOSURE_PRODUCED = "DISCLOSURE_PRODUCED", "produced a disclosure as PDF"
    DISCLOSURE_DOWNLOADED = "DISCLOSURE_DOWNLOADED", "downloaded a disclosure"
    LEGAL_HOLD_PLACED = "LEGAL_HOLD_PLACED", "placed a legal hold"
    LEGAL_HOLD_LIFTED = "LEGAL_HOLD_LIFTED", "lifted a legal hold"
    RETENTION_RULE_CHANGED = "RETENTION_RULE_CHANGED", "changed the retention schedule"
    RETENTION_REVIEW_LISTED = "RETENTION_REVIEW_LISTED", "listed records due for review"
    DISPOSAL_APPROVED = "DISPOSAL_APPROVED", "approved the disposal of a record"
    RECORD_DISPOSED = "RECORD_DISPOSED", "disposed of a record under the retention schedule"
    # Work and notifications
    WORK_LISTED = "WORK_LISTED", "listed their work"
    NOTIFICATION_PREFERENCE_CHANGED = (
        "NOTIFICATION_PREFERENCE_CHANGED",
        "changed how they are e-mailed of their notifications",
    )


_SENTENCES: dict[str, str] = {str(value): str(label) for value, label in Verb.choices}


def verb_sentence(code: str) -> str:
    """The sentence a verb's code reads as; the code itself for one this version lacks."""
    return _SENTENCES.get(code, code)
