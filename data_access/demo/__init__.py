"""Deterministic demo shop: generate() the tables as DataFrames, build() them into a database.

Public API: generate, build, demo_present, SCALES, DEMO_TABLES; `python -m data_access.demo` is the CLI.
"""

from data_access.demo.config import SCALES
from data_access.demo.generator import generate
from data_access.demo.load import DEMO_TABLES, build, demo_present

__all__ = ["DEMO_TABLES", "SCALES", "build", "demo_present", "generate"]
