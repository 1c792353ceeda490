"""Drives pilot-web's pages in headless Chromium (Debian's chromium + chromium-driver) with
selenium, the way a buyer and an operator use them. Run by BrowserTests.swift against a
real pilot-web over a store filled by a rehearsed pilot.

Usage: browser_check.py CONFIG.json   (see BrowserTests.swift for the keys)
Prints one line per check; exits 1 on the first failed check, 0 when all pass.
"""
import json
import sys
import urllib.error
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

config = json.load(open(sys.argv[1]))
base = config["base"]
artifacts = config["artifacts"]


def check(condition, message):
    if not condition:
        print("FAIL:", message, flush=True)
        sys.exit(1)
    print("ok:", message, flush=True)


def status_of(path):
    """The HTTP status, fetched outside the browser (selenium does not expose it)."""
    try:
        return urllib.request.urlopen(base + path, timeout=10).status
    except urllib.error.HTTPError as error:
        return error.code


options = Options()
options.binary_location = config.get("chromium", "/usr/bin/chromium")
for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900",
                 "--hide-scrollbars", "--force-color-profile=srgb", "--disable-extensions", "--no-first-run"]:
    options.add_argument(argument)
options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
driver = webdriver.Chrome(service=Service(config.get("chromedriver", "/usr/bin/chromedriver")), options=options)
wait = WebDriverWait(driver, 15)
console = []


def visit(path):
    driver.get(base + path)
    wait.until(lambda d: d.execute_script("return document.readyState") == "complete")
    collect()


def collect():
    for entry in driver.get_log("browser"):
        console.append(entry)


def console_clean(what, allow_http_errors=False):
    collect()
    bad = [e for e in console if e["level"] in ("SEVERE", "WARNING")
           and not (allow_http_errors and "the server responded with a status of 403" in e["message"])]
    check(not any("Content Security Policy" in e["message"] or "Refused to" in e["message"] for e in console),
          f"{what}: no CSP violation in the console")
    check(not bad, f"{what}: browser console clean {bad}")
    check(not driver.find_elements(By.TAG_NAME, "script"), f"{what}: the page has no script")
    console.clear()


def screenshot(name):
    height = driver.execute_script("return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)")
    driver.set_window_size(1280, min(max(height + 40, 900), 6000))
    path = f"{artifacts}/{name}"
    driver.save_screenshot(path)
    driver.set_window_size(1280, 900)
    print("screenshot:", path, flush=True)


try:
    # The buyer's page.
    visit(config["share"])
    check(config["company"] in driver.find_element(By.TAG_NAME, "h1").text, "buyer page names the company")
    rows = driver.find_elements(By.CSS_SELECTOR, "#criteria-table tbody tr")
    check(len(rows) >= 3, f"criteria table has a row per criterion ({len(rows)})")
    headers = [th.text for th in driver.find_elements(By.CSS_SELECTOR, "#criteria-table thead th[scope=col]")]
    check(headers[:3] == ["Criterion", "Target", "Latest"], f"criteria table headers {headers}")
    milestones = [r.find_element(By.TAG_NAME, "th").text for r in driver.find_elements(By.CSS_SELECTOR, "#milestones-table tbody tr")]
    check(milestones == ["Kickoff meeting", "Agreement signed", "Integration done (first metrics)", "Mid-pilot check-in",
                         "Results readout", "Decision meeting"], f"six milestones {milestones}")
    owners = [r.find_elements(By.TAG_NAME, "td")[0].text for r in driver.find_elements(By.CSS_SELECTOR, "#milestones-table tbody tr")]
    check(owners == ["Vendor", "Buyer", "Buyer", "Vendor", "Vendor", "Buyer"], f"milestone owners {owners}")
    charts = driver.find_elements(By.CSS_SELECTOR, "figure.chart img")
    check(len(charts) >= 1, f"charts on the page ({len(charts)})")
    wait.until(lambda d: all(d.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0", c) for c in charts))
    check(True, "every chart image loaded")
    where = driver.find_element(By.CSS_SELECTOR, "section[aria-labelledby=where]").text
    check("Day " in where or "Finished" in where, f"the page says where the pilot stands: {where[:80]!r}")
    console_clean("buyer page")
    screenshot("buyer-page.png")

    # Follow a document link.
    links = driver.find_elements(By.CSS_SELECTOR, "ul.documents a")
    check(len(links) >= 2, f"documents to download ({len(links)})")
    names = [a.text for a in links]
    target = next((a for a in links if a.text == "Results"), links[0])
    label = target.text
    target.click()
    wait.until(lambda d: "/documents/" in d.current_url)
    body = driver.find_element(By.TAG_NAME, "body").text
    check("/share/" in driver.current_url and len(body) > 100 and "does not open" not in body,
          f"document link {label!r} opens the document ({len(body)} characters); offered: {names}")
    collect()
    console.clear()

    # Bad links: 403, a page that says so, nothing of the pilot.
    for name, path in config["refused"].items():
        check(status_of(path) == 403, f"{name}: 403")
        visit(path)
        text = driver.find_element(By.TAG_NAME, "body").text
        check("This link does not open a pilot page" in text, f"{name}: the page says the link does not open")
        check(config["company"] not in text and "criteria" not in text.lower(), f"{name}: nothing of the pilot shown")
        console_clean(name, allow_http_errors=True)

    # The dashboard: sign in, at-risk pilot first.
    visit("/")
    check(driver.current_url.endswith("/login"), "the dashboard sends a stranger to the sign-in form")
    field = driver.find_element(By.ID, "token")
    check(driver.find_element(By.CSS_SELECTOR, "label[for=token]") is not None, "the token field has a label")
    field.send_keys(config["token"])
    field.submit()
    wait.until(EC.presence_of_element_located((By.ID, "pilots-table")))
    cookie = driver.get_cookie("pilot_session")
    check(cookie is not None and cookie["httpOnly"] and cookie.get("sameSite") == "Strict", f"session cookie {cookie and {k: cookie[k] for k in ('httpOnly', 'sameSite')}}")
    check(config["token"] not in cookie["value"], "the cookie is not the token")
    first = driver.find_element(By.CSS_SELECTOR, "#pilots-table tbody tr th a").text
    check(first == config["at_risk"], f"the at-risk pilot comes first ({first})")
    outcome_text = driver.find_element(By.ID, "outcomes-table").text
    check("Success" in outcome_text and "Lost" in outcome_text, "success and loss reasons shown")
    queues = driver.find_element(By.ID, "queues-table").text
    check("pilot.stage.monitoring" in queues, "queue depths shown")
    letters = driver.find_elements(By.CSS_SELECTOR, "table.dead-letter-list th.event-id")
    check(config["dead_letter"] in [l.text for l in letters], f"the dead letter is listed ({[l.text for l in letters]})")
    console_clean("dashboard overview")
    screenshot("dashboard.png")

    # The pilot page: trace, documents, buyer link.
    driver.find_element(By.LINK_TEXT, config["thread"]).click()
    wait.until(EC.presence_of_element_located((By.ID, "trace-table")))
    trace = driver.find_element(By.ID, "trace-table").text
    check("pilot.requested" in trace and "pilot.monitor.tick" in trace, "the trace lists the events")
    check(driver.find_element(By.ID, "buyer-link").get_attribute("href").startswith(base + "/share/" + config["thread"] + "?exp="),
          "the pilot page offers the buyer link")
    console_clean("pilot page")

    # Replay the dead letter and see it leave the list.
    visit("/")
    form = driver.find_element(By.CSS_SELECTOR, f"table.dead-letters[data-stage={config['dead_stage']}] form")
    form.find_element(By.TAG_NAME, "button").click()
    wait.until(EC.presence_of_element_located((By.ID, "replay-result")))
    result = driver.find_element(By.ID, "replay-result").text
    check("Replayed 1 dead letter(s)" in result, f"the replay says what it did: {result}")
    console_clean("replay result")
    visit("/")
    letters = [l.text for l in driver.find_elements(By.CSS_SELECTOR, "table.dead-letter-list th.event-id")]
    check(config["dead_letter"] not in letters, f"the dead letter left the list ({letters})")
    console_clean("overview after the replay")
finally:
    driver.quit()
print("all browser checks passed", flush=True)
