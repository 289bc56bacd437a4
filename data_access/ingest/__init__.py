"""CSV/Excel ingest: read any export, detect what it is, analyse it, validate and import it (issue 8)."""

from data_access.ingest.errors import IngestError
from data_access.ingest.read import RawTable, read_file

__all__ = ["IngestError", "RawTable", "read_file"]
