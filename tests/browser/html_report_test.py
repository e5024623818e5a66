#!/usr/bin/env python3
"""End-to-end: `sizebudget report|check|diff --format html` opened in Debian's headless chromium
(through chromedriver). Checks the rendered DOM against the tool's JSON figures, clicks through
the treemap, searches, verifies that no request leaves the page, that hostile names stay text,
that a 200k-symbol map gives a page under 10 MB ready within 2 s, and that screenshots are not
blank.

usage: html_report_test.py SIZEBUDGET SOURCE_DIR [GENERATE_MAP] [--screenshots DIR]
Exit 77 (skipped) where chromium or chromedriver is not installed."""
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from webdriver import Browser, colour_stats, find_browser  # noqa: E402

args = [a for a in sys.argv[1:] if not a.startswith("--")]
screenshots = None
if "--screenshots" in sys.argv:
    screenshots = sys.argv[sys.argv.index("--screenshots") + 1]
    args.remove(screenshots)
sb, source = args[0], args[1]
generate_map = args[2] if len(args) > 2 else None
fixtures = os.path.join(source, "tests", "fixtures")
failures = []


def fail(message):
    print("FAIL:", message, file=sys.stderr)
    failures.append(message)


def check(condition, message):
    if not condition:
        fail(message)
    return condition


def run(*argv, expect=0):
    p = subprocess.run([sb, *argv], capture_output=True, text=True)
    if p.returncode != expect:
        fail(f"sizebudget {' '.join(argv)}: exit {p.returncode}, expected {expect}: {p.stderr.strip()}")
    return p.stdout


def fixture_map(name):
    return os.path.join(fixtures, name, name + ".map")


browser_paths = find_browser()
if not browser_paths:
    print("SKIP: chromium and chromedriver are not installed (scripts/install-deps --all installs them)")
    sys.exit(77)
if not os.path.exists(fixture_map("cm4-nano")):
    print("SKIP: fixtures not built")
    sys.exit(77)

tmp = tempfile.mkdtemp(prefix="sb-html-")
browser = Browser(*browser_paths)


def open_page(path):
    browser.open(path)
    browser.wait_for("return document.body && document.body.dataset.ready === '1';")
    return int(browser.script("return document.body.dataset.readyMs;"))


def nodes():
    return browser.script("""
        return [...document.querySelectorAll('#treemap .node')].map(n => ({
          name: n.dataset.name, bytes: Number(n.dataset.bytes), kind: n.dataset.kind,
          depth: Number(n.dataset.depth), mark: n.dataset.mark || ''}));""")


def table(title):
    """Rows of the table whose tab is `title`, opened by a real click on its tab."""
    tab = [t for t in browser.find(".tab") if browser.call("GET", f"/element/{t}/text") == title]
    if not check(tab, f"no '{title}' tab"):
        return []
    browser.click(tab[0])
    return browser.script("""
        const t = document.querySelector('table.rows');
        return [...t.tBodies[0].rows].map(r => [...r.cells].map(c => c.dataset.bytes !== undefined
            ? Number(c.dataset.bytes) : c.textContent));""")


def crumbs():
    return browser.script("return [...document.querySelectorAll('#crumbs .crumb')].map(c => c.textContent);")


def click_node(kind, name):
    """Clicks where a user would: the middle of the node's box, on whatever is drawn there
    (usually a smaller item inside it; the page zooms one level, into the node)."""
    found = browser.find(f'#treemap .node[data-kind="{kind}"][data-name="{name}"]')
    if not check(found, f"no {kind} node '{name}' to click"):
        return
    x, y = browser.script("""const r = arguments[0].getBoundingClientRect();
        return [r.x + r.width / 2, r.y + r.height / 2];""", {"element-6066-11e4-a52e-4f735466cecf": found[0]})
    browser.click_at(x, y)


def no_requests_left():
    """Every request the page made was the page itself: nothing from the network, no file beside it."""
    page = browser.script("return location.href;")
    sent = []
    for entry in browser.log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            sent.append(message["params"]["request"]["url"])
    others = [u for u in sent if u != page and not u.startswith("data:")]
    check(not others, f"the page made requests: {others[:5]}")
    check(browser.script("return performance.getEntriesByType('resource').length;") == 0,
          "the page loaded resources")


def screenshot(name):
    png = browser.screenshot()
    colours, ink = colour_stats(png)
    check(colours >= 12 and ink > 0.15, f"{name}: screenshot looks blank ({colours} colours, {ink:.0%} not background)")
    if screenshots:
        os.makedirs(screenshots, exist_ok=True)
        with open(os.path.join(screenshots, name + ".png"), "wb") as f:
            f.write(png)


try:
    # --- report: tables and treemap carry the tool's exact figures ---------------------------
    nano = fixture_map("cm4-nano")
    expected = json.loads(run("report", nano, "--format", "json"))
    page = os.path.join(tmp, "report.html")
    run("report", nano, "--format", "html", "-o", page)
    check(os.path.getsize(page) < 1_000_000, "a small map's page is over 1 MB")
    ready = open_page(page)
    check(ready < 2000, f"report page ready after {ready} ms")
    no_requests_left()

    archives = {r[0]: r[1] for r in table("Archives")}
    real = [a for a in expected["archives"] if not a["name"].startswith("(")]
    for a in real[:3]:
        check(archives.get(a["name"]) == a["size"],
              f"archive {a['name']}: table shows {archives.get(a['name'])}, JSON says {a['size']}")
    symbols = {r[0]: r[1] for r in table("Symbols")}
    real = [s for s in expected["symbols"] if not s["name"].startswith("(")]
    for s in real[:5]:
        check(symbols.get(s["demangled"]) == s["size"],
              f"symbol {s['demangled']}: table shows {symbols.get(s['demangled'])}, JSON says {s['size']}")

    # The root shows one node per region; each region's bytes are what its sections hold there.
    shown = nodes()
    regions = {n["name"]: n["bytes"] for n in shown if n["depth"] == 1}
    for r in expected["regions"]:
        in_region = sum(s["size"] for s in expected["sections"] if s["allocated"] and (
            s["run_region"] == r["name"] or (s["loaded"] and s["load_region"] == r["name"] != s["run_region"])))
        check(regions.get(r["name"]) == in_region,
              f"region node {r['name']}: {regions.get(r['name'])} bytes, sections there hold {in_region}")
    check(any(n["kind"] == "reserved" for n in shown), "reserved space is not drawn apart")
    screenshot("report")

    # Hover: the exact bytes and the share of the region.
    found = browser.find('#treemap .node[data-kind="archive"][data-name="libc_nano.a"]')
    if check(found, "no libc_nano.a box at the root"):
        x, y = browser.script("""const r = arguments[0].getBoundingClientRect();
            return [r.x + 6, r.y + 6];""", {"element-6066-11e4-a52e-4f735466cecf": found[0]})
        browser.move_to(x, y)
        tip = browser.script("const t = document.getElementById('tooltip'); "
                             "return t.style.display === 'block' ? t.textContent : '';")
        size = browser.script("return arguments[0].dataset.bytes;", {"element-6066-11e4-a52e-4f735466cecf": found[0]})
        check(f"{int(size):,} B" in tip and "% of FLASH" in tip, f"hovering libc_nano.a shows '{tip}'")

    # Tables sort by a click on a column's heading.
    table("Objects")
    heading = [h for h in browser.find("table.rows th") if browser.call("GET", f"/element/{h}/text") == "Bytes"]
    if check(heading, "no Bytes column"):
        browser.click(heading[0])
        first = browser.script("return [...document.querySelectorAll('table.rows tbody tr')].map("
                               "r => Number(r.cells[1].dataset.bytes));")
        check(first == sorted(first, reverse=True), "a click on Bytes does not sort largest first")
        browser.click(heading[0])
        second = browser.script("return [...document.querySelectorAll('table.rows tbody tr')].map("
                                "r => Number(r.cells[1].dataset.bytes));")
        check(second == sorted(second) and len(second) > 3, "a second click on Bytes does not sort smallest first")

    # Click to zoom: FLASH, then .text; the breadcrumbs follow and the children add up.
    click_node("region", "FLASH")
    check(crumbs()[-1].startswith("FLASH"), f"after clicking FLASH the breadcrumbs are {crumbs()}")
    level = [n for n in nodes() if n["depth"] == 1]
    check(level and all(n["kind"] in ("section", "reserved") for n in level),
          f"inside FLASH the first level is not sections: {level[:3]}")
    text = next(s for s in expected["sections"] if s["name"] == ".text")
    click_node("section", ".text")
    check(crumbs()[-1].startswith(".text"), f"after clicking .text the breadcrumbs are {crumbs()}")
    level = [n for n in nodes() if n["depth"] == 1]
    check(sum(n["bytes"] for n in level) == text["size"],
          f".text's archives add up to {sum(n['bytes'] for n in level)}, the section holds {text['size']}")
    check(level and level[0]["name"] == "libc_nano.a", f"the largest archive in .text is not libc_nano.a: {level[:1]}")
    screenshot("report-zoomed")
    browser.click(browser.find("#crumbs .crumb")[0])
    check(len(crumbs()) == 1, f"the first breadcrumb does not zoom out: {crumbs()}")

    # Search highlights matches, also inside folded-away levels' parents.
    browser.type(browser.find("#search")[0], "memcpy")
    hits = browser.script("return document.getElementById('hits').textContent;")
    check(hits.endswith("match") or hits.endswith("matches"), f"search shows '{hits}'")
    check(browser.find("#treemap .node.hit, #treemap .node.on-path"), "search highlights nothing")

    # The size traps of the text report are on the page too.
    traps = browser.script("return [...document.querySelectorAll('#hints .hint')].map(h => h.dataset.id);")
    check(traps == ["heap-allocator"], f"the page's size traps: {traps}")

    # --- check: verdicts coloured, failing first, with contributors --------------------------
    budget = os.path.join(source, "tests", "e2e", "budgets", "fail.yaml")
    page = os.path.join(tmp, "check.html")
    run("check", nano, "--budget", budget, "--format", "html", "-o", page, expect=1)
    open_page(page)
    no_requests_left()
    verdicts = browser.script("""return [...document.querySelectorAll('.verdict')].map(v => ({
        status: v.dataset.status, item: v.dataset.item, failing: v.classList.contains('failing'),
        contributors: v.querySelectorAll('.contributors li').length, bar: !!v.querySelector('.bar')}));""")
    check(verdicts and verdicts[0]["failing"], "the first verdict is not a failing one")
    failing = [v for v in verdicts if v["failing"]]
    check(not any(v["failing"] for v in verdicts[len(failing):]), "failing verdicts are not all first")
    check(any(v["status"] == "forbidden" and v["item"] == "_printf_i" for v in verdicts), "no forbidden _printf_i")
    check(any(v["item"] == "libc_nano.a" and v["status"] == "exceeded" and v["contributors"] > 0 for v in verdicts),
          "libc_nano.a is not shown exceeded with contributors")
    check(all(v["bar"] for v in verdicts if v["status"] in ("exceeded", "ok", "warning")), "a verdict without its bar")
    marks = {(n["kind"], n["name"]): n["mark"] for n in nodes()}
    check(marks.get(("region", "FLASH")) == "exceeded", f"FLASH is coloured {marks.get(('region', 'FLASH'))}")
    check(marks.get(("region", "RAM")) == "ok", f"RAM is coloured {marks.get(('region', 'RAM'))}")
    check(browser.script("return document.querySelector('.badge').textContent;") == "over budget", "no failing badge")
    # Clicking a verdict shows its item in the treemap.
    browser.click(browser.find('.verdict[data-item="libc_nano.a"]')[0])
    check(any(n["name"] == "libc_nano.a" and n["mark"] == "exceeded" and n["depth"] == 1 for n in nodes()),
          "clicking libc_nano.a's verdict does not show it")
    browser.script("window.scrollTo(0, 0);")
    screenshot("check")
    browser.script("document.querySelector('.main').scrollIntoView();")
    screenshot("check-treemap")

    # --- diff: the new build coloured by change, region deltas on top ------------------------
    page = os.path.join(tmp, "diff.html")
    run("diff", nano, fixture_map("overflow"), "--format", "html", "-o", page)
    open_page(page)
    no_requests_left()
    figures = browser.script("return [...document.querySelectorAll('.region-figure')].map(f => f.textContent);")
    check(any("+3,648 B" in f for f in figures), f"FLASH's +3648 is not on top: {figures}")
    check(any("−3,156 B" in f for f in figures), f"RAM's -3156 is not on top: {figures}")
    click_node("region", "FLASH")
    shown = nodes()
    added = [n for n in shown if n["mark"] == "added"]
    check(any(n["name"] == "main.o" and n["bytes"] >= 5000 for n in added) or
          any(n["name"] == "(no archive)" for n in added), f"the added main.o is not marked: {added[:3]}")
    changed = table("Changed archives")
    check(changed and all(isinstance(r[3], (int, float)) for r in changed), "no changed archives table")
    screenshot("diff")

    # --- hostile names stay text ---------------------------------------------------------------
    with open(nano, encoding="utf-8", errors="surrogateescape") as f:
        text = f.read()
    evil = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>&amp;"\''
    hostile = os.path.join(tmp, "hostile.map")
    with open(hostile, "w", encoding="utf-8", errors="surrogateescape") as f:
        f.write(text.replace("main.o", "m" + evil.replace(" ", "_") + ".o"))
    page = os.path.join(tmp, "hostile.html")
    run("report", hostile, "--format", "html", "-o", page)
    open_page(page)
    check(browser.script("return window.pwned === undefined;"), "a name in the map ran as script")
    check(browser.script("return document.scripts.length;") == 3, "the page has more than its three scripts")
    check(browser.script("return document.querySelectorAll('img').length;") == 0, "a name in the map became an element")
    # The object's path holds "</script>": the whole name is in its Path cell, as written.
    cells = [c for r in table("Objects") for c in r if isinstance(c, str)]
    check(any(evil.replace(" ", "_") in c for c in cells), "the hostile object path is not shown as written")

    # --- a big link: folded, small, quick ----------------------------------------------------
    if generate_map:
        big = os.path.join(tmp, "symbols.map")
        subprocess.run([generate_map, "symbols", "24", big], check=True, capture_output=True)
        count = len(json.loads(run("report", big, "--format", "json", "--by", "symbol"))["symbols"])
        check(count >= 200_000, f"the big map has only {count} symbols")
        page = os.path.join(tmp, "big.html")
        run("report", big, "--format", "html", "-o", page)
        size = os.path.getsize(page)
        check(size <= 10_000_000, f"the page of {count} symbols is {size} bytes")
        ready = open_page(page)
        check(ready < 2000, f"the page of {count} symbols was ready after {ready} ms")
        shown = nodes()
        check(shown and len(shown) < 5000, f"the big page draws {len(shown)} nodes")
        click_node("region", shown[0]["name"] if shown else "")
        check(any(n["kind"] == "folded" for n in nodes()) or browser.script(
            "return document.getElementById('sb-data').textContent.includes('more)');"),
            "nothing of the big map was folded")
        print(f"big map: {count} symbols, page {size} bytes, ready in {ready} ms")
finally:
    browser.close()

if failures:
    print(f"{len(failures)} failure(s)", file=sys.stderr)
    sys.exit(1)
print("html report: all browser checks passed")
