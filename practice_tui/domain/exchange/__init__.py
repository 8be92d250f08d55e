"""Data in and out of the practice file, always through a format's own library.

* ``ics`` — iCalendar export and import (``icalendar``, ``recurring-ical-events``).
* ``sync`` — the calendar file kept up to date after every change.
* ``tables`` — CSV export of clients, appointments and notes (``csv``).
* ``client_import`` — a client list from another system (``csv``).
* ``restore`` — putting a backup in place of the practice file.

Each offers plain functions that return frozen summaries; nothing here prints.
"""
