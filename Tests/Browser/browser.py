"""Shared helpers for the browser checks: a headless Chromium, form filling, screenshots, and the page checks
(CJK glyphs present, form fields labelled, no injected markup) every step runs."""
import os
import random
import struct
import sys
import zlib

from selenium import webdriver
from selenium.common.exceptions import UnexpectedAlertPresentException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

BASE = os.environ.get("JIGAI_BASE", "http://127.0.0.1:18080")
OUT = os.path.abspath(os.environ.get("JIGAI_E2E_OUT", "data/e2e"))
PASSWORD = "Jigai-Demo-2023"

# Draws each distinct non-ASCII character of the page on a canvas in the page's font and compares it with the
# .notdef box drawn for characters no font has; returns the ones that come out as that box.
GLYPH_CHECK = r"""
const style = getComputedStyle(document.body);
const canvas = document.createElement('canvas'); canvas.width = 48; canvas.height = 48;
const ctx = canvas.getContext('2d', {willReadFrequently: true});
ctx.font = '32px ' + style.fontFamily;
const draw = ch => { ctx.clearRect(0, 0, 48, 48); ctx.fillText(ch, 4, 38); return ctx.getImageData(0, 0, 48, 48).data.join(','); };
const notdef = new Set([draw('\uE000'), draw('\u0378'), draw('\uFFFF')]);
const known = draw('申');
const chars = [...new Set([...document.body.innerText].filter(c => c.codePointAt(0) > 0x2E7F && !/\s/.test(c)))];
return {capable: !notdef.has(known), checked: chars.length, missing: chars.filter(c => notdef.has(draw(c)))};
"""

# Every visible input, select and textarea must have a label a screen reader announces.
LABEL_CHECK = r"""
const unlabelled = [];
for (const el of document.querySelectorAll('input, select, textarea')) {
  if (el.type === 'hidden' || el.type === 'submit' || el.offsetParent === null) continue;
  const byFor = el.id && document.querySelector('label[for="' + CSS.escape(el.id) + '"]');
  if (!(byFor || el.closest('label') || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby'))) unlabelled.push(el.name || el.id || el.outerHTML.slice(0, 60));
}
return unlabelled;
"""


class Browser:
    def __init__(self, out_dir, width=1400, height=1000):
        options = webdriver.ChromeOptions()
        for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", f"--window-size={width},{height}", "--lang=zh-CN"]:
            options.add_argument(argument)
        options.binary_location = "/usr/bin/chromium"
        # Debian's driver, so that Selenium never tries to download one.
        self.driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path="/usr/bin/chromedriver"))
        self.wait = WebDriverWait(self.driver, 30)
        self.out_dir = out_dir
        os.makedirs(out_dir, exist_ok=True)
        self.step = 0
        self.glyphs_checked = 0
        self.problems = []
        previous = sys.excepthook

        def keep_evidence(kind, value, traceback):
            """A failing step leaves its page behind: screenshot, address and HTML."""
            try:
                self.driver.save_screenshot(os.path.join(out_dir, "failure.png"))
                with open(os.path.join(out_dir, "failure.html"), "w") as handle:
                    handle.write(f"<!-- {self.driver.current_url} -->\n" + self.driver.page_source)
                print(f"失败时的页面：{self.driver.current_url}（截图 {out_dir}/failure.png）", file=sys.stderr)
            finally:
                previous(kind, value, traceback)

        sys.excepthook = keep_evidence

    def quit(self):
        self.driver.quit()

    def get(self, path):
        self.driver.get(BASE + path if path.startswith("/") else path)

    def shot(self, name):
        """Saves a screenshot and runs the page checks."""
        self.step += 1
        self.driver.save_screenshot(os.path.join(self.out_dir, f"{self.step:02d}-{name}.png"))
        self.check_page(name)

    def check_page(self, name):
        glyphs = self.driver.execute_script(GLYPH_CHECK)
        if not glyphs["capable"]:
            self.problems.append(f"{name}: 字形检查失效（已知汉字也被判为缺字）")
        if glyphs["missing"]:
            self.problems.append(f"{name}: 缺字 {''.join(glyphs['missing'])}")
        self.glyphs_checked += glyphs["checked"]
        unlabelled = self.driver.execute_script(LABEL_CHECK)
        if unlabelled:
            self.problems.append(f"{name}: 无标签的表单控件 {unlabelled}")

    def fill(self, name, value, index=0):
        element = self.driver.find_elements(By.NAME, name)[index]
        self.scroll(element)
        if element.tag_name == "select":
            Select(element).select_by_value(value)
        elif element.get_attribute("type") == "date":
            self.driver.execute_script("arguments[0].value = arguments[1]", element, value)
        else:
            element.clear()
            element.send_keys(value)

    def scroll(self, element):
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)

    def click(self, element):
        self.scroll(element)
        element.click()

    def radio(self, name, value):
        self.click(self.driver.find_element(By.CSS_SELECTOR, f'input[name="{name}"][value="{value}"]'))

    def button(self, text, confirm=False, within=None):
        scope = within or self.driver
        # Marks this page, so that waiting for the next one cannot be fooled by an address that already matches.
        self.driver.execute_script("window.__jigaiPreviousPage = true")
        self.click(scope.find_element(By.XPATH, f'.//button[normalize-space()="{text}"]'))
        if confirm:
            self.wait.until(EC.alert_is_present())
            self.driver.switch_to.alert.accept()

    def submit(self, text):
        """Clicks a submit button and waits until the next page has replaced this one."""
        self.button(text)
        self.wait.until(lambda d: d.execute_script("return !window.__jigaiPreviousPage && document.readyState === 'complete'"))

    def wait_url(self, fragment):
        """Waits for a new page whose address contains `fragment`."""
        self.wait.until(lambda d: fragment in d.current_url
                        and d.execute_script("return !window.__jigaiPreviousPage && document.readyState === 'complete'"))

    def text(self):
        return self.driver.find_element(By.TAG_NAME, "body").text

    def login(self, login, password=PASSWORD):
        self.driver.delete_all_cookies()
        self.get("/login")
        self.fill("login", login)
        self.fill("password", password)
        self.button("登录")
        self.wait.until(lambda d: "/login" not in d.current_url)


def credit_code(body, region="91140100"):
    """A 统一社会信用代码 with valid GB 11714 and GB 32100 check characters."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    organisation_weights = [3, 7, 9, 10, 5, 8, 4, 2]
    value = lambda c: int(c) if c.isdigit() else ord(c) - 55
    remainder = 11 - sum(value(c) * w for c, w in zip(body, organisation_weights)) % 11
    prefix = region + body + ("X" if remainder == 10 else "0" if remainder == 11 else str(remainder))
    return prefix + alphabet[(31 - sum(alphabet.index(c) * w for c, w in zip(prefix, weights)) % 31) % 31]


def random_credit_code():
    return credit_code("MA%06d" % random.randint(0, 999999))


def pdf(path, pages=2):
    """A small well-formed PDF with a correct cross-reference table."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>",
               "<< /Type /Pages /Kids [%s] /Count %d >>" % (" ".join("%d 0 R" % (i + 3) for i in range(pages)), pages)]
    objects += ["<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * pages
    out = "%PDF-1.4\n"
    offsets = []
    for index, body in enumerate(objects):
        offsets.append(len(out.encode()))
        out += "%d 0 obj\n%s\nendobj\n" % (index + 1, body)
    xref = len(out.encode())
    out += "xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1) + "".join("%010d 00000 n \n" % o for o in offsets)
    out += "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    with open(path, "w") as handle:
        handle.write(out)
    return path


def png(path, width=320, height=240):
    """A site photo stand-in: a real PNG with a gradient."""
    rows = b"".join(b"\x00" + b"".join(bytes((x * 255 // width, y * 255 // height, 120)) for x in range(width)) for y in range(height))
    chunk = lambda kind, data: struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
    with open(path, "wb") as handle:
        handle.write(data)
    return path


__all__ = ["Browser", "By", "EC", "UnexpectedAlertPresentException", "credit_code", "random_credit_code", "pdf", "png", "BASE", "OUT", "PASSWORD"]
