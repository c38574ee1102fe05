"""An XSS corpus typed into the free-text fields of the enterprise's and the reviewers' forms and rendered on every
page that shows them, in Chromium. A payload "executes" if it sets window.__xss, opens a dialog, or if any element
carrying its data-xss marker appears in the DOM (that last check does not rely on the Content-Security-Policy:
it fails on any escaping mistake)."""
import json
import os
import random
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(__file__))
from browser import OUT, Browser, By, EC, UnexpectedAlertPresentException, pdf, random_credit_code  # noqa: E402

PAYLOADS = [
    '<script data-xss>window.__xss=1</script>',
    '<img src=x onerror="window.__xss=1" data-xss>',
    '<svg onload=window.__xss=1 data-xss>',
    '"><img src=x onerror=window.__xss=1 data-xss>',
    "'><svg/onload=window.__xss=1 data-xss>",
    '" autofocus onfocus="window.__xss=1" data-xss="',
    "' onmouseover='window.__xss=1' data-xss='",
    'javascript:window.__xss=1',
    '<a href="javascript:window.__xss=1" data-xss>点我</a>',
    '<iframe src="javascript:window.__xss=1" data-xss></iframe>',
    '</textarea><img src=x onerror=window.__xss=1 data-xss>',
    '</title><img src=x onerror=window.__xss=1 data-xss>',
    '</script><img src=x onerror=window.__xss=1 data-xss>',
    '${window.__xss=1}',
    "{{constructor.constructor('window.__xss=1')()}}",
    '#(chrome.csrf)#unsafeHTML("<b data-xss>")',
    '<details open ontoggle=window.__xss=1 data-xss>',
    '<body onload=window.__xss=1 data-xss>',
    '<input autofocus onfocus=window.__xss=1 data-xss>',
    '<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=1 data-xss>',
    "<style>@import 'javascript:window.__xss=1';</style><b data-xss>",
    '<meta http-equiv="refresh" content="0;url=javascript:window.__xss=1" data-xss>',
    '<object data="javascript:window.__xss=1" data-xss>',
    '<embed src="javascript:window.__xss=1" data-xss>',
    '<form action="javascript:window.__xss=1" data-xss><button>提交</button></form>',
    '<IMG SRC=x oNeRrOr=window.__xss=1 data-xss>',
    '&lt;img src=x onerror=window.__xss=1 data-xss&gt;',
    '＜script＞window.__xss=1＜/script＞',
    '<scr\u0338ipt data-xss>window.__xss=1</scr\u0338ipt>',
    '<img src=x onerror=window.__xss=1 data-xss>\u202e',
    'a\u0301\u0302\u0303<img src=x onerror=window.__xss=1 data-xss>',
    '%3Cimg%20src%3Dx%20onerror%3Dwindow.__xss%3D1%20data-xss%3E',
    '\\u003cimg src=x onerror=window.__xss=1 data-xss\\u003e',
    '</style><img src=x onerror=window.__xss=1 data-xss>',
    '<!--<img src="--><img src=x onerror=window.__xss=1 data-xss>-->',
    '<noscript><p title="</noscript><img src=x onerror=window.__xss=1 data-xss>">',
    '"-window.__xss=1-"',
    '<x data-xss contenteditable onblur=window.__xss=1>测试',
    '\u200b<svg><animate onbegin=window.__xss=1 attributeName=x dur=1s data-xss>',
    '<a href="&#106;avascript:window.__xss=1" data-xss>链接</a>',
]

out = os.path.join(OUT, "xss")
browser = Browser(out)
checked = {"pages": 0, "fields": 0}
executed = []


def verify(where):
    """The page as loaded must show no sign of any payload having run or been parsed as markup."""
    checked["pages"] += 1
    try:
        state = browser.driver.execute_script("return [window.__xss || null, document.querySelectorAll('[data-xss]').length]")
    except UnexpectedAlertPresentException:
        browser.driver.switch_to.alert.dismiss()
        executed.append(f"{where}: 弹出了对话框")
        return
    if state[0] is not None:
        executed.append(f"{where}: 脚本被执行")
    if state[1]:
        executed.append(f"{where}: {state[1]} 个注入的元素出现在页面中")


def type_into(name, value, index=0):
    elements = browser.driver.find_elements(By.NAME, name)
    element = elements[index]
    browser.scroll(element)
    element.clear()
    element.send_keys(value)
    checked["fields"] += 1


def chunks(limit):
    """The payloads grouped so that each group fits a field of `limit` characters."""
    group = ""
    for payload in PAYLOADS:
        if group and len(group) + len(payload) + 1 > limit:
            yield group
            group = ""
        group = payload if not group else group + "\n" + payload
    if group:
        yield group


# The enterprise: every payload through its free-text fields, shown on the form, the dashboard and the profile.
code = random_credit_code()
browser.get("/register")
for field, value in [("creditCode", code), ("name", "跨站脚本测试有限公司"), ("contactName", "测试员"), ("mobile", "137%08d" % random.randint(0, 99999999)),
                     ("password", "Jinci-Temple-2023"), ("passwordConfirmation", "Jinci-Temple-2023")]:
    browser.fill(field, value)
browser.button("注册")
browser.wait_url("/enterprise/profile")
for field, value in [("city", "140100"), ("county", "140110"), ("ownership", "民营企业"), ("industryCategory", "传统优势产业"), ("industry", "钢铁")]:
    browser.fill(field, value)
for field in ["independentLegalPerson", "implementedInShanxi", "noOtherProvincialFunds"]:
    browser.radio(field, "true")
for index, payload in enumerate(PAYLOADS):
    type_into("zone", payload[:60])
    browser.submit("保存")
    verify(f"企业信息 #{index + 1}")
browser.fill("zone", "太原不锈钢产业园区")
browser.button("保存")
browser.wait_url("saved=1")

browser.get("/enterprise/applications/new")
browser.click(browser.driver.find_element(By.CSS_SELECTOR, 'input[name="direction"][value="revenue-increase"]'))
browser.button("创建申报草稿")
browser.wait.until(EC.url_matches(r".*/enterprise/applications/[0-9A-F-]{36}$"))
location = browser.driver.current_url
text_fields = ["projectName", "overview.texts.establishment", "overview.texts.business", "content.revenueNarrative",
               "performanceTargets.goals", "performanceTargets.indicators[0].name", "performanceTargets.indicators[0].value"]
for index, payload in enumerate(PAYLOADS):
    browser.get(location)
    for field in text_fields:
        type_into(field, payload)
    browser.submit("保存草稿")
    verify(f"申报表 #{index + 1}")
    browser.get("/enterprise")
    verify(f"我的申报 #{index + 1}")
browser.shot("enterprise-after-corpus")

# Make the application complete and submittable, with every payload in its long texts.
browser.get(location)
finances = {"2021": ["100000", "98000", "5000", "3000", "55"], "2022": ["136000", "133000", "7000", "4000", "52"], "2023H1": ["70000", "69000", "3600", "2100", "50"]}
for period, values in finances.items():
    for item, value in zip(["operatingRevenue", "mainBusinessRevenue", "totalProfit", "taxesPaid", "debtRatio"], values):
        browser.fill(f"overview.finances.{period}.{item}", value)
browser.fill("projectName", "营收增量奖励（钢铁）")
corpus = "\n".join(PAYLOADS)
for field in ["overview.texts.establishment", "overview.texts.business", "content.revenueNarrative"]:
    browser.driver.execute_script("arguments[0].value = arguments[1]", browser.driver.find_element(By.NAME, field), corpus)
browser.fill("performanceTargets.funding.provincial", "300")
browser.fill("performanceTargets.goals", "产能提升")
for index, (level1, level2) in enumerate([("产出指标", "数量指标"), ("效益指标", "经济效益指标"), ("满意度指标", "服务对象满意度指标")]):
    browser.fill(f"performanceTargets.indicators[{index}].level1", level1)
    browser.fill(f"performanceTargets.indicators[{index}].level2", level2)
    browser.fill(f"performanceTargets.indicators[{index}].name", PAYLOADS[index])
    browser.fill(f"performanceTargets.indicators[{index}].value", "≥1")
browser.radio("content.chainRevenueRewardSameYear", "false")
box = browser.driver.find_element(By.NAME, "commitmentAccepted")
if not box.is_selected():
    browser.click(box)
browser.button("保存草稿")
browser.wait_url("done=saved")
uploads = 0
while True:
    browser.get(location)
    target = next((form for form in browser.driver.find_elements(By.CSS_SELECTOR, "form.upload-form")
                   if form.find_elements(By.XPATH, "./ancestor::tr//*[contains(@class,'required-mark')]")
                   and "未上传" in form.find_element(By.XPATH, "./ancestor::tr").text), None)
    if target is None:
        break
    target.find_element(By.CSS_SELECTOR, 'input[type="file"]').send_keys(pdf(os.path.join(out, f"p{uploads}.pdf")))
    browser.click(target.find_element(By.TAG_NAME, "button"))
    browser.wait_url("done=uploaded")
    uploads += 1
browser.button("提交申报", confirm=True)
browser.wait_url("done=submitted")
verify("已提交的申报")
application = location.rstrip("/").split("/")[-1]

# The city: search, detail, a return whose comments carry the corpus, inspections, approval, forwarding.
browser.login("taiyuan")
for index, payload in enumerate(PAYLOADS):
    browser.get("/review?keyword=" + urllib.parse.quote(payload))
    verify(f"审核列表搜索 #{index + 1}")
browser.get(f"/review/applications/{application}")
verify("审核详情（企业填写的内容）")
browser.driver.execute_script("arguments[0].value = arguments[1]", browser.driver.find_element(By.ID, "return-comment"), corpus[:2000])
for index, group in enumerate(list(chunks(500))[:6]):
    browser.fill(f"noteTarget{index}", "overview.texts.business")
    browser.driver.execute_script("arguments[0].value = arguments[1]", browser.driver.find_element(By.NAME, f"noteText{index}"), group)
browser.button("退回修改", confirm=True)
browser.wait_url("done=returned")
verify("退回后的审核详情")

browser.login(code, "Jinci-Temple-2023")
browser.get("/enterprise")
verify("企业首页的审核动态")
browser.get(location)
verify("退回后的申报表")
browser.button("提交申报", confirm=True)
browser.wait_url("done=submitted")

browser.login("taiyuan")
for index, group in enumerate(chunks(200)):
    browser.get(f"/review/applications/{application}")
    browser.radio("compliant", "true")
    browser.driver.execute_script("arguments[0].value = arguments[1]", browser.driver.find_element(By.NAME, "description"), group)
    type_into("leader", PAYLOADS[index % len(PAYLOADS)][:40])
    type_into("members", PAYLOADS[(index + 1) % len(PAYLOADS)][:60])
    browser.fill("inspectedOn", "2023-10-25")
    browser.submit("记录现场核查")
    verify(f"现场核查 #{index + 1}")
browser.get(f"/review/applications/{application}")
browser.driver.execute_script("arguments[0].value = arguments[1]", browser.driver.find_element(By.ID, "approve-comment"), corpus[:2000])
browser.button("审核通过", confirm=True)
browser.wait_url("done=approved")
verify("审核通过后的详情")
browser.get("/review/forwarding")
browser.driver.execute_script("arguments[0].value = arguments[1]", browser.driver.find_element(By.NAME, "opinion"), corpus[:2000])
browser.button("报送省厅", confirm=True)
browser.wait.until(EC.url_matches(r".*/review/forwardings/[0-9A-F-]{36}$"))
verify("报送批次")
browser.shot("city-forwarded")

# The division's opinion, then the admin's pages that show names, opinions and the audit trail.
browser.login("yuancailiao")
browser.get(f"/review/applications/{application}")
browser.radio("decision", "proposedReward")
browser.driver.execute_script("arguments[0].value = arguments[1]", browser.driver.find_element(By.NAME, "opinion"), corpus[:2000])
browser.button("提交决定", confirm=True)
browser.wait_url("done=decided")
verify("处室决定后的详情")

browser.driver.delete_all_cookies()
for index, payload in enumerate(PAYLOADS[:10]):
    browser.get("/login")
    type_into("login", payload)
    type_into("password", "wrong-password-123")
    browser.submit("登录")
    verify(f"登录失败页 #{index + 1}")
browser.login("admin")
for index, payload in enumerate(PAYLOADS[:8]):
    browser.get("/admin/users/new")
    browser.fill("role", "cityReviewer")
    browser.fill("organisation", "140100")
    type_into("login", f"xss{index}")
    type_into("displayName", payload[:40])
    browser.submit("创建账号")
    verify(f"新建账号 #{index + 1}")
# A blacklist whose names and sources are the corpus, one of them naming the enterprise above.
rows = ["统一社会信用代码,企业名称,名单来源", f'{code},"{PAYLOADS[1].replace(chr(34), chr(34) * 2)}",信用中国']
for payload in PAYLOADS:
    quoted = '"' + payload.replace('"', '""') + '"'
    rows.append(f"{random_credit_code()},{quoted},{quoted}")
csv_path = os.path.join(out, '名单<img src=x onerror=window.__xss=1 data-xss>.csv')
with open(csv_path, "w", encoding="utf-8") as handle:
    handle.write("\n".join(rows) + "\n")
browser.get("/admin/blacklists")
browser.driver.find_element(By.ID, "file").send_keys(csv_path)
browser.submit("导入")
verify("导入失信名单")
imported = [a.get_attribute("href") for a in browser.driver.find_elements(By.CSS_SELECTOR, 'a[href^="/admin/blacklists/"], a[href*="/admin/blacklists/"]')]
for href in imported[:1]:
    browser.get(href)
    verify("失信名单明细")
for path in ["/admin/users", "/admin/audit", "/admin/statistics", "/admin/conflicts", "/admin/blacklists", f"/review/applications/{application}", "/review"]:
    browser.get(path)
    verify(f"管理员 {path}")
browser.shot("admin-audit")
browser.quit()
print(json.dumps({"载荷": len(PAYLOADS), "输入次数": checked["fields"], "检查页面": checked["pages"], "执行或注入": executed}, ensure_ascii=False, indent=1))
sys.exit(1 if executed else 0)
