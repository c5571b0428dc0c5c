"""Bounds of the text people type, shared by API serializers, forms and services: no request can store
megabytes in one field. A note or reason is short; a free text (summary, description, proposal) longer."""

NOTE_MAX_LENGTH = 2000
TEXT_MAX_LENGTH = 10000
