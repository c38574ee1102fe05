"""The whole cycle in a real browser with the demo round: an enterprise registers, fills three applications in
different directions, uploads, self-checks, submits; the city returns one with comments, the enterprise fixes and
resubmits; the city inspects with a photo, approves and forwards a batch; the division decides; the admin opens the
dashboard. Screenshots of every step go to $JIGAI_E2E_OUT; each page is checked for missing glyphs and unlabelled fields."""
import json
import os
import subprocess
import sys
import time
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
from browser import OUT, Browser, By, EC, pdf, png, random_credit_code  # noqa: E402

out = os.path.join(OUT, "journey")
browser = Browser(out)
files = os.path.join(out, "files")
os.makedirs(files, exist_ok=True)
photo = png(os.path.join(files, "现场核查.png"))
results = {}


def upload_required(location):
    """Uploads a PDF for every required item still missing, the way a person does: one form at a time."""
    uploaded = 0
    while True:
        browser.get(location)
        target = None
        for form in browser.driver.find_elements(By.CSS_SELECTOR, "form.upload-form"):
            row = form.find_element(By.XPATH, "./ancestor::tr")
            if row.find_elements(By.CSS_SELECTOR, ".required-mark") and "未上传" in row.text:
                target = form
                break
        if target is None:
            return uploaded
        path = pdf(os.path.join(files, f"upload-{uploaded}.pdf"))
        target.find_element(By.CSS_SELECTOR, 'input[type="file"]').send_keys(path)
        browser.click(target.find_element(By.TAG_NAME, "button"))
        browser.wait_url("done=uploaded")
        uploaded += 1


def start(direction):
    browser.get("/enterprise/applications/new")
    browser.click(browser.driver.find_element(By.CSS_SELECTOR, f'input[name="direction"][value="{direction}"]'))
    browser.button("创建申报草稿")
    browser.wait.until(EC.url_matches(r".*/enterprise/applications/[0-9A-F-]{36}$"))
    return browser.driver.current_url


def common(revenue):
    browser.fill("overview.texts.establishment", "公司成立于2006年，控股股东为自然人。")
    browser.fill("overview.texts.business", "主营不锈钢精密带钢，国内市场占有率前五。")
    for period, values in revenue.items():
        for item, value in zip(["operatingRevenue", "mainBusinessRevenue", "totalProfit", "taxesPaid", "debtRatio"], values):
            browser.fill(f"overview.finances.{period}.{item}", value)
    browser.fill("performanceTargets.funding.provincial", "300")
    browser.fill("performanceTargets.goals", "主导产品产能提升20%")
    indicators = [("产出指标", "数量指标", "新增产能", "≥5万吨"), ("效益指标", "经济效益指标", "新增营业收入", "≥1亿元"), ("满意度指标", "服务对象满意度指标", "用户满意度", "≥90%")]
    for index, (level1, level2, name, value) in enumerate(indicators):
        browser.fill(f"performanceTargets.indicators[{index}].level1", level1)
        browser.fill(f"performanceTargets.indicators[{index}].level2", level2)
        browser.fill(f"performanceTargets.indicators[{index}].name", name)
        browser.fill(f"performanceTargets.indicators[{index}].value", value)
    box = browser.driver.find_element(By.NAME, "commitmentAccepted")
    if not box.is_selected():
        browser.click(box)


def save_and_check(name):
    browser.button("保存草稿")
    browser.wait_url("done=saved")
    verdict = browser.driver.find_element(By.CSS_SELECTOR, "[data-verdict-label]").text
    browser.shot(f"{name}-self-check")
    return verdict


def preview_report(location, name, button="预览申请报告（PDF）"):
    """Builds the 申请报告 from the application page, waits on the self-refreshing status page, then fetches the PDF
    with the browser's session and reads it back with pdfinfo and pdftotext."""
    browser.get(location)
    browser.button(button)
    browser.wait.until(lambda d: "申请报告已生成" in d.page_source or "alert-error" in d.page_source)
    browser.shot(f"{name}-report")
    assert "申请报告已生成" in browser.text(), f"{name} 申请报告未能生成：{browser.text()[:200]}"
    href = browser.driver.find_element(By.XPATH, '//a[normalize-space()="在浏览器中预览"]').get_attribute("href")
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in browser.driver.get_cookies())
    with urllib.request.urlopen(urllib.request.Request(href, headers={"Cookie": cookies})) as response:
        data = response.read()
    assert data.startswith(b"%PDF-"), f"{name} 预览的不是 PDF"
    path = os.path.join(files, f"{name}-report.pdf")
    with open(path, "wb") as handle:
        handle.write(data)
    pages = int(next(line.split()[-1] for line in subprocess.run(["pdfinfo", path], capture_output=True, text=True).stdout.splitlines() if line.startswith("Pages:")))
    text = subprocess.run(["pdftotext", path, "-"], capture_output=True, text=True).stdout
    assert "申 请 报 告" in text or "申请报告" in text, f"{name} 报告中没有封面标题"
    browser.get(location)
    return f"{pages} 页，{len(data) // 1024} KB"


def submit(name):
    browser.button("提交申报", confirm=True)
    browser.wait_url("done=submitted")
    browser.shot(f"{name}-submitted")
    assert "已提交" in browser.text(), f"{name} 未能提交"


# 1. Registration and the profile (情况表)
code = random_credit_code()
mobile = "139%08d" % (int(time.time()) % 100000000)
browser.get("/register")
browser.shot("register")
for field, value in [("creditCode", code), ("name", "浏览器测试实业有限公司"), ("contactName", "刘洋"), ("mobile", mobile),
                     ("password", "Jinci-Temple-2023"), ("passwordConfirmation", "Jinci-Temple-2023")]:
    browser.fill(field, value)
browser.button("注册")
browser.wait_url("/enterprise/profile")
for field, value in [("city", "140100"), ("county", "140110"), ("zone", "太原不锈钢产业园区"), ("ownership", "民营企业"),
                     ("industryCategory", "传统优势产业"), ("industry", "钢铁")]:
    browser.fill(field, value)
for field in ["independentLegalPerson", "implementedInShanxi", "noOtherProvincialFunds"]:
    browser.radio(field, "true")
browser.button("保存")
browser.wait_url("saved=1")
browser.shot("profile")

# 2. Three applications in different directions
finances = {"2021": ["100000", "98000", "5000", "3000", "55"], "2022": ["136000", "133000", "7000", "4000", "52"], "2023H1": ["70000", "69000", "3600", "2100", "50"]}
revenue = start("revenue-increase")
common(finances)
# 二级指标 offered under their own 一级指标 only (the page's script narrows the list as the 一级指标 is chosen).
level2 = browser.driver.find_element(By.NAME, "performanceTargets.indicators[0].level2")
unavailable = [option.get_attribute("value") for option in level2.find_elements(By.TAG_NAME, "option") if not option.is_enabled()]
assert "经济效益指标" in unavailable and "数量指标" not in unavailable, f"产出指标下的二级指标：{unavailable}"
results["二级指标随一级指标"] = "产出指标下不可选：" + "、".join(unavailable)
browser.radio("content.chainRevenueRewardSameYear", "false")
browser.fill("content.revenueNarrative", "2022年营收增量3.6亿元，增速36%，与专项审计报告一致。")
time.sleep(2.5)
results["自动保存"] = browser.driver.find_element(By.CSS_SELECTOR, "[data-autosave-status]").text
save_and_check("revenue")
results["营收增量奖励：上传"] = upload_required(revenue)
results["营收增量奖励：自检"] = browser.driver.find_element(By.CSS_SELECTOR, "[data-verdict-label]").text
results["营收增量奖励：申请报告预览"] = preview_report(revenue, "revenue")
submit("revenue")

whitelist = start("whitelist")
# The 资料库: 正文（一） and the common uploads of the first application are already in the second.
assert browser.driver.find_element(By.NAME, "overview.texts.establishment").get_attribute("value") == "公司成立于2006年，控股股东为自然人。", "资料库未带入正文（一）"
results["资料库：沿用的附件"] = len(browser.driver.find_elements(By.XPATH, "//span[@class='tag' and text()='沿用']"))
assert results["资料库：沿用的附件"] == 5, f"沿用的共同附件：{results['资料库：沿用的附件']}"
common({**finances, "2022": ["120000", "118000", "7000", "4000", "52"]})
browser.fill("content.listedBy", "省工信厅")
browser.fill("content.listedOn", "2022-08-15")
browser.fill("content.period", "2023年1至3月")
for index, (month, prior, current) in enumerate([("1-2月", "6800", "10400"), ("3月", "3600", "4100")]):
    browser.fill(f"content.monthlyOutput[{index}].month", month)
    browser.fill(f"content.monthlyOutput[{index}].priorOutput", prior)
    browser.fill(f"content.monthlyOutput[{index}].currentOutput", current)
browser.fill("content.output2022", "52800")
browser.fill("content.whitelistNarrative", "2022年8月纳入省工信厅白名单。")
browser.fill("projectName", "“白名单”企业奖励（2023年1至3月）")
save_and_check("whitelist")
upload_required(whitelist)
results["白名单：自检"] = browser.driver.find_element(By.CSS_SELECTOR, "[data-verdict-label]").text
submit("whitelist")

park = start("industrial-carrier/green-park")
common({**finances, "2022": ["120000", "118000", "7000", "4000", "52"]})
browser.fill("content.carrierName", "太原不锈钢产业园区国家级绿色园区")
browser.fill("content.recognitionYear", "2022")
browser.fill("content.recognitionDocument", "工信厅节函〔2022〕351号")
browser.fill("content.construction", "园区以不锈钢为主导，能源梯级利用。")
browser.fill("projectName", "太原不锈钢产业园区国家级绿色园区")
save_and_check("green-park")
upload_required(park)
results["绿色园区：自检"] = browser.driver.find_element(By.CSS_SELECTOR, "[data-verdict-label]").text
submit("green-park")
browser.get("/enterprise")
browser.shot("enterprise-dashboard")

# 3. The city returns the revenue application with a comment on one field
revenue_id = revenue.rstrip("/").split("/")[-1]
browser.login("taiyuan")
browser.get("/review")
browser.shot("city-list")
assert "浏览器测试实业有限公司" in browser.text(), "市级审核列表中没有新提交的申报"
browser.get(f"/review/applications/{revenue_id}")
browser.shot("city-detail")
browser.driver.find_element(By.ID, "return-comment").send_keys("请补充主营业务说明。")
browser.fill("noteTarget0", "overview.texts.business")
browser.fill("noteText0", "主营业务请写明主要产品及产能")
browser.button("退回修改", confirm=True)
browser.wait_url("done=returned")
browser.shot("city-returned")

# 4. The enterprise sees the comment where it belongs, fixes and resubmits
browser.login(code, "Jinci-Temple-2023")
browser.get("/enterprise")
assert "主营业务请写明主要产品及产能" in browser.text(), "企业首页没有显示审核意见"
browser.shot("enterprise-notice")
browser.get(revenue)
note = browser.driver.find_element(By.CSS_SELECTOR, ".has-note .review-note")
assert "主要产品及产能" in note.text
browser.shot("enterprise-returned-form")
browser.fill("overview.texts.business", "主营不锈钢精密带钢，年产能 60 万吨，国内市场占有率前五。")
browser.button("保存草稿")
browser.wait_url("done=saved")
submit("revenue-resubmitted")

# 5. The city sees what changed, inspects with a photo, approves both, forwards a batch
browser.login("taiyuan")
browser.get(f"/review/applications/{revenue_id}")
assert "退回后的修改" in browser.text() and "年产能 60 万吨" in browser.text(), "审核员看不到重新提交后的修改"
browser.shot("city-revision")
results["市级审核员：申请报告"] = preview_report(browser.driver.current_url, "city", button="生成申请报告（PDF）")
for application in [revenue_id, whitelist.rstrip("/").split("/")[-1]]:
    browser.get(f"/review/applications/{application}")
    browser.radio("compliant", "true")
    browser.fill("description", "项目已建成投产，申报资料与现场一致。")
    browser.fill("leader", "王建国")
    browser.fill("members", "李明、赵磊")
    browser.fill("inspectedOn", "2023-10-25")
    browser.driver.find_element(By.ID, "photos").send_keys(photo)
    browser.button("记录现场核查")
    browser.wait_url("done=inspected")
    assert browser.driver.find_elements(By.CSS_SELECTOR, ".photos img"), "核查照片未显示"
    browser.shot("city-inspected")
    browser.button("审核通过", confirm=True)
    browser.wait_url("done=approved")
browser.get("/review/forwarding")
browser.fill("opinion", "经审核，申报资料真实完整，同意推荐。")
browser.shot("city-forwarding")
browser.button("报送省厅", confirm=True)
browser.wait.until(EC.url_matches(r".*/review/forwardings/[0-9A-F-]{36}$"))
browser.shot("city-forwarded")

# 6. 原材料处 decides on the steel company's revenue reward
browser.login("yuancailiao")
browser.get("/review")
browser.shot("division-queue")
browser.get(f"/review/applications/{revenue_id}")
browser.radio("decision", "proposedReward")
browser.fill("opinion", "符合附件1（十）条件，拟奖励。")
browser.button("提交决定", confirm=True)
browser.wait_url("done=decided")
browser.shot("division-decided")
assert "拟奖励" in browser.text()

# 7. The admin sees it on the dashboard
browser.login("admin")
browser.get("/admin/statistics")
if "统计" not in browser.driver.title:
    browser.get("/review?status=proposedReward")
assert "拟奖励" in browser.text(), "管理员看不到拟奖励的申报"
browser.shot("admin-dashboard")

# 8. A phone-width view of the form
browser.driver.set_window_size(390, 1400)
browser.login(code, "Jinci-Temple-2023")
browser.get(park)
browser.shot("phone-application")

results["截图"] = browser.step
results["检查的字形"] = browser.glyphs_checked
results["问题"] = browser.problems
browser.quit()
print(json.dumps(results, ensure_ascii=False, indent=1))
if browser.problems:
    sys.exit(1)
