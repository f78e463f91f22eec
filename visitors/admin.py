"""The staff's read-only list of daily visitor counts. Hashes and salts have no admin: nobody
needs to see them, and they are gone by the next day."""

from django.contrib import admin
from django.http import HttpRequest

from residents.admin_access import PersonalDataAdmin

from .models import DailyVisitors


@admin.register(DailyVisitors)
class DailyVisitorsAdmin(PersonalDataAdmin):
    shows_personal_data = False
    list_display = ["day", "visitors"]
    date_hierarchy = "day"
    list_per_page = 100

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: DailyVisitors | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: DailyVisitors | None = None) -> bool:
        return False
