"""Take the README's screenshots from a running demo: `make demo`, then
`.venv/bin/python scripts/screenshots.py http://127.0.0.1:8000`."""

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


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")
