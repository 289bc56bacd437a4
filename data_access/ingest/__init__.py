"""CSV/Excel ingest: read any export, detect what it is, analyse it, validate and import it (issues 8 and 14).

The public façade, used by the CLI (python -m data_access.ingest) and the upload page alike:
read_file -> detect -> analyse (a quick look, nothing written) -> validate -> import_and_refresh.
service.prepare / service.ingest chain them for a whole file; detection_report is the --detect contract.
"""

from data_access.ingest.analysis import analyse
from data_access.ingest.detect import Detection, detect
from data_access.ingest.errors import IngestError
from data_access.ingest.load import ImportResult, import_and_refresh
from data_access.ingest.model import Validation
from data_access.ingest.read import RawTable, read_file
from data_access.ingest.service import detection_report, ingest, prepare
from data_access.ingest.validate import validate

__all__ = ["Detection", "ImportResult", "IngestError", "RawTable", "Validation", "analyse", "detect",
           "detection_report", "import_and_refresh", "ingest", "prepare", "read_file", "validate"]
