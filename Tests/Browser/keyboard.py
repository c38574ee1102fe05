"""Keyboard-only use of the main forms: sign in, start an application, fill and save it, and open a review,
with Tab, arrow keys, Space and Enter alone; every control reached shows a visible focus outline."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402

from browser import OUT, PASSWORD, Browser, credit_code  # noqa: E402

browser = Browser(os.path.join(OUT, "keyboard"))
driver = browser.driver
problems = []
presses = {"count": 0}


def press(*keys):
    ActionChains(driver).send_keys(*keys).perform()
    presses["count"] += len(keys)


def focused():
    return driver.execute_script("""
        const el = document.activeElement; const style = getComputedStyle(el);
        return {tag: el.tagName.toLowerCase(), name: el.name || '', id: el.id || '', type: el.type || '', text: (el.innerText || el.value || '').trim().slice(0, 40),
                outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0 || style.boxShadow !== 'none'};""")


def tab_to(matches, limit=400, where=""):
    """Presses Tab until the focused element matches; every stop must show its focus."""
    for _ in range(limit):
        press(Keys.TAB)
        element = focused()
        if element["tag"] in ("input", "select", "textarea", "button", "a") and not element["outline"]:
            problems.append(f"{where}: 焦点不可见 {element}")
        if matches(element):
            return element
    raise AssertionError(f"{where}: 按 Tab {limit} 次未到达目标")


def type_text(text):
    ActionChains(driver).send_keys(text).perform()


# Sign in as the demo enterprise.
browser.get("/login")
tab_to(lambda e: e["name"] == "login", where="登录")
type_text(credit_code("MA0K3L7P"))
press(Keys.TAB)
type_text(PASSWORD)
press(Keys.ENTER)
browser.wait.until(lambda d: "/enterprise" in d.current_url)
browser.shot("signed-in")

# Start an application: reach the direction radios, move with the arrow keys, select with Space, create with Enter.
browser.get("/enterprise/applications/new")
tab_to(lambda e: e["name"] == "direction", where="选择方向")
press(Keys.ARROW_DOWN)
press(Keys.SPACE)
chosen = driver.execute_script("return document.querySelector('input[name=direction]:checked')?.value")
assert chosen, "方向单选未能用键盘选中"
tab_to(lambda e: e["tag"] == "button" and "创建申报草稿" in e["text"], where="创建草稿")
press(Keys.ENTER)
browser.wait.until(lambda d: "/enterprise/applications/" in d.current_url and "/new" not in d.current_url)
browser.shot("draft")

# Fill the project name and save with Enter from the single-line field; then a text area, saved with the button.
tab_to(lambda e: e["name"] == "projectName", where="申报表")
ActionChains(driver).key_down(Keys.CONTROL).send_keys("a").key_up(Keys.CONTROL).perform()
type_text("键盘填写的项目名称")
press(Keys.ENTER)
browser.wait.until(lambda d: "done=saved" in d.current_url)
assert driver.find_element("name", "projectName").get_attribute("value") == "键盘填写的项目名称"
tab_to(lambda e: e["tag"] == "textarea", where="申报表文本")
type_text("只用键盘填写的概况。")
tab_to(lambda e: e["tag"] == "button" and "保存草稿" in e["text"], where="保存按钮")
driver.execute_script("history.replaceState(null, '', location.pathname)")
press(Keys.ENTER)
browser.wait.until(lambda d: "done=saved" in d.current_url)
assert "只用键盘填写的概况。" in driver.page_source
browser.shot("saved")

# A reviewer opens an application from the list with the keyboard.
browser.login("taiyuan")
browser.get("/review?status=submitted")
tab_to(lambda e: e["tag"] == "a" and e["text"] == "审核", where="审核列表")
press(Keys.ENTER)
browser.wait.until(lambda d: "/review/applications/" in d.current_url)
browser.shot("review-detail")
tab_to(lambda e: e["tag"] == "button" and "审核通过" in e["text"], where="审核表单")

browser.quit()
result = {"按键次数": presses["count"], "问题": problems + browser.problems}
print(json.dumps(result, ensure_ascii=False, indent=1))
sys.exit(1 if result["问题"] else 0)
