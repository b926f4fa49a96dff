from __future__ import annotations

from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

from riskpath.accounts.enums import AgencyKind
from riskpath.accounts.models import Agency, User
from riskpath.audit.models import AuditEvent
from riskpath.people.enums import CareStatus, Ethnicity, Gender
from riskpath.people.models import YoungPerson


class ErrorItemSerializer(serializers.Serializer):
    field = serializers.CharField(allow_null=True)
    message = serializers.CharField()


ErrorSerializer = inline_serializer(
    name="Errors", fields={"errors": ErrorItemSerializer(many=True)}
)


class AgencySerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "name", "kind", "is_active", "is_first_responder", "version"]
        read_only_fields = fields


class AgencyWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=160)
    kind = serializers.ChoiceField(choices=AgencyKind.choices)
    is_active = serializers.BooleanField(required=False)
    is_first_responder = serializers.BooleanField(required=False)
    version = serializers.IntegerField(min_value=1, required=False)


class MeSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()
    agency = serializers.CharField(source="agency.name", default=None)
    area = serializers.CharField(source="agency.area.name", default=None)

    class Meta:
        model = User
        fields = ["id", "email", "full_name", "job_title", "agency", "area", "roles"]

    def get_roles(self, obj: User) -> list[str]:
        return sorted(obj.role_set())


class YoungPersonSerializer(serializers.ModelSerializer):
    lead_professional: serializers.PrimaryKeyRelatedField[User] = (
        serializers.PrimaryKeyRelatedField(read_only=True)
    )
    recording_agency = serializers.CharField(source="recording_agency.name", read_only=True)

    class Meta:
        model = YoungPerson
        fields = [
            "id",
            "given_names",
            "family_name",
            "aliases",
            "date_of_birth",
            "date_of_birth_estimated",
            "gender",
            "ethnicity",
            "school",
            "locality",
            "postcode",
            "care_status",
            "mosaic_id",
            "liquidlogic_id",
            "niche_id",
            "flare_id",
            "nhs_number",
            "lead_professional",
            "recording_agency",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class YoungPersonWriteSerializer(serializers.Serializer):
    given_names = serializers.CharField(max_length=120)
    family_name = serializers.CharField(max_length=120)
    aliases = serializers.ListField(
        child=serializers.CharField(max_length=120), required=False, max_length=20
    )
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    date_of_birth_estimated = serializers.BooleanField(required=False)
    gender = serializers.ChoiceField(choices=Gender.choices, required=False)
    ethnicity = serializers.ChoiceField(choices=Ethnicity.choices, required=False)
    school = serializers.CharField(max_length=160, required=False, allow_blank=True)
    locality = serializers.CharField(max_length=120, required=False, allow_blank=True)
    postcode = serializers.CharField(
        max_length=10, required=False, allow_blank=True, help_text="A UK postcode"
    )
    care_status = serializers.ChoiceField(choices=CareStatus.choices, required=False)
    mosaic_id = serializers.CharField(
        max_length=20, required=False, allow_blank=True, help_text="4 to 10 digits"
    )
    liquidlogic_id = serializers.CharField(
        max_length=20, required=False, allow_blank=True, help_text="4 to 10 digits"
    )
    niche_id = serializers.CharField(
        max_length=30, required=False, allow_blank=True, help_text="Letters and numbers"
    )
    flare_id = serializers.CharField(
        max_length=30, required=False, allow_blank=True, help_text="Letters, numbers, hyphens"
    )
    nhs_number = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        help_text="10 digits with a valid check digit; spaces are removed",
    )
    lead_professional = serializers.UUIDField(required=False, allow_null=True)


class YoungPersonUpdateSerializer(YoungPersonWriteSerializer):
    given_names = serializers.CharField(max_length=120, required=False)
    family_name = serializers.CharField(max_length=120, required=False)
    version = serializers.IntegerField(
        min_value=1, help_text="The version your change is based on; 409 if it is stale."
    )


class DeleteSerializer(serializers.Serializer):
    reason = serializers.CharField()
    version = serializers.IntegerField(min_value=1)


class AuditEventSerializer(serializers.ModelSerializer):
    """An event as ``audit.presentation.present`` shows it to the reader."""

    withheld = serializers.BooleanField(
        read_only=True, help_text="Part of the event is withheld: you may not open the record"
    )

    class Meta:
        model = AuditEvent
        fields = [
            "seq",
            "occurred_at",
            "actor_label",
            "verb",
            "target_type",
            "target_id",
            "target_label",
            "subject_id",
            "subject_label",
            "changes",
            "basis",
            "reason",
            "request_id",
            "channel",
            "hash",
            "withheld",
        ]
        read_only_fields = fields
