"""The main pages each role reaches, found the way a person finds them: the navigation and the
links beside the person's name, then one page behind each kind of link on those pages (one per
URL shape)."""
import re
from pathlib import Path
from urllib.parse import urlparse

AXE = Path(__file__).parent.parent / "js" / "node_modules" / "axe-core" / "axe.min.js"
ROLES = {"agent": "agent@example.com", "coach": "coach@example.com", "admin": "admin@example.com"}
PASSWORD = "learning-demo"
SKIP = re.compile(r"\.(ics|csv|json|svg|png)$|format=csv|/logout|/unsubscribe|/export|/login|/sample")


def shape(path):
    """The URL with its numbers folded: /plans/12 and /plans/40 are the same page."""
    return re.sub(r"\d+", "N", path)


def links_on(page):
    hrefs = page.eval_on_selector_all("main a[href], nav.mainnav a[href], .usermenu a[href]", "els => els.map(e => e.href)")
    paths = []
    for href in hrefs:
        url = urlparse(href)
        path = url.path + (f"?{url.query}" if url.query else "")
        if url.netloc == urlparse(page.url).netloc and not SKIP.search(path):
            paths.append(path)
    return paths


def main_pages(page, limit=40):
    """Paths of the main pages: the navigation's, then one of each shape linked from them."""
    page.goto("/")
    nav = [p for p in links_on(page) if "?" not in p]
    seen, pages = set(), []
    for path in ["/"] + nav:
        if shape(path) not in seen:
            seen.add(shape(path))
            pages.append(path)
    for path in list(pages):
        page.goto(path)
        for found in links_on(page):
            if "?" not in found and shape(found) not in seen and len(pages) < limit:
                seen.add(shape(found))
                pages.append(found)
    return pages


def overflow(page):
    """How many pixels the page is wider than the window, and the widest culprits."""
    return page.evaluate("""() => {
      const root = document.documentElement, width = root.clientWidth;
      const wide = [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > width + 1)
        .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ').join('.') : ''));
      return {excess: root.scrollWidth - width, wide};
    }""")


def axe_violations(page):
    """axe-core's violations on the page as shown (WCAG 2.1 A and AA and best practices), as
    "rule: target" lines. The context must bypass the CSP for the injected script."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    results = page.evaluate("""() => axe.run(document, {resultTypes: ['violations']})
        .then(r => r.violations.map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')))""")
    return results
