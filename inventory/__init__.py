"""One stock for every channel: time-phased ATP, channel allocation, stock feeds, oversell detection.

Pure functions on frames (no Dagster, no warehouse writes), applied by ``orchestration/assets/atp.py``;
docs/inventory.md states every rule and why.
"""
