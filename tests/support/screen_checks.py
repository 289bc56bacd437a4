"""What a person reading a page in a real browser would trip over, as checks a browser test can assert on.

Each check returns a list of problems (empty when the page is fine), so a test can gather them over many pages
and languages and report them all at once:

- charts: every label of a category axis drawn in full (Vega hides overlapping labels with opacity 0 and cuts
  long ones with "…"), so the labels shown equal the categories;
- tables: the key columns of a table inside the grid's visible part (Streamlit's grid keeps an accessible copy
  of the cells it draws, so a column scrolled out of sight is not in it);
- missing values written as "None", "nan" or "NaT" instead of a dash;
- select and date boxes (the filter bar's) whose value is cut by the box's edge;
- English words on the Chinese UI, beyond data values (names from the database) and known abbreviations.
"""

from __future__ import annotations

import re
from pathlib import Path

SCREENS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screens"

# Read in the page: each Vega chart's axes with their labels (text, drawn or hidden) and whether the axis is one
# of categories (labels that are neither numbers nor dates).
_AXES_JS = """() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')].map((chart, i) => ({
  chart: i,
  axes: [...chart.querySelectorAll('g.role-axis')].map(axis => [...axis.querySelectorAll('.role-axis-label text')]
    .map(t => ({text: t.textContent, shown: t.getAttribute('opacity') !== '0'})))
}))"""

# Each data grid: its header cells as drawn (the accessible copy holds only the visible columns) and whether it
# scrolls sideways (then the last drawn column may be cut).
_GRIDS_JS = """() => [...document.querySelectorAll('[data-testid="stDataFrame"]')].map(grid => {
  const scroller = grid.querySelector('.dvn-scroller');
  return {headers: [...grid.querySelectorAll('th')].map(th => th.textContent.trim()),
          rows: [...grid.querySelectorAll('tr')].filter(tr => tr.querySelector('td'))
            .map(tr => [...tr.querySelectorAll('td')].map(td => td.textContent.trim())),
          overflows: !!scroller && scroller.scrollWidth > scroller.clientWidth + 1};
})"""

# The main area's and the sidebar's text as drawn: text nodes that take space and have a size (a style may hide
# Streamlit's own English and draw the catalogue's text as ::after content, which is added), without icon names
# (Material icons are ligature words such as "today") and code (commands, code names).
_TEXT_JS = """() => {
  const skip = '[data-testid="stIconMaterial"], .material-symbols-rounded, [translate="no"], code, style, script';
  const out = [];
  for (const root of ['stMain', 'stSidebar'].map(id => document.querySelector(`[data-testid="${id}"]`))) {
    if (!root) continue;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const element = node.parentElement;
      if (!element || element.closest(skip) || !element.getClientRects().length) continue;
      const style = getComputedStyle(element);
      if (style.fontSize === '0px' || style.visibility === 'hidden') continue;
      out.push(node.textContent);
    }
    for (const element of root.querySelectorAll('*')) {
      const after = getComputedStyle(element, '::after').content;
      if (after && after.startsWith('"')) out.push(JSON.parse(after));
    }
  }
  return out.join('\\n');
}"""

_NUMBER_OR_DATE = re.compile(r"^[\s¥$€£+\-−−.,:/%0-9kKMBGT万亿年月日周]*$")
_MISSING_WORDS = re.compile(r"(?<![A-Za-z])(None|nan|NaN|NaT|<NA>)(?![A-Za-z])")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'’-]*[A-Za-z0-9]|[A-Za-z]")
#: Latin words a Chinese screen may hold: abbreviations Chinese shops use as they are, units, and Streamlit's own
#: widget words that are not text of the product.
ALLOWED_ON_CHINESE = frozenset({
    "ROAS", "CTR", "CPC", "CPM", "CPA", "CAC", "MER", "NPS", "CSAT", "SKU", "SKUs", "ABC", "XYZ", "KOL", "GMV",
    "P50", "P90", "CSV", "Excel", "UTF", "BOM", "SLA", "MASE", "sMAPE", "LMDI", "AOV", "A", "B", "C", "X", "Y", "Z",
    "ETS", "Theta", "MSTL", "Croston", "ADIDA", "IMAPA", "TSB", "Prophet", "AutoETS", "AutoTheta", "ID", "id", "pts",
    "h", "d", "KB", "MB", "GB", "UV", "PV", "App", "POLO", "T", "S", "M", "L", "XL", "SPF", "WeCom", "DingTalk",
    "Feishu", "Slack", "Webhook", "webhook", "URL", "SMTP", "Olist", "Robyn", "DuckDB", "PostgreSQL", "GA4", "vs",
    "LLM", "AI", "Python", "Streamlit", "Vega", "Altair", "JSON", "xlsx", "csv", "mAh", "ml", "g", "kg", "cm", "mm",
    "W", "CNY", "RMB", "USD", "z", "p", "n", "RFM", "max", "UTC", "jieba", "Cookie", "SPF50",
    # Streamlit's date input placeholder (YYYY/MM/DD)
    "yyyy", "dd", "YYYY", "MM", "DD",
    "TSV", "TXT", "XLSX", "MAD",
})


def axis_problems(page, where: str) -> list[str]:
    """Charts whose category labels are hidden (fewer drawn than there are categories) or cut with "…"."""
    problems = []
    for chart in page.evaluate(_AXES_JS):
        for labels in chart["axes"]:
            texts = [label["text"] for label in labels]
            if not texts or all(_NUMBER_OR_DATE.match(text) for text in texts):
                continue  # a value or time axis: thinning its ticks is how such axes read
            shown = [label["text"] for label in labels if label["shown"]]
            cut = [text for text in shown if text.endswith("…")]
            if len(shown) < len(texts) or cut:
                problems.append(f"{where}: chart {chart['chart']} shows {len(shown)} of {len(texts)} labels"
                                f"{f', cut: {cut}' if cut else ''} ({texts})")
    return problems


def grids(page) -> list[dict]:
    return page.evaluate(_GRIDS_JS)


def key_column_problems(page, where: str, key_columns: list[str]) -> list[str]:
    """Key columns (header labels in the page's language) that no table draws in view: scrolled out of sight
    to the right, or the last drawn column of a grid that scrolls sideways (cut by its edge)."""
    found = grids(page)
    drawn = {header for grid in found for header in grid["headers"]}
    problems = [f"{where}: key column {key!r} not in view ({[grid['headers'] for grid in found]})"
                for key in key_columns if key not in drawn]
    for number, grid in enumerate(found):
        if grid["overflows"] and grid["headers"] and grid["headers"][-1] in key_columns:
            problems.append(f"{where}: table {number}: key column {grid['headers'][-1]!r} cut by the right edge")
    return problems


def cut_value_problems(page, where: str) -> list[str]:
    """KPI figures the card cuts off with "…" (the text is wider than the card)."""
    cut = page.evaluate("""() => [...document.querySelectorAll('[data-testid="stMetricValue"]')]
      .filter(value => [value, ...value.querySelectorAll('*')].some(e => e.scrollWidth > e.clientWidth + 1))
      .map(value => value.textContent.trim())""")
    return [f"{where}: KPI values cut off: {cut}"] if cut else []


# Each select, multiselect and date box: its label and the values whose text is wider than the element showing it
# (Streamlit shows a selectbox's value in an input and a date range in a div, both clipped at the box's edge).
_BOXES_JS = """() => [...document.querySelectorAll(
    '[data-testid="stSelectbox"], [data-testid="stMultiSelect"], [data-testid="stDateInput"]')]
  .filter(box => box.getClientRects().length)
  .map(box => ({label: (box.querySelector('label') || {}).textContent || box.getAttribute('data-testid'),
                cut: [...box.querySelectorAll('input, div, span')]
                  .map(e => ({text: (e.tagName === 'INPUT' ? e.value : e.textContent).trim(), e}))
                  .filter(({text, e}) => text && e.clientWidth > 1 && e.scrollWidth > e.clientWidth + 1)
                  .map(({text}) => text)}))
  .filter(box => box.cut.length)"""


def cut_box_problems(page, where: str) -> list[str]:
    """Select and date boxes (the filter bar's among them) whose shown value is wider than the box: cut off."""
    return [f"{where}: {box['label'].strip()!r} box cuts its value: {sorted(set(box['cut']))}"
            for box in page.evaluate(_BOXES_JS)]


def visible_text(page, skip_columns: frozenset[str] = frozenset()) -> str:
    """The main area's and the sidebar's text, plus the cells the data grids draw (but those under a header in
    skip_columns: records such as an audit entry's detail)."""
    text = page.evaluate(_TEXT_JS)
    cells = []
    for grid in grids(page):
        cells += grid["headers"]
        for row in grid["rows"]:
            cells += [cell for header, cell in zip(grid["headers"], row, strict=False) if header not in skip_columns]
    return text + "\n" + "\n".join(cells)


def missing_value_problems(page, where: str) -> list[str]:
    """"None", "nan", "NaT" or "<NA>" written where a dash is meant."""
    found = sorted(set(_MISSING_WORDS.findall(visible_text(page))))
    return [f"{where}: missing values written as {found}"] if found else []


def english_problems(page, where: str, data_values: set[str], record_columns: frozenset[str] = frozenset()
                     ) -> list[str]:
    """Latin words on a Chinese page that are neither data values (names from the database) nor allowed words;
    table columns headed by a label in record_columns hold records as written (not checked)."""
    # Word by word: a chart may wrap a name over two lines, a table may cut it.
    data_words = {word.lower() for value in data_values for word in _LATIN_WORD.findall(str(value))}
    words = sorted({word for word in _LATIN_WORD.findall(visible_text(page, record_columns))
                    if word not in ALLOWED_ON_CHINESE and word.lower() not in data_words})
    return [f"{where}: English on the Chinese UI: {words}"] if words else []


#: True once the script has finished (no running indicator, no spinner) and the main area has looked the same for
#: quiet_ms: its text and how many of its charts have drawn. Polled in the page, so a settled page costs one quiet
#: window, not a fixed sleep per check.
_SETTLED_JS = """([quietMs]) => {
  const busy = !!(document.querySelector('[data-testid="stStatusWidget"]')
                  || document.querySelector('[data-testid="stSpinner"]'));
  const main = document.querySelector('[data-testid="stMain"]') || document.body;
  const drawn = main.querySelectorAll('[data-testid="stVegaLiteChart"] svg, [data-testid="stVegaLiteChart"] canvas');
  const look = `${busy}|${drawn.length}|${main.innerText}`;
  const now = performance.now();
  const state = window.__shopSettle;
  if (!state || state.look !== look) {
    window.__shopSettle = {look, since: now};
    return false;
  }
  return !busy && now - state.since >= quietMs;
}"""


def settle(page, timeout_s: float = 60, quiet_ms: int = 800) -> None:
    """Wait until the script has finished and the main area (text and drawn charts) has not changed for quiet_ms;
    after timeout_s, go on with the page as it is (the checks then report what they see)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.evaluate("() => { window.__shopSettle = null; }")  # the quiet window starts now, not at an earlier look
    try:
        page.wait_for_function(_SETTLED_JS, arg=[quiet_ms], polling=100, timeout=timeout_s * 1000)
    except PlaywrightTimeout:
        pass


def screenshot(page, name: str) -> Path:
    """A full screenshot of the page into test-artifacts/screens/ (git-ignored), kept for people to look at."""
    SCREENS.mkdir(parents=True, exist_ok=True)
    path = SCREENS / f"{name}.png"
    # The main area scrolls inside the window, so a full-page shot needs a window as tall as the content.
    viewport = page.viewport_size
    height = page.evaluate("""() => Math.max(...['stMain', 'stAppViewContainer', 'stSidebar']
      .map(id => document.querySelector(`[data-testid="${id}"]`)).filter(Boolean).map(e => e.scrollHeight))""")
    page.set_viewport_size({"width": viewport["width"], "height": min(max(height, viewport["height"]), 9000)})
    page.wait_for_timeout(300)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(viewport)
    return path
