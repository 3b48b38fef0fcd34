"""English years read as years before synthesis (espeak says "two thousand twenty one")."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyreel.tts import SpeechCache, get_engine
from storyreel.tts.lexicon import prepare_for_speech
from storyreel.tts.numbers import speak_numbers


@pytest.mark.parametrize(("text", "spoken"), [
    ("In 2021, volunteers came.", "In twenty twenty-one, volunteers came."),
    ("It opened in July 2022.", "It opened in July twenty twenty-two."),
    ("Since 1995 the river", "Since nineteen ninety-five the river"),
    ("2000 people and 1,200 homes", "2000 people and 1,200 homes"),  # quantities stay
    ("It carried 2022 parcels.", "It carried 2022 parcels."),
    ("in 2,000 homes", "in 2,000 homes"),
])
def test_years_are_said_as_years(text: str, spoken: str) -> None:
    assert speak_numbers(text, "en") == spoken


def test_the_voice_says_the_year_and_the_caption_keeps_the_digits(tmp_path: Path) -> None:
    caption = "In 2021, volunteers came."
    spoken = prepare_for_speech(caption, "en")
    assert spoken != caption and caption == "In 2021, volunteers came."
    cache, engine = SpeechCache(tmp_path), get_engine("espeak")
    as_year = cache.speak(engine, spoken, lang="en")
    as_number = cache.speak(engine, caption, lang="en")
    assert as_year.audio.read_bytes() != as_number.audio.read_bytes()
