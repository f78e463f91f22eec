"""Writing the demo's rows in bulk: match runs, applications, proposals, referrals, the
applications' target groups and events, and the projects' places.

``places_taken`` of every project is raised by its accepted and delivered applications (never
past the capacity): a connection that ended without support gave its place back.
"""

from projects.models import Project
from welfare_net.demo import SEOUL, keep_timestamps

from ..models import (
    ApplicationEvent,
    MatchProposal,
    MatchRun,
    Referral,
    SupportApplication,
)
from .base import SeederBase

S = SupportApplication.Status
BATCH = 2000


class Writer(SeederBase):
    def _write(self, referrals: list[Referral]) -> None:
        cases = self.flow.cases
        runs = sorted(self.flow.runs.values(), key=lambda run: run.started_at)
        MatchRun.objects.bulk_create(runs, batch_size=BATCH)
        applications = [case.application for case in cases]
        with keep_timestamps(SupportApplication, MatchProposal, Referral):
            SupportApplication.objects.bulk_create(applications, batch_size=BATCH)
            proposals = []
            for case in cases:
                for proposal in case.proposals:
                    proposal.application = case.application
                    proposals.append(proposal)
            MatchProposal.objects.bulk_create(proposals, batch_size=BATCH)
            Referral.objects.bulk_create(referrals, batch_size=BATCH)
        through = SupportApplication.target_groups.through
        through.objects.bulk_create(
            [
                through(supportapplication_id=case.application.pk, targetgroup_id=group_id)
                for case in cases
                for group_id in case.person.group_ids
            ],
            batch_size=BATCH,
        )
        ApplicationEvent.objects.bulk_create(
            [
                ApplicationEvent(
                    application_id=case.application.pk,
                    from_status=case.steps[i - 1].status if i else "",
                    to_status=step.status,
                    actor_id=step.by,
                    note=step.note,
                    outcome=step.outcome,
                    outcome_on=step.outcome_on,
                    created_at=step.at,
                )
                for case in cases
                for i, step in enumerate(case.steps)
            ],
            batch_size=BATCH,
        )
        changed = []
        for project in self.projects:
            if project.used:
                row = Project(pk=project.facts.id)
                row.places_taken = min(project.capacity, project.taken + project.used)
                changed.append(row)
        Project.objects.bulk_update(changed, ["places_taken"], batch_size=BATCH)
        demo_year = [
            case
            for case in cases
            if case.application.submitted_at.astimezone(SEOUL).year == self.ctx.demo_year
        ]
        accepted = sum(any(step.status == S.ACCEPTED for step in case.steps) for case in demo_year)
        delivered = sum(case.status == S.DELIVERED for case in demo_year)
        self.ctx.log(
            f"  applications: {len(applications)}; of the demo year's {len(demo_year)}, "
            f"{self.proposed} proposed, {accepted} accepted, {delivered} delivered; "
            f"{len(proposals)} proposals in {len(runs)} match runs, {len(referrals)} referrals"
        )
