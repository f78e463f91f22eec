"""Personal data across the platform: its retention and a resident's request of access.

On top of the dependency order, beside ``impact``: it calls into every app, and nothing
imports it. No models of its own. Each app keeps its own reads and writes of personal data
(``<app>.selectors.personal_data_of``, ``<app>.services.*_expired``); this app only runs them
together: the nightly retention run (``tasks.apply_retention``, ``manage.py apply_retention``)
and the staff export of one resident's data (an action of the resident profiles' admin).
"""
