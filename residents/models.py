from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    """The login account of anyone on the platform: residents, coordinators and staff.

    What a resident tells about themselves lives in ``ResidentProfile``; this row only
    authenticates. Email is the login (allauth), username is kept for the admin.
    """
