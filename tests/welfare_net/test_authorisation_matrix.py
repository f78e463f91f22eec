"""The authorisation matrix: every URL the project defines, asked by every role, and the
status each must get.

``MATRIX`` has one row per URL pattern of the root resolver (site, queue, admin, API),
keyed by the pattern's full route. A new URL without a row, or a row whose URL is gone,
fails ``test_every_url_the_project_defines_has_a_row_in_the_matrix``. Each row names the
address to ask (where the URL names a record: resident A's, or district A's) and what each
of the seven roles gets for a GET and, for URLs that change something, for an empty write
(POST unless the row says otherwise). A 500 is never an acceptable answer, and no page that
anonymous visitors, resident B, the other neighbourhood's coordinator or the other
district's staff get may show resident A's personal data (her name, email, phone, need, the
neighbour she referred, her talent offer: ``matrix_world.markers``).

The roles, in the order of every row: anonymous, resident A, resident B (a neighbour in the
same neighbourhood), the coordinator of another neighbourhood (N2), the coordinator of
resident A's (N1), the district staff of another district (B), the district staff of
resident A's district (A). Coordinators are staff users in the "coordinator" group, as
``tests.factories.StaffMemberFactory`` makes them.

What the codes in a row mean:

- ``200 400 401 403 404 405``: that status.
- ``L``: a redirect to the site's login page; ``AL``: to the admin's login page.
- ``P``: a redirect to the profile step (the resident pages of someone with no profile yet:
  staff members here; nothing is shown, and they are not refused either).
- ``I``: a redirect to the admin's index. For a record the admin does not show the user
  (another district's) the admin says "does not exist, perhaps deleted", exactly as for a
  record that does not exist: it shows nothing and admits nothing. (Its login page sends a
  staff user there too.)
- ``R``: a redirect anywhere else (after a form, the home page, ...).
- ``*``: the role may do this; an empty write is invalid, so whatever the answer (a form with
  errors, a redirect, a 400 or 409 of the API) it must not be a refusal (401, 403, 404, 405,
  a login page) and not a 500.

The consistent answers the code gives, which the matrix holds it to:

- Personal records of someone else are not found (404), on the site and in the API alike.
- The queue does not admit it exists to anyone but staff members (404 on the site); its
  POST-only doors answer 405 to a GET only once the user is known to have a queue.
- In the API, anonymous requests get 401; a logged-in user who may not use a door gets 403
  (the queue's, the staff's), and a record outside their scope 404.
- The admin sends anyone who is not a staff user to its login page, even a logged-in
  resident; a staff user without the model permission gets 403.
"""

import dataclasses
import uuid
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib import admin
from django.db import transaction
from django.http.response import HttpResponseBase
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from knox.models import AuthToken
from pytest_django import DjangoDbBlocker
from rest_framework.throttling import SimpleRateThrottle

from tests.welfare_net.matrix_world import ROLES, World, build_world, markers

pytestmark = [pytest.mark.django_db, pytest.mark.postgres, pytest.mark.redis]

ADMIN = settings.ADMIN_URL
UrlOf = Callable[[World], str]
Codes = str | Callable[[World], str]

# --- The rows ---------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Row:
    url: UrlOf
    get: Codes  # seven codes, one per role (ROLES' order)
    write: Codes | None = None  # the same for an empty write; None: the URL changes nothing
    method: str = "post"
    # The write ends the session (logging out, deleting the account): each role writes with
    # a client of its own, so that the role's shared client stays logged in.
    ends_session: bool = False


def u(name: str, *args: Callable[[World], object] | object, query: str = "") -> UrlOf:
    """The address of a named URL; an argument may be a function of the world."""

    def build(world: World) -> str:
        values = [arg(world) if callable(arg) else arg for arg in args]
        return reverse(name, args=values) + query

    return build


def same(code: str) -> str:
    return " ".join([code] * len(ROLES))


EVERYONE = same("200")
ANY_REDIRECT = same("R")
# A page for logged-in users only, the same for each of them.
LOGGED_IN = "L 200 200 200 200 200 200"
LOGGED_IN_WRITE = "L * * * * * *"
# Resident pages that need a profile: staff members have none and are sent to make one.
RESIDENT = "L 200 200 P P P P"
RESIDENT_WRITE = "L * * P P P P"
# Resident A's own record on a resident page.
RESIDENT_A_OWN = "L 200 404 P P P P"
# Resident A's own record, for logging in is enough.
A_OWN = "L 200 404 404 404 404 404"
A_OWN_WRITE = "L * 404 404 404 404 404"

# The coordinator queue on the site.
QUEUE = "L 404 404 200 200 200 200"
QUEUE_A_CASE = "L 404 404 404 200 404 200"
QUEUE_POST_ONLY = "L 404 404 405 405 405 405"
QUEUE_A_CASE_WRITE = "L 404 404 404 * 404 *"

# The API.
API_PUBLIC = EVERYONE
API_ME = "401 200 200 200 200 200 200"
API_ME_POST_ONLY = "401 405 405 405 405 405 405"
API_ME_WRITE = "401 * * * * * *"
API_A_OWN = "401 200 404 404 404 404 404"
API_A_OWN_WRITE = "401 * 404 404 404 404 404"
API_QUEUE = "401 403 403 200 200 200 200"
API_QUEUE_A_CASE = "401 403 403 404 200 404 200"
API_QUEUE_POST_ONLY = "401 403 403 405 405 405 405"
API_QUEUE_A_CASE_WRITE = "401 403 403 404 * 404 *"
API_STAFF = "401 403 403 403 403 200 200"
API_STAFF_POST_ONLY = "401 403 403 403 403 405 405"
API_STAFF_WRITE = "401 403 403 403 403 * *"
API_STAFF_A_WRITE = "401 403 403 403 403 404 *"

# The admin's own pages (not a model's): staff users only.
ADMIN_STAFF = "AL AL AL 200 200 200 200"


SITE: dict[str, Row] = {
    "healthz": Row(u("healthz"), EVERYONE),
    "i18n/setlang/": Row(u("set_language"), ANY_REDIRECT, write=ANY_REDIRECT),
    # --- the resident's own data ---
    "me/profile/": Row(u("residents:profile"), LOGGED_IN, write=LOGGED_IN_WRITE),
    "me/consents/": Row(u("residents:consents"), LOGGED_IN),
    # Ends the user's other sessions and tokens (the shared client of the role among them).
    "me/sign-out-everywhere/": Row(
        u("residents:sign_out_everywhere"),
        "L 405 405 405 405 405 405",
        write="L R R R R R R",
        ends_session=True,
    ),
    "me/consents/<slug:kind>/withdraw/": Row(
        u("residents:consent_withdraw", "notifications"),
        "L 405 405 405 405 405 405",
        write=LOGGED_IN_WRITE,
    ),
    # --- projects (public) ---
    "projects/": Row(u("projects:list"), EVERYONE),
    "projects/<int:pk>/": Row(u("projects:detail", lambda w: w.project.pk), EVERYONE),
    # A link nobody was given; the invited person's own is in tests/projects/.
    "projects/invitations/<str:token>/": Row(
        u("projects:coordinator_invitation", "no-such-token"),
        "L 404 404 404 404 404 404",
        write="L 404 404 404 404 404 404",
    ),
    "projects/<int:pk>/join/": Row(
        u("projects:join", lambda w: w.project.pk), same("405"), write=LOGGED_IN_WRITE
    ),
    # --- support: applications, referrals, My page ---
    "support/apply/": Row(u("matching:apply"), RESIDENT, write=RESIDENT_WRITE),
    "support/applications/<uuid:public_id>/": Row(
        u("matching:application", lambda w: w.a.application.public_id), RESIDENT_A_OWN
    ),
    "support/applications/<uuid:public_id>/withdraw/": Row(
        u("matching:application_withdraw", lambda w: w.a.application.public_id),
        RESIDENT_A_OWN,
        write="L * 404 P P P P",
    ),
    "support/refer/": Row(u("matching:refer"), RESIDENT, write=RESIDENT_WRITE),
    "support/referrals/<uuid:public_id>/": Row(
        u("matching:referral", lambda w: w.a.referral.public_id), RESIDENT_A_OWN
    ),
    "support/me/": Row(u("matching:my_page"), RESIDENT),
    # A tax receipt needs only a login, no profile step.
    "support/me/receipts/<int:pk>/": Row(u("matching:receipt", lambda w: w.a.receipt.pk), A_OWN),
    # Staff members may not delete their own account (a district administrator closes it):
    # the page says so, and a post is refused.
    "support/me/delete/": Row(
        u("matching:account_delete"), LOGGED_IN, write="L * * 403 403 403 403", ends_session=True
    ),
    # --- the coordinator queue ---
    "queue/": Row(u("queue:index"), QUEUE),
    "queue/applications/<uuid:public_id>/": Row(
        u("queue:application", lambda w: w.a.application.public_id), QUEUE_A_CASE
    ),
    "queue/applications/<uuid:public_id>/outcome/": Row(
        u("queue:application_outcome", lambda w: w.a.application.public_id),
        QUEUE_POST_ONLY,
        write=QUEUE_A_CASE_WRITE,
    ),
    # Accepting proposals in bulk names none in the address: every staff member may post.
    "queue/proposals/accept/": Row(
        u("queue:bulk_accept"), QUEUE_POST_ONLY, write="L 404 404 * * * *"
    ),
    "queue/proposals/<int:pk>/<slug:action>/": Row(
        u("queue:decide", lambda w: w.a.proposal.pk, "hold"),
        QUEUE_POST_ONLY,
        write=QUEUE_A_CASE_WRITE,
    ),
    "queue/referrals/<uuid:public_id>/": Row(
        u("queue:referral", lambda w: w.a.referral.public_id), QUEUE_A_CASE
    ),
    "queue/referrals/<uuid:public_id>/<slug:action>/": Row(
        u("queue:referral_act", lambda w: w.a.referral.public_id, "contact"),
        QUEUE_POST_ONLY,
        write=QUEUE_A_CASE_WRITE,
    ),
    # --- giving: logging in is enough ---
    "donations/pledge/": Row(u("donations:pledge"), LOGGED_IN, write=LOGGED_IN_WRITE),
    "talents/offer/": Row(u("talents:offer"), LOGGED_IN, write=LOGGED_IN_WRITE),
    # --- surveys ---
    "surveys/": Row(u("surveys:list"), EVERYONE),
    # District A's yearly survey for its residents: resident B lives there too; staff
    # members are asked where they live first.
    "surveys/<int:pk>/": Row(
        u("surveys:answer", lambda w: w.survey.pk), RESIDENT, write=RESIDENT_WRITE
    ),
    "surveys/<int:pk>/thanks/": Row(u("surveys:thanks", lambda w: w.survey.pk), EVERYONE),
    "surveys/follow-up/<int:pk>/": Row(
        u("surveys:follow_up", lambda w: w.a.invitation.pk), A_OWN, write=A_OWN_WRITE
    ),
    # --- the public pages and the staff's report ---
    "": Row(u("home"), EVERYONE),
    "impact/": Row(u("impact:page"), EVERYONE),
    "impact/report/": Row(u("impact:report"), "L 404 404 404 404 200 200"),
}

API: dict[str, Row] = {
    # No period: the last complete year, as on the impact page.
    "api/impact/": Row(u("impact-api"), API_PUBLIC),
    "api/schema/": Row(u("api:schema"), API_PUBLIC),
    "api/docs/": Row(u("api:docs"), API_PUBLIC),
    # No session, no token: the credentials are the body.
    "api/auth/token/": Row(u("api:auth-token"), same("405"), write=same("400")),
    "api/auth/logout/": Row(u("api:auth-logout"), API_ME_POST_ONLY, write=API_ME_WRITE),
    "api/auth/logout-all/": Row(
        u("api:auth-logout-all"), API_ME_POST_ONLY, write=API_ME_WRITE, ends_session=True
    ),
    # --- projects: public, and the staff's doors ---
    "api/projects/": Row(u("api:project-list"), API_PUBLIC),
    "api/projects/<uuid:public_id>/": Row(
        u("api:project-detail", lambda w: w.project.public_id), API_PUBLIC
    ),
    "api/areas/": Row(u("api:area-list"), API_PUBLIC),
    "api/neighbourhoods/": Row(u("api:neighbourhood-list"), API_PUBLIC),
    "api/staff/projects/": Row(u("api:project-create"), API_STAFF_POST_ONLY, write=API_STAFF_WRITE),
    "api/staff/projects/<uuid:public_id>/": Row(
        u("api:project-update", lambda w: w.project.public_id),
        API_STAFF_POST_ONLY,
        write=API_STAFF_A_WRITE,
        method="patch",
    ),
    "api/staff/projects/<uuid:public_id>/open/": Row(
        u("api:project-open", lambda w: w.project.public_id),
        API_STAFF_POST_ONLY,
        write=API_STAFF_A_WRITE,
    ),
    "api/staff/projects/<uuid:public_id>/pause/": Row(
        u("api:project-pause", lambda w: w.project.public_id),
        API_STAFF_POST_ONLY,
        write=API_STAFF_A_WRITE,
    ),
    "api/staff/projects/<uuid:public_id>/close/": Row(
        u("api:project-close", lambda w: w.project.public_id),
        API_STAFF_POST_ONLY,
        write=API_STAFF_A_WRITE,
    ),
    # --- the HSDS feed (public) ---
    "api/hsds/": Row(u("api:hsds-root"), API_PUBLIC),
    "api/hsds/services": Row(u("api:hsds-service-list"), API_PUBLIC),
    "api/hsds/services/<uuid:id>": Row(
        u("api:hsds-service-detail", lambda w: w.project.public_id), API_PUBLIC
    ),
    "api/hsds/organizations": Row(u("api:hsds-organization-list"), API_PUBLIC),
    "api/hsds/organizations/<uuid:id>": Row(
        u("api:hsds-organization-detail", lambda w: w.organisation.public_id), API_PUBLIC
    ),
    # --- the coordinator queue ---
    "api/queue/": Row(u("api:queue-list"), API_QUEUE),
    "api/queue/counts/": Row(u("api:queue-counts"), API_QUEUE),
    "api/queue/applications/<uuid:public_id>/": Row(
        u("api:queue-application-detail", lambda w: w.a.application.public_id),
        API_QUEUE_A_CASE,
    ),
    "api/queue/applications/<uuid:public_id>/outcome/": Row(
        u("api:outcome-record", lambda w: w.a.application.public_id),
        API_QUEUE_POST_ONLY,
        write=API_QUEUE_A_CASE_WRITE,
    ),
    **{
        f"api/queue/proposals/<int:pk>/{action}/": Row(
            u(f"api:proposal-{action}", lambda w: w.a.proposal.pk),
            API_QUEUE_POST_ONLY,
            write=API_QUEUE_A_CASE_WRITE,
        )
        for action in ("accept", "reject", "hold", "reassign")
    },
    "api/queue/referrals/<uuid:public_id>/": Row(
        u("api:queue-referral-detail", lambda w: w.a.referral.public_id), API_QUEUE_A_CASE
    ),
    **{
        f"api/queue/referrals/<uuid:public_id>/{action}/": Row(
            u(f"api:referral-{action}", lambda w: w.a.referral.public_id),
            API_QUEUE_POST_ONLY,
            write=API_QUEUE_A_CASE_WRITE,
        )
        for action in ("contact", "convert", "close")
    },
    # --- match runs: district staff ---
    "api/staff/match-runs/": Row(u("api:match-run-list"), API_STAFF),
    "api/staff/match-runs/start/": Row(
        u("api:match-run-start"), API_STAFF_POST_ONLY, write=API_STAFF_WRITE
    ),
    # --- the resident's own data, below /api/me/: always the requester's own ---
    "api/consent-texts/": Row(u("api:consent-text-list"), API_PUBLIC),
    # Staff members have no profile: not found (profile_missing).
    "api/me/profile/": Row(u("api:profile-detail"), "401 200 200 404 404 404 404"),
    "api/me/profile/update/": Row(
        u("api:profile-update"), API_ME_POST_ONLY, write=API_ME_WRITE, method="patch"
    ),
    "api/me/consents/": Row(u("api:consent-list"), API_ME),
    "api/me/consents/give/": Row(u("api:consent-give"), API_ME_POST_ONLY, write=API_ME_WRITE),
    "api/me/consents/<str:kind>/withdraw/": Row(
        u("api:consent-withdraw", "notifications"), API_ME_POST_ONLY, write=API_ME_WRITE
    ),
    "api/me/applications/": Row(u("api:application-list"), API_ME),
    "api/me/applications/create/": Row(
        u("api:application-create"), API_ME_POST_ONLY, write=API_ME_WRITE
    ),
    "api/me/applications/<uuid:public_id>/": Row(
        u("api:application-detail", lambda w: w.a.application.public_id), API_A_OWN
    ),
    "api/me/applications/<uuid:public_id>/withdraw/": Row(
        u("api:application-withdraw", lambda w: w.a.application.public_id),
        API_ME_POST_ONLY,
        write=API_A_OWN_WRITE,
    ),
    "api/me/referrals/": Row(u("api:referral-list"), API_ME),
    "api/me/referrals/create/": Row(u("api:referral-create"), API_ME_POST_ONLY, write=API_ME_WRITE),
    "api/me/referrals/<uuid:public_id>/": Row(
        u("api:referral-detail", lambda w: w.a.referral.public_id), API_A_OWN
    ),
    "api/me/talent-offers/": Row(u("api:talent-offer-list"), API_ME),
    "api/me/talent-offers/create/": Row(
        u("api:talent-offer-create"), API_ME_POST_ONLY, write=API_ME_WRITE
    ),
    "api/me/talent-offers/<int:pk>/": Row(
        u("api:talent-offer-detail", lambda w: w.a.offer.pk), API_A_OWN
    ),
    "api/me/talent-offers/<int:pk>/withdraw/": Row(
        u("api:talent-offer-withdraw", lambda w: w.a.offer.pk),
        API_ME_POST_ONLY,
        write=API_A_OWN_WRITE,
    ),
    "api/me/pledges/": Row(u("api:pledge-list"), API_ME),
    "api/me/pledges/create/": Row(u("api:pledge-create"), API_ME_POST_ONLY, write=API_ME_WRITE),
    "api/me/pledges/<int:pk>/": Row(u("api:pledge-detail", lambda w: w.a.pledge.pk), API_A_OWN),
    "api/me/receipts/": Row(u("api:receipt-list"), API_ME),
    "api/me/receipts/<int:pk>/": Row(u("api:receipt-detail", lambda w: w.a.receipt.pk), API_A_OWN),
    "api/me/surveys/": Row(u("api:survey-list"), API_ME),
    # District A's survey for its residents; staff members live nowhere, so it is not theirs.
    "api/me/surveys/<int:pk>/": Row(
        u("api:survey-detail", lambda w: w.survey.pk), "401 200 200 404 404 404 404"
    ),
    "api/me/surveys/<int:pk>/answer/": Row(
        u("api:survey-answer", lambda w: w.survey.pk),
        API_ME_POST_ONLY,
        write="401 * * 404 404 404 404",
    ),
    "api/me/follow-ups/": Row(u("api:follow-up-list"), API_ME),
    "api/me/follow-ups/<int:pk>/": Row(
        u("api:follow-up-detail", lambda w: w.a.invitation.pk), API_A_OWN
    ),
    "api/me/follow-ups/<int:pk>/answer/": Row(
        u("api:follow-up-answer", lambda w: w.a.invitation.pk),
        API_ME_POST_ONLY,
        write=API_A_OWN_WRITE,
    ),
    "api/me/survey-responses/": Row(u("api:survey-response-list"), API_ME),
}

# allauth's pages. A logged-in user is sent on from the login and signup pages; pages about
# one's own account need a login; the rest (a confirmation key, a reset link) are pages that
# say the link is not valid, whoever asks.
ACCOUNTS: dict[str, Row] = {
    "accounts/login/": Row(u("account_login"), "200 R R R R R R", write="* R R R R R R"),
    "accounts/logout/": Row(
        u("account_logout"), "R 200 200 200 200 200 200", write=ANY_REDIRECT, ends_session=True
    ),
    "accounts/inactive/": Row(u("account_inactive"), EVERYONE),
    "accounts/signup/": Row(u("account_signup"), "200 R R R R R R", write="* R R R R R R"),
    "accounts/reauthenticate/": Row(u("account_reauthenticate"), LOGGED_IN, write=LOGGED_IN_WRITE),
    # Reauthenticating by a code sent by email: for accounts with a verified address (the
    # residents here); the others are sent back to the password.
    "accounts/reauthenticate/code/": Row(
        u("account_request_reauthentication_code"), "L 200 200 R R R R"
    ),
    "accounts/reauthenticate/code/confirm/": Row(
        u("account_confirm_reauthentication_code"), "L R R R R R R"
    ),
    "accounts/email/": Row(u("account_email"), LOGGED_IN, write=LOGGED_IN_WRITE),
    "accounts/confirm-email/": Row(u("account_email_verification_sent"), EVERYONE),
    "accounts/password/change/": Row(
        u("account_change_password"), LOGGED_IN, write=LOGGED_IN_WRITE
    ),
    "accounts/password/set/": Row(u("account_set_password"), "L R R R R R R"),
    "accounts/password/reset/": Row(u("account_reset_password"), EVERYONE, write=same("*")),
    # No login code is pending: back to the login page, or on for the logged-in.
    "accounts/login/code/confirm/": Row(u("account_confirm_login_code"), "L R R R R R R"),
    r"accounts/^confirm-email/(?P<key>[-:\w]+)/$": Row(
        u("account_confirm_email", "no-such-key"), EVERYONE
    ),
    "accounts/password/reset/key/done/": Row(u("account_reset_password_from_key_done"), EVERYONE),
    r"accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": Row(
        lambda w: reverse("account_reset_password_from_key", kwargs={"uidb36": "0", "key": "x"}),
        EVERYONE,
    ),
    "accounts/password/reset/done/": Row(u("account_reset_password_done"), EVERYONE),
}


# --- The admin ---------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class AdminModel:
    """How the admin of one model limits what the model permissions allow. The expected
    status of each of its pages follows from this and the role's permissions (its group's,
    read from the database that the migrations filled)."""

    obj: Callable[[World], Any]  # the record its object pages name
    # A district's rows: staff of another district do not reach district A's.
    scoped: bool = False
    # False: the admin never does this, whatever the model permission says.
    add: bool = True
    change: bool = True
    delete: bool = True
    # django-simple-history's history page (and the page of one version).
    simple_history: bool = False


READ_ONLY = {"add": False, "change": False, "delete": False}

ADMIN_MODELS: dict[str, AdminModel] = {
    # Superusers' models: neither staff group has a permission on them.
    "auth.group": AdminModel(lambda w: w.group),
    # Tokens come only from the token door; deleting one signs that device out.
    "knox.authtoken": AdminModel(
        lambda w: AuthToken.objects.filter(user=w.a.user).first(), add=False, change=False
    ),
    "django_celery_beat.periodictask": AdminModel(lambda w: w.periodic_task),
    "django_celery_beat.clockedschedule": AdminModel(lambda w: w.clocked),
    "django_celery_beat.crontabschedule": AdminModel(lambda w: w.crontab),
    "django_celery_beat.solarschedule": AdminModel(lambda w: w.solar),
    "django_celery_beat.intervalschedule": AdminModel(lambda w: w.interval),
    "account.emailaddress": AdminModel(lambda w: w.a.email),
    "axes.accessattempt": AdminModel(lambda w: w.access_attempt, add=False),
    "axes.accesslog": AdminModel(lambda w: w.access_log, add=False),
    "axes.accessfailurelog": AdminModel(lambda w: w.access_failure, add=False),
    "residents.user": AdminModel(lambda w: w.a.user),
    # The district's data.
    "projects.project": AdminModel(lambda w: w.project, scoped=True, simple_history=True),
    "projects.organisation": AdminModel(lambda w: w.organisation, scoped=True, simple_history=True),
    "projects.targetgroup": AdminModel(lambda w: w.target_group),
    "projects.participation": AdminModel(lambda w: w.a.participation, scoped=True),
    # District staff assign coordinators: the row is the coordinator of N1's. (District staff
    # rows they only read: tests/projects/test_admin.py.)
    # (Adding one is for superusers: district staff invite coordinators instead.)
    "projects.staffmember": AdminModel(lambda w: w.coordinator_member, scoped=True, add=False),
    # Sent (added) and cancelled, never changed nor deleted; the row is district A's.
    "projects.coordinatorinvitation": AdminModel(
        lambda w: w.invitation, scoped=True, change=False, delete=False
    ),
    "projects.district": AdminModel(lambda w: w.district_a, scoped=True),
    "projects.neighbourhood": AdminModel(lambda w: w.n1, scoped=True),
    "residents.residentprofile": AdminModel(lambda w: w.a.profile, scoped=True, **READ_ONLY),
    "residents.consent": AdminModel(lambda w: w.a.consent, scoped=True, **READ_ONLY),
    "residents.personaldataaccess": AdminModel(lambda w: w.access, scoped=True, **READ_ONLY),
    "visitors.dailyvisitors": AdminModel(lambda w: w.daily_visitors, **READ_ONLY),
    # Pledges change through the admin's actions only; nobody adds or deletes one here.
    "donations.donationpledge": AdminModel(
        lambda w: w.a.pledge, scoped=True, add=False, delete=False
    ),
    "donations.donationreceipt": AdminModel(lambda w: w.a.receipt, scoped=True, **READ_ONLY),
    "talents.talentoffer": AdminModel(lambda w: w.a.offer, scoped=True, add=False, delete=False),
    "surveys.survey": AdminModel(lambda w: w.survey, scoped=True),
    "surveys.response": AdminModel(lambda w: w.a.response, scoped=True, **READ_ONLY),
    "matching.matchrun": AdminModel(lambda w: w.match_run, scoped=True, **READ_ONLY),
    "matching.matchproposal": AdminModel(lambda w: w.a.proposal, scoped=True, **READ_ONLY),
    "matching.notification": AdminModel(lambda w: w.notification, scoped=True, **READ_ONLY),
}

NOT_STAFF = ("anonymous", "resident_a", "resident_b")


def _may(world: World, role: str, label: str, action: str) -> bool:
    """Whether the role's permissions and the model's admin let it ``action`` the model."""
    app_label, model_name = label.split(".")
    user = world.users[role]
    allowed_here = getattr(ADMIN_MODELS[label], action, True)
    return bool(allowed_here and user and user.has_perm(f"{app_label}.{action}_{model_name}"))


def _out_of_scope(role: str, model: AdminModel) -> bool:
    # Both coordinators work for district A, as the staff member of district A does.
    return model.scoped and role == "staff_other"


def admin_codes(label: str, page: str, *, write: bool = False) -> Callable[[World], str]:
    """The seven codes of one page of a model's admin, for a GET or an empty write."""

    def codes(world: World) -> str:
        return " ".join(
            "AL" if role in NOT_STAFF else _admin_code(world, role, label, page, write)
            for role in ROLES
        )

    return codes


def _admin_code(world: World, role: str, label: str, page: str, write: bool) -> str:
    def may(action: str) -> bool:
        return _may(world, role, label, action)

    model = ADMIN_MODELS[label]
    view = may("view") or may("change")
    done = "*" if write else "200"
    out = _out_of_scope(role, model)
    if page == "changelist":
        return done if view else "403"
    if page == "add":
        return done if may("add") else "403"
    if page == "redirect":  # the old change address, sent on to the change page
        return "R"
    if page in ("change", "delete"):
        # Reading a change page needs view (or change); saving it, change; deleting, delete.
        allowed = view if page == "change" and not write else may(page)
        # The admin looks the record up among the user's rows, then asks about the model:
        # with the permission, another district's record "does not exist".
        if out:
            return "I" if allowed else "403"
        return done if allowed else "403"
    if page == "history":
        if out:
            # Django's history page says "does not exist" before it asks; simple-history's
            # finds the record in its history and then refuses it.
            return "403" if model.simple_history else "I"
        return "200" if view else "403"
    if page == "version":  # simple-history: one version of the record, which may be reverted
        if out:
            return "403"
        if write:
            return "*" if may("change") else "403"
        return "200" if view else "403"
    if page == "import":
        return done if may("add") and may("change") else "403"
    if page == "process_import":  # POST only
        if not write:
            return "405"
        return "*" if may("add") and may("change") else "403"
    if page == "export":
        return done if view else "403"
    if page == "password":  # a user's password: changing a user
        return done if may("change") else "403"
    raise AssertionError(page)


def _pk(model: AdminModel) -> Callable[[World], Any]:
    return lambda world: model.obj(world).pk


def _old_change_url(base: str, pk: Callable[[World], Any]) -> UrlOf:
    return lambda world: f"/{base}{pk(world)}/"


def _history_id(model_name: str) -> Callable[[World], int]:
    """The id of the record's first version (``World.<model>_history_id``)."""
    return lambda world: int(getattr(world, f"{model_name}_history_id"))


def _admin_model_rows() -> dict[str, Row]:
    rows: dict[str, Row] = {}
    for label, model in ADMIN_MODELS.items():
        app_label, model_name = label.split(".")
        base, name = f"{ADMIN}{app_label}/{model_name}/", f"admin:{app_label}_{model_name}"
        pk = _pk(model)

        def row(page: str, url: UrlOf, *, writes: bool, label: str = label) -> Row:
            write = admin_codes(label, page, write=True) if writes else None
            return Row(url, admin_codes(label, page), write=write)

        rows[base] = row("changelist", u(f"{name}_changelist"), writes=True)
        rows[f"{base}add/"] = row("add", u(f"{name}_add"), writes=True)
        rows[f"{base}<path:object_id>/history/"] = row(
            "history", u(f"{name}_history", pk), writes=False
        )
        rows[f"{base}<path:object_id>/delete/"] = row(
            "delete", u(f"{name}_delete", pk), writes=True
        )
        rows[f"{base}<path:object_id>/change/"] = row(
            "change", u(f"{name}_change", pk), writes=True
        )
        # The old change address has no name to reverse.
        rows[f"{base}<path:object_id>/"] = row("redirect", _old_change_url(base, pk), writes=False)
        if model.simple_history:
            rows[f"{base}^([^/]+)/history/([^/]+)/$"] = row(
                "version", u(f"{name}_simple_history", pk, _history_id(model_name)), writes=True
            )
    # The projects' CSV import (upload, then confirm) and export.
    for page in ("import", "process_import", "export"):
        rows[f"{ADMIN}projects/project/{page}/"] = Row(
            u(f"admin:projects_project_{page}"),
            admin_codes("projects.project", page),
            write=admin_codes("projects.project", page, write=True),
        )
    rows[f"{ADMIN}residents/user/<id>/password/"] = Row(
        u("admin:auth_user_password_change", lambda w: w.a.user.pk),
        admin_codes("residents.user", "password"),
        write=admin_codes("residents.user", "password", write=True),
    )
    return rows


# The admin's page of one app: its route names every app with a model in the admin.
APP_LIST_ROUTE = (
    f"{ADMIN}^(?P<app_label>"
    + "|".join(dict.fromkeys(model._meta.app_label for model in admin.site._registry))
    + ")/$"
)

ADMIN_SITE: dict[str, Row] = {
    ADMIN: Row(u("admin:index"), ADMIN_STAFF),
    # Staff users are sent on to the index; a logged-in resident sees the form (and is told
    # the account may not use the admin). An empty form is refused with its errors.
    f"{ADMIN}login/": Row(u("admin:login"), "200 200 200 I I I I", write=same("200")),
    # Logging out is a POST; anyone not logged in to the admin is sent to its index (and so
    # on to its login page).
    f"{ADMIN}logout/": Row(
        u("admin:logout"),
        "I I I 405 405 405 405",
        write="I I I 200 200 200 200",
        ends_session=True,
    ),
    f"{ADMIN}password_change/": Row(
        u("admin:password_change"), ADMIN_STAFF, write="AL AL AL * * * *"
    ),
    f"{ADMIN}password_change/done/": Row(u("admin:password_change_done"), ADMIN_STAFF),
    # No admin has autocomplete fields: whatever is asked for is refused.
    f"{ADMIN}autocomplete/": Row(
        u("admin:autocomplete", query="?app_label=projects&model_name=project&field_name=title"),
        "AL AL AL 403 403 403 403",
    ),
    f"{ADMIN}jsi18n/": Row(u("admin:jsi18n"), ADMIN_STAFF),
    # "View on site": no model has a page on the site of its own.
    f"{ADMIN}r/<path:content_type_id>/<path:object_id>/": Row(
        u("admin:view_on_site", lambda w: w.project_content_type_id, lambda w: w.project.pk),
        "AL AL AL 404 404 404 404",
    ),
    # Both staff groups may read something of the projects app.
    APP_LIST_ROUTE: Row(
        lambda w: reverse("admin:app_list", kwargs={"app_label": "projects"}), ADMIN_STAFF
    ),
    f"{ADMIN}(?P<url>.*)$": Row(lambda w: f"/{ADMIN}no-such-page/", "AL AL AL 404 404 404 404"),
    **_admin_model_rows(),
}

MATRIX: dict[str, Row] = {**SITE, **API, **ACCOUNTS, **ADMIN_SITE}


# --- Asking ------------------------------------------------------------------------------


def defined_routes(
    patterns: list[URLPattern | URLResolver] | None = None, prefix: str = ""
) -> Iterator[str]:
    """The full route of every URL pattern below the root resolver."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from defined_routes(pattern.url_patterns, route)
        else:
            yield route


REFUSALS = {"401", "403", "404", "405", "L", "AL", "500"}
# Whoever answers them, these roles never get a page showing resident A's personal data:
# only resident A, the coordinator of A's neighbourhood and A's district staff read it.
OUTSIDERS = {"anonymous", "resident_b", "coordinator_other", "staff_other"}


def seen(response: HttpResponseBase) -> str:
    """The response as a code of the matrix (redirects by where they lead)."""
    if response.status_code not in (301, 302, 303, 307, 308):
        return str(response.status_code)
    target = urlsplit(response["Location"]).path
    named = {
        reverse("account_login"): "L",
        reverse("admin:login"): "AL",
        reverse("residents:profile"): "P",
        reverse("admin:index"): "I",
    }
    return named.get(target, "R")


def matches(expected: str, got: str) -> bool:
    return got not in REFUSALS if expected == "*" else got == expected


def codes_of(codes: Codes, world: World) -> list[str]:
    found = (codes(world) if callable(codes) else codes).split()
    assert len(found) == len(ROLES), f"{codes!r}: one code per role"
    return found


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[World]:
    """Built once for the module, in a transaction rolled back at its end; each test runs in
    a savepoint of its own inside it (pytest-django's ``db``), so what one test's writes
    change is gone before the next."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def client_for(world: World, role: str) -> Client:
    client = Client()
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture(scope="module")
def clients(world: World, django_db_blocker: DjangoDbBlocker) -> dict[str, Client]:
    """One client per role, logged in once (the sessions live in the module's transaction)."""
    with django_db_blocker.unblock():
        return {role: client_for(world, role) for role in ROLES}


def ask(client: Client, method: str, url: str) -> tuple[str, str]:
    """The response as a code of the matrix, and its text."""
    try:
        if method == "get":
            response = client.get(url)
        elif url.startswith("/api/"):
            response = getattr(client, method)(url, "{}", content_type="application/json")
        else:
            response = getattr(client, method)(url, {})
    except Exception as error:  # a 500: the test client raises what the view raised
        return f"500 ({type(error).__name__}: {error})", ""
    text = "" if response.streaming else response.content.decode(errors="replace")
    return seen(response), text


# --- The tests ---------------------------------------------------------------------------


def test_every_url_the_project_defines_has_a_row_in_the_matrix() -> None:
    defined = set(defined_routes())

    missing = sorted(defined - MATRIX.keys())
    gone = sorted(MATRIX.keys() - defined)

    assert not missing, (
        "URLs without a row in the authorisation matrix (add one to MATRIX in "
        f"{__name__}, or the model to ADMIN_MODELS): {missing}"
    )
    assert not gone, f"Rows of the authorisation matrix whose URL no longer exists: {gone}"


def test_every_model_in_the_admin_has_its_policy_named() -> None:
    registered = {model._meta.label_lower for model in admin.site._registry}

    assert registered == set(ADMIN_MODELS)


@pytest.mark.parametrize("route", sorted(MATRIX))
def test_each_role_gets_the_status_the_matrix_names(
    route: str, world: World, clients: dict[str, Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    row = MATRIX[route]
    url = row.url(world)
    asks = [("get", codes_of(row.get, world))]
    if row.write is not None:
        asks.append((row.method, codes_of(row.write, world)))
    secrets = list(markers("ResidentA").values())
    wrong = []
    for method, expected in asks:
        for role, want in zip(ROLES, expected, strict=True):
            ending = row.ends_session and method != "get"
            client = client_for(world, role) if ending else clients[role]
            # The API's rate limits count every request from 127.0.0.1 (the token door's, ten
            # a minute): here each request is its address's first.
            fresh = f"throttle_{uuid.uuid4().hex[:12]}_%(scope)s_%(ident)s"
            monkeypatch.setattr(SimpleRateThrottle, "cache_format", fresh)
            got, text = ask(client, method, url)
            if not matches(want, got):
                wrong.append(f"{method.upper()} {url} as {role}: expected {want}, got {got}")
            if role in OUTSIDERS and (shown := [m for m in secrets if m in text]):
                wrong.append(f"{method.upper()} {url} as {role} shows resident A's {shown}")
    assert not wrong, f"{route}:\n" + "\n".join(wrong)


@pytest.mark.parametrize(
    ("role", "route", "marker"),
    [
        ("resident_a", "support/applications/<uuid:public_id>/", "need"),
        ("resident_a", "api/me/referrals/<uuid:public_id>/", "situation"),
        ("coordinator", "queue/applications/<uuid:public_id>/", "name"),
        ("staff", "api/queue/referrals/<uuid:public_id>/", "reach"),
        ("staff", f"{ADMIN}residents/residentprofile/<path:object_id>/change/", "phone"),
        ("staff", f"{ADMIN}talents/talentoffer/<path:object_id>/change/", "offer"),
    ],
)
def test_those_who_may_read_resident_as_data_find_it_where_the_outsiders_found_none(
    role: str, route: str, marker: str, world: World, clients: dict[str, Client]
) -> None:
    """The words the matrix looks for are there to be found: the outsiders' pages lack them
    because they are not shown, not because they are spelled otherwise."""
    got, text = ask(clients[role], "get", MATRIX[route].url(world))

    assert got == "200"
    assert markers("ResidentA")[marker] in text
