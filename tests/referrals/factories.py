from __future__ import annotations

import factory

from riskpath.referrals.models import Referral, ReferralStatus, ReferralTo
from tests.factories import YoungPersonFactory


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referral

    young_person = factory.SubFactory(YoungPersonFactory)
    to = ReferralTo.BASE
    status = ReferralStatus.PLANNED
    referring_agency = factory.LazyAttribute(lambda o: o.young_person.recording_agency)
    recorded_by = factory.LazyAttribute(lambda o: o.young_person.recorded_by)
