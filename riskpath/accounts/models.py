"""Areas (partnerships), their agencies, and the people who use riskpath."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models

from riskpath.accounts.enums import AgencyKind, Role
from riskpath.core.models import BaseModel, VersionedModel
from riskpath.core.workdays import CALENDAR_CHOICES


class Area(VersionedModel):
    """One partnership, usually a local authority area."""

    name = models.CharField(max_length=120, unique=True)
    calendar = models.CharField(
        max_length=32,
        choices=CALENDAR_CHOICES,
        default="england-and-wales",
        help_text="Which bank holidays are not working days in this area.",
    )
    require_mfa = models.BooleanField(
        default=True,
        help_text="Every user in the area must sign in with a second factor.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ClosureDay(BaseModel):
    """A day the area's partnership does not work although it is no bank holiday (the days
    between Christmas and New Year): working-day timescales skip it. Configuration, not
    personal data, so removing one deletes it; the audit log keeps who added and removed it."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="closure_days")
    date = models.DateField()
    reason = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["area", "date"], name="closure_day_unique_in_area")
        ]

    def __str__(self) -> str:
        return f"{self.date:%-d %B %Y}"


class Agency(VersionedModel):
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="agencies")
    name = models.CharField(max_length=160)
    kind = models.CharField(max_length=32, choices=AgencyKind.choices, default=AgencyKind.OTHER)
    is_active = models.BooleanField(default=True)
    is_first_responder = models.BooleanField(
        default=False,
        help_text=(
            "A first-responder organisation under the National Referral Mechanism: only these "
            "may make an NRM referral."
        ),
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"
        constraints = [
            models.UniqueConstraint(fields=["area", "name"], name="agency_name_unique_in_area")
        ]

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("A user needs an e-mail address")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin, VersionedModel):
    """A person who signs in. Belongs to one agency, and through it to one area."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=160)
    job_title = models.CharField(max_length=160, blank=True)
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    is_service_account = models.BooleanField(
        default=False, help_text="An integration that uses the API with a token; never signs in."
    )

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def area(self) -> Area | None:
        return self.agency.area if self.agency_id and self.agency else None

    @property
    def area_id(self) -> Any:
        return self.agency.area_id if self.agency_id and self.agency else None

    def role_set(self) -> frozenset[str]:
        """The user's roles, read once per request and cached on the instance."""
        cached: frozenset[str] | None = getattr(self, "_role_cache", None)
        if cached is None:
            cached = frozenset(self.roles.values_list("role", flat=True))
            self._role_cache = cached
        return cached

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_set() & set(roles))


class UserRole(BaseModel):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=40, choices=Role.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="user_role_unique")]

    def __str__(self) -> str:
        return self.get_role_display()


class SignInThrottle(models.Model):
    """Failed sign-ins per account identifier (a keyed hash, so unknown addresses typed at the
    sign-in page are not stored)."""

    key = models.CharField(max_length=64, primary_key=True)
    failures = models.PositiveIntegerField(default=0)
    window_started_at = models.DateTimeField()
    locked_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.failures} failures"
