"""The public, anonymous moral-assessment ballot: no login, the code only in POST bodies."""

from django.urls import path

from assessments.views.moral import ballot_done, ballot_enter

app_name = "ballot"

urlpatterns = [
    path("", ballot_enter, name="enter"),
    path("done/", ballot_done, name="done"),
]
