"""Take the README's screenshots from a running demo: `make demo`, then
`.venv/bin/python scripts/screenshots.py http://127.0.0.1:8000`; with `--pages`, the ten main
pages at 1280 and 390 px wide into docs/screenshots/pages/ (one language each, all five used)."""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def main(base: str) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 860})
        page.goto(f"{base}/clusters/?country=ES")
        page.screenshot(path=OUT / "directory.png")
        page.goto(f"{base}/map/")
        page.wait_for_selector("#map[data-ready=true]")
        page.screenshot(path=OUT / "map.png")
        page.goto(f"{base}/accounts/login/")
        page.fill("input[name=login]", "clusaga-manager")
        page.fill("input[name=password]", "atclusters-demo-2026")
        page.click("main form button[type=submit]")
        page.goto(f"{base}/clusters/clusaga/")
        page.screenshot(path=OUT / "cluster-profile.png", full_page=False)
        page.context.add_cookies([{"name": "django_language", "value": "gl", "url": base}])
        page.goto(f"{base}/import/")
        page.screenshot(path=OUT / "import-gl.png")
        page.goto(f"{base}/es/clusters/clusaga/partners/")
        page.screenshot(path=OUT / "partners-es.png")
        page.goto(f"{base}/fr/cooperation/meta-clusters/")
        page.screenshot(path=OUT / "meta-clusters-fr.png")
        page.goto(f"{base}/en/cooperation/network/")
        page.locator("g.node", has_text="IGAPE").click()
        page.locator("figure.network").screenshot(path=OUT / "cooperation-network.png")
        browser.close()


# The ten main pages, each in one of the five languages.
PAGES = [
    ("home", "/en/"),
    ("directory", "/es/clusters/?country=ES"),
    ("cluster-profile", "/gl/clusters/clusaga/"),
    ("map", "/pt/map/"),
    ("region", "/fr/regions/ES11/"),
    ("portfolio", "/en/regions/ES11/portfolio/"),
    ("compare", "/es/statistics/compare/?regions=ES11,PT11,IE05"),
    ("category-map", "/gl/statistics/categories/B-E/?categories=a10&level=2"),
    ("partner-search", "/pt/partner-search/"),
    ("privacy", "/fr/about/privacy/"),
]


def pages(base: str) -> None:
    out = OUT / "pages"
    out.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for width, height in ((1280, 860), (390, 844)):
            page = browser.new_page(viewport={"width": width, "height": height})
            for name, path in PAGES:
                page.goto(f"{base}{path}")
                if path.endswith("/map/"):
                    page.wait_for_selector("#map[data-ready=true]")
                page.wait_for_load_state("networkidle")
                page.screenshot(path=out / f"{name}-{width}.png")
            page.close()
        browser.close()


if __name__ == "__main__":
    arguments = [a for a in sys.argv[1:] if not a.startswith("--")]
    base = arguments[0] if arguments else "http://127.0.0.1:8000"
    pages(base) if "--pages" in sys.argv else main(base)
