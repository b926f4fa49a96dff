"""Audit verbs, in the past tense, and the sentence each one reads as."""

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
    PASSWORD_CHANGED = "PASSWORD_CHANGED", "changed their password"
    PASSWORD_RESET = "PASSWORD_RESET", "reset their password"
    # Administration
    AGENCY_CREATED = "AGENCY_CREATED", "created an agency"
    AGENCY_UPDATED = "AGENCY_UPDATED", "changed an agency"
    USER_CREATED = "USER_CREATED", "created a user"
    USER_UPDATED = "USER_UPDATED", "changed a user"
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
    PERSON_VIEWED = "PERSON_VIEWED", "viewed a young person"
    PERSON_CREATED = "PERSON_CREATED", "recorded a young person"
    PERSON_UPDATED = "PERSON_UPDATED", "changed a young person's record"
    PERSON_DELETED = "PERSON_DELETED", "deleted a young person's record"
    PERSON_RESTORED = "PERSON_RESTORED", "restored a young person's record"
