"""storyreel: bilingual storyboards to narrated, captioned short videos."""

__version__ = "0.1.0"
