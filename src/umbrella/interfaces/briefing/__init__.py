"""Briefings: figures (`umbrella plot`) and bilingual reports (`umbrella report`)."""
