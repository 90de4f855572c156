"""The scale data generator, one module per section of what it makes (people, groups,
calendar, meetings, plans, reviews, notifications); `bench/generate.py` is its command.
Import it after Django is set up: its modules import the apps' models."""
