"""The suite's xdist scheduler (tests/conftest.py): a module per worker, the browser files together, and the two
browser units started first (xdist's own order, by number of tests, had put the two-test page sweep last, so the
run ended waiting for it alone)."""

from __future__ import annotations

from types import SimpleNamespace

from tests import conftest

SWEEP = "tests/app/test_browser_screens.py"
IDS = (
    [f"tests/core/test_big.py::test_{i}" for i in range(30)]
    + [f"tests/sales/test_mid.py::test_{i}" for i in range(12)]
    + [f"tests/demo/test_small.py::test_{i}" for i in range(3)]
    + [f"tests/app/test_browser.py::test_{i}" for i in range(3)]
    + [f"tests/alerts/test_browser_alerts.py::test_{i}" for i in range(2)]
    + [f"{SWEEP}::test_sweep[en]", f"{SWEEP}::test_sweep[zh]"]
)


class FakeWorker:
    """What the scheduler talks to: the indexes of the tests it is sent."""

    def __init__(self):
        self.sent: list[int] = []
        self.shutting_down = False
        self.gateway = SimpleNamespace(id="gw")

    def send_runtest_some(self, indexes):
        self.sent.extend(indexes)

    def shutdown(self):
        self.shutting_down = True


def scheduler(workers: int):
    option = SimpleNamespace(dist="loadfile", tx=[f"{workers}*popen"], loadscopereorder=True)
    config = SimpleNamespace(option=option, getvalue=lambda name: getattr(option, name))
    sched = conftest.pytest_xdist_make_scheduler(config, None)
    nodes = [FakeWorker() for _ in range(workers)]
    for node in nodes:
        sched.add_node(node)
        sched.add_node_collection(node, IDS)
    sched.schedule()
    return sched, nodes


def units_sent(node) -> list[str]:
    units = []
    for index in node.sent:
        unit = conftest.work_unit_of(IDS[index])
        if unit not in units:
            units.append(unit)
    return units


def test_browser_files_form_one_unit_but_the_sweep():
    assert conftest.work_unit_of("tests/app/test_browser.py::test_login") == conftest.BROWSER_UNIT
    assert conftest.work_unit_of("tests/alerts/test_browser_alerts.py::test_x") == conftest.BROWSER_UNIT
    assert conftest.work_unit_of(f"{SWEEP}::test_sweep[en]") == SWEEP
    assert conftest.work_unit_of("tests/core/test_big.py::test_1") == "tests/core/test_big.py"


def test_the_two_browser_units_start_first_on_different_workers():
    _, nodes = scheduler(3)
    first = [units_sent(node)[0] for node in nodes]
    assert set(first[:2]) == {SWEEP, conftest.BROWSER_UNIT}  # then the biggest module
    assert first[2] == "tests/core/test_big.py"
    every = [unit for node in nodes for unit in units_sent(node)]
    assert sorted(every) == sorted(set(every))  # a unit is never split over workers
