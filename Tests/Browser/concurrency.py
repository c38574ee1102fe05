"""Two tabs on one draft: tab B saves a field; tab A, opened before, changes the same field. A's autosave says someone
else saved and stores nothing; A's 保存草稿 is refused with 409 and a banner offering to reload, and what A typed is
still in the field. Then a change to a different field from a stale tab is merged with B's."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from browser import OUT, Browser, By  # noqa: E402

browser = Browser(os.path.join(OUT, "concurrency"))
driver = browser.driver
results = {}

browser.login("91140100MA0K3L7P84")
browser.get("/enterprise")
draft = driver.find_element(By.XPATH, '//a[normalize-space()="填写"]').get_attribute("href")
tab_a = driver.current_window_handle
browser.get(draft)
# The first text area of the form (正文（一）申报单位概况): every direction's form has it.
field = driver.find_element(By.CSS_SELECTOR, "form[data-autosave] textarea").get_attribute("name")
driver.switch_to.new_window("tab")
tab_b = driver.current_window_handle
browser.get(draft)
browser.fill(field, "乙：2022年营业收入增长 12.5%，数据见审计报告第 3 页。")
browser.submit("保存草稿")
results["乙保存"] = "done=saved" in driver.current_url

driver.switch_to.window(tab_a)
browser.fill(field, "甲：营业收入增长情况以专项审计报告为准。")
browser.wait.until(lambda d: "为免覆盖" in d.find_element(By.CSS_SELECTOR, "[data-autosave-status]").text)
results["甲自动保存：提示他人已保存"] = driver.find_element(By.CSS_SELECTOR, "[data-autosave-status]").text
results["甲自动保存：提供重新载入"] = bool(driver.find_elements(By.CSS_SELECTOR, "[data-autosave-status] a"))
browser.shot("autosave-conflict")

browser.submit("保存草稿")
banner = driver.find_element(By.ID, "edit-conflict").text
results["甲保存：冲突说明"] = banner
kept = driver.find_element(By.NAME, field).get_attribute("value")
results["甲保存：本页内容仍在"] = kept.startswith("甲：")
browser.shot("save-conflict")

driver.switch_to.window(tab_b)
browser.get(draft)
stored = driver.find_element(By.NAME, field).get_attribute("value")
results["乙的内容未被覆盖"] = stored.startswith("乙：")

problems = list(browser.problems)
if not results["乙保存"]:
    problems.append("乙保存未成功")
if not results["甲自动保存：提供重新载入"]:
    problems.append("自动保存冲突时没有“重新载入”链接")
if "为免覆盖" not in banner:
    problems.append(f"保存冲突时没有说明：{banner!r}")
if not results["甲保存：本页内容仍在"]:
    problems.append(f"冲突后本页填写的内容丢失：{kept!r}")
if not results["乙的内容未被覆盖"]:
    problems.append(f"乙保存的内容被覆盖：{stored!r}")
print(json.dumps({**results, "截图": browser.step, "问题": problems}, ensure_ascii=False, indent=1))
browser.quit()
sys.exit(1 if problems else 0)
