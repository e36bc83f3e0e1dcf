"""New incident vs correction, and the stored JSON round trip, on plain value objects."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from bot.models import Classification, Label, Region, TimeWindow
from bot.storage.classifications import classification_from_fields, classification_row, edit_flags

SMO = Region("RU-SMO", "Смоленская область", "Смоленська область", "Smolensk Oblast", "RU")
BRY = Region("RU-BRY", "Брянская область", "Брянська область", "Bryansk Oblast", "RU")

INCIDENT = Classification(
    label=Label.UAV_INCIDENT,
    confidence=0.9,
    lang="ru",
    classifier_version="v1",
    drones_destroyed=2,
    outcome=frozenset({"destroyed"}),
    regions=(SMO,),
    casualties="none",
    damage="none",
    time_window=TimeWindow(
        datetime(2025, 3, 1, 17, tzinfo=UTC), datetime(2025, 3, 1, 20, tzinfo=UTC), "с 20 до 23"
    ),
)
QUIET = Classification(label=Label.NOT_RELEVANT, confidence=0.8, lang="ru", classifier_version="v1")


def test_non_incident_becoming_incident_is_new_incident() -> None:
    assert edit_flags(QUIET, INCIDENT) == (True, False)
    assert edit_flags(None, INCIDENT) == (True, False)


def test_changed_facts_of_an_incident_are_a_correction() -> None:
    assert edit_flags(INCIDENT, replace(INCIDENT, drones_destroyed=3)) == (False, True)
    assert edit_flags(INCIDENT, replace(INCIDENT, regions=(SMO, BRY))) == (False, True)
    assert edit_flags(INCIDENT, replace(INCIDENT, casualties="injured", injured=1)) == (False, True)
    assert edit_flags(INCIDENT, replace(INCIDENT, damage="yes")) == (False, True)
    assert edit_flags(INCIDENT, QUIET) == (False, True)  # retracted


def test_same_facts_in_other_words_are_neither() -> None:
    reworded = replace(INCIDENT, confidence=0.7, outcome=frozenset({"intercepted"}))
    assert edit_flags(INCIDENT, reworded) == (False, False)
    assert edit_flags(QUIET, replace(QUIET, confidence=0.1)) == (False, False)


def test_stored_fields_round_trip_to_an_equal_classification() -> None:
    row = classification_row(1, INCIDENT, "v1", "2025-03-02T00:00:00+00:00")
    assert row[:8] == (1, "v1", "uav_incident", 0.9, 2, None, "none", "none")
    assert classification_from_fields(row[8]) == INCIDENT


def test_stored_fields_name_the_stored_version() -> None:
    row = classification_row(1, INCIDENT, "v2-test", "2025-03-02T00:00:00+00:00")
    assert classification_from_fields(row[8]).classifier_version == "v2-test"
