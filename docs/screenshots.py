"""Retake the README's screenshots from a running `make run` server: .venv/bin/python docs/screenshots.py"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
OUT = Path(__file__).parent / "screenshots"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def main():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{BASE}/accounts/login/")
        page.fill("#id_username", "demo")
        page.fill("#id_password", "demo-password-change-me")
        page.click("button[type=submit]")
        page.click("text=Fair Transit for Riverbend")
        page.screenshot(path=OUT / "campaign.png")
        page.click("text=Keep Valley Transit running")
        letter_url = page.url
        page.screenshot(path=OUT / "preview.png", full_page=True)
        public_url = page.locator("a.public-link").get_attribute("href")
        page.click("text=Edit")
        page.screenshot(path=OUT / "edit.png")
        page.goto(letter_url)
        page.click("a:has-text('Signers')")
        page.screenshot(path=OUT / "signatures.png")
        page.click("text=Possible duplicates")
        page.screenshot(path=OUT / "duplicates.png")
        page.goto(letter_url)
        page.click("a:has-text('PDF')")
        page.click("text=Render PDF")
        page.wait_for_selector("text=Download", timeout=60_000)
        page.screenshot(path=OUT / "pdf.png")
        signer = browser.new_page(viewport={"width": 1280, "height": 900})
        signer.goto(BASE + public_url)
        signer.screenshot(path=OUT / "sign.png")
        browser.close()


if __name__ == "__main__":
    main()
