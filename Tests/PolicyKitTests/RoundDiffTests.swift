import Foundation
import Testing
@testable import PolicyKit

/// Next year's round is this year's file edited in code, the way an admin edits the JSON; each test compares the
/// sentences produced with the ones the admin should read.
@Suite("批次比较：两个批次之间的变化")
struct RoundDiffTests {
    typealias Edit = @Sendable (inout Round) -> Void

    static func edited(_ edits: Edit...) -> Round {
        var round = Package.round
        for edit in edits { edit(&round) }
        return round
    }

    static func changes(_ edits: Edit...) -> [RoundChange] {
        var round = Package.round
        for edit in edits { edit(&round) }
        return RoundDiff.changes(from: Package.round, to: round)
    }

    static func deadline(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    // MARK: - Edits, each one kind of change a new notice brings

    static let noticeEdits: Edit = { round in
        round.id = "shanxi-2024"
        round.noticeNumber = "晋工信投资字〔2024〕88号"
        round.baseYear = 2023
        round.issuedOn = "2024-09-03"
        round.deadline = deadline("2024-11-08T23:59:59+08:00")
    }

    static let thresholdEdits: Edit = { round in
        round.edit(direction: "revenue-increase") { direction in
            direction.edit(rule: "revenue.increase") { $0.threshold = 25000 }
            direction.edit(rule: "revenue.growth") { $0.threshold = 25 }
        }
        round.edit(direction: "rd-expense") { direction in
            direction.edit(rule: "rd.deductible-amount") { $0.threshold = 1500 }
        }
    }

    static let parameterEdits: Edit = { round in
        round.edit(direction: "smart-manufacturing-diagnosis") { direction in
            direction.edit(rule: "diagnosis.enterprise-count") { $0.count = 150 }
        }
        round.edit(direction: "rd-expense") { direction in
            direction.edit(rule: "rd.tech-center-level") { $0.values = ["国家级"] }
            var intensity = direction.rules[0]
            intensity.id = "rd.intensity"
            intensity.subject = "研发投入强度"
            intensity.threshold = 3
            intensity.displayUnit = "%"
            direction.rules.append(intensity)
        }
        round.edit(direction: "industrial-carrier") { direction in
            direction.edit(rule: "carrier.recognised-in-base-year") { $0.value = "2023" }
        }
        round.edit(direction: "whitelist") { direction in
            direction.edit(rule: "whitelist.listed-by-year-end") { $0.date = "2023-12-31" }
            direction.edit(rule: "whitelist.monthly-growth") { $0.tiers?[0].minimumPercent = 40 }
        }
        round.edit(direction: "revenue-increase") { direction in
            direction.edit(rule: "revenue.no-chain-revenue-reward") { $0.kind = .isFalse }
        }
        round.edit(direction: "pilot-demonstration") { direction in
            direction.edit(rule: "pilot.new-in-base-year") { $0.clause = "附件1（十二）1" }
        }
        round.generalRules.removeAll { $0.id == "general.no-other-provincial-funds" }
    }

    static let directionEdits: Edit = { round in
        round.edit(programme: "innovation") { $0.directions.removeAll { $0.id == "innovation-center" } }
        var copy = round.direction("smart-manufacturing-diagnosis")
        copy.id = "digital-transformation-diagnosis"
        copy.name = "数字化转型诊断"
        copy.clause = "附件1（十四）"
        round.edit(programme: "digital") { $0.directions.append(copy) }
        round.edit(direction: "pilot-demonstration") { $0.name = "国家级试点示范奖励" }
        round.edit(direction: "industrial-carrier") { direction in
            direction.clause = "附件1（一）1"
            direction.subDirections?.removeAll { $0.id == "cluster-final" }
        }
    }

    static let routingEdits: Edit = { round in
        round.edit(direction: "revenue-increase") { direction in
            direction.edit(routingRow: 15) { row in
                row.contacts = ["王五"]
                row.phone = "0351-3046281"
            }
            direction.edit(routingRow: 11) { $0.division = "chemicals" }
            direction.routing.removeAll { $0.row == 18 }
        }
        round.edit(direction: "whitelist") { direction in
            var row = direction.routing[0]
            row.row = 27
            row.label = "“白名单”企业奖励—2023年6至12月"
            row.contacts = ["赵六"]
            direction.routing.append(row)
        }
    }

    static let periodEdits: Edit = { round in
        let firstQuarter = round.vocabularies.whitelistPeriods.firstIndex { $0.id == "2023-01-03" }!
        round.vocabularies.whitelistPeriods[firstQuarter].months = ["1月", "2月", "3月"]
        round.vocabularies.whitelistPeriods[firstQuarter].note = nil
        round.vocabularies.whitelistPeriods.append(
            WhitelistPeriod(id: "2023-06-12", name: "2023年6至12月", months: (6...12).map { "\($0)月" }, year: 2023, note: nil))
        let halfYear = round.finance.periods.firstIndex { $0.id == "2023H1" }!
        round.finance.periods[halfYear].label = "2023年1至6月"
    }

    static let attachmentEdits: Edit = { round in
        round.edit(direction: "revenue-increase") { direction in
            direction.edit(attachment: "major-sales-contracts") { $0.title = "企业2022年、2023年大额销售合同、发票及明细表" }
        }
        let halfYear = round.generalAttachments.firstIndex { $0.id == "financial-2023h1" }!
        round.generalAttachments[halfYear].required = false
        round.generalAttachments.removeAll { $0.id == "credit-proof" }
        round.edit(direction: "first-set-equipment") { direction in
            var contract = direction.attachments![0]
            contract.id = "insurance-contract"
            contract.title = "首台（套）重大技术装备保险合同"
            direction.attachments!.append(contract)
        }
    }

    static let fieldEdits: Edit = { round in
        round.edit(direction: "revenue-increase") { direction in
            direction.fields!.removeAll { $0.id == "revenueNarrative" }
            direction.fields!.append(FieldSpec(id: "exportRevenue", label: "2023年出口交货值", type: .amount))
        }
        round.edit(direction: "industrial-carrier") { direction in
            let green = direction.subDirections!.firstIndex { $0.id == "green-park" }!
            let construction = direction.subDirections![green].fields.firstIndex { $0.id == "construction" }!
            direction.subDirections![green].fields[construction].label = "绿色园区建设情况"
        }
    }

    static let vocabularyEdits: Edit = { round in
        round.vocabularies.pilotCategories.append(PilotCategory(id: "digital-transformation-center", name: "数字化转型促进中心", group: "两化融合类"))
        let emerging = round.vocabularies.industryCategories.firstIndex { $0.name == "战略性新兴产业" }!
        round.vocabularies.industryCategories[emerging].industries.append("氢能")
        round.vocabularies.ownership.append("外资企业")
        let bigData = round.divisions.firstIndex { $0.id == "big-data" }!
        round.divisions[bigData].name = "大数据发展处"
        let taiyuan = round.locations.cities.firstIndex { $0.code == "140100" }!
        round.locations.cities[taiyuan].counties.removeAll { $0.code == "140181" }
    }

    // MARK: - Tests

    @Test("批次与自身比较：没有变化，报告写“两个批次没有差别”")
    func identical() {
        let round = Package.round
        #expect(RoundDiff.changes(from: round, to: round).isEmpty)
        #expect(RoundDiff.render([], old: round, new: round)
            == "批次比较：shanxi-2023（晋工信投资字〔2023〕143号）→ shanxi-2023（晋工信投资字〔2023〕143号）\n两个批次没有差别\n")
    }

    @Test("按编号对应而非按位置：调换专项、方向、条件、材料、附件4行和词表的顺序不算变化")
    func reorderingIsNoChange() {
        let reordered = Self.edited { round in
            round.programmes.reverse()
            for p in round.programmes.indices {
                round.programmes[p].directions.reverse()
                for d in round.programmes[p].directions.indices {
                    round.programmes[p].directions[d].rules.reverse()
                    round.programmes[p].directions[d].routing.reverse()
                    round.programmes[p].directions[d].attachments?.reverse()
                    round.programmes[p].directions[d].subDirections?.reverse()
                }
            }
            round.generalRules.reverse()
            round.generalAttachments.reverse()
            round.divisions.reverse()
            round.vocabularies.pilotCategories.reverse()
            round.vocabularies.whitelistPeriods.reverse()
            round.locations.cities.reverse()
        }
        #expect(RoundDiff.changes(from: Package.round, to: reordered) == [])
    }

    @Test("演示批次：只改了通知标题和截止时间")
    func demoRound() throws {
        let demo = try Package.loadRound("shanxi-2023-demo.json")
        #expect(RoundDiff.changes(from: Package.round, to: demo) == [
            RoundChange(section: .notice, kind: .changed, entry: "通知 · 通知标题 title",
                        text: "通知标题：“\(Package.round.title)” → “【演示】\(Package.round.title)”"),
            RoundChange(section: .deadline, kind: .changed, entry: "通知 · 申报截止时间 deadline",
                        text: "申报截止时间：2023-11-10 23:59 → 2027-11-10 23:59"),
        ])
    }

    @Test("通知文号、基准年度、印发日期与截止时间")
    func noticeFacts() {
        #expect(Self.changes(Self.noticeEdits) == [
            RoundChange(section: .notice, kind: .changed, entry: "通知 · 文号 noticeNumber", text: "文号：晋工信投资字〔2023〕143号 → 晋工信投资字〔2024〕88号"),
            RoundChange(section: .notice, kind: .changed, entry: "通知 · 印发日期 issuedOn", text: "印发日期：2023-09-05 → 2024-09-03"),
            RoundChange(section: .notice, kind: .changed, entry: "通知 · 基准年度 baseYear", text: "基准年度：2022年 → 2023年"),
            RoundChange(section: .deadline, kind: .changed, entry: "通知 · 申报截止时间 deadline", text: "申报截止时间：2023-11-10 23:59 → 2024-11-08 23:59"),
        ])
    }

    @Test("时区：按时差说；截止时间按各自的时区显示，只改标识不改时差则截止时间不变")
    func timeZone() {
        #expect(Self.changes { $0.timeZone = "Asia/Tokyo" } == [
            RoundChange(section: .notice, kind: .changed, entry: "通知 · 时区 timeZone", text: "时区：东八区（+08:00） → 东九区（+09:00）"),
            RoundChange(section: .deadline, kind: .changed, entry: "通知 · 申报截止时间 deadline", text: "申报截止时间：2023-11-10 23:59 → 2023-11-11 00:59"),
        ])
        #expect(Self.changes { $0.timeZone = "Asia/Chongqing" } == [
            RoundChange(section: .notice, kind: .changed, entry: "通知 · 时区 timeZone", text: "时区标识有改动，时差不变，仍为东八区（+08:00）"),
        ])
        #expect(Self.changes { $0.deadline = Self.deadline("2023-11-10T23:59:00+08:00") } == [
            RoundChange(section: .deadline, kind: .changed, entry: "通知 · 申报截止时间 deadline", text: "申报截止时间仍为2023-11-10 23:59，改动不足一分钟"),
        ])
    }

    @Test("门槛：新旧两值都带通知所用的单位（亿元、%、万元）")
    func thresholds() {
        #expect(Self.changes(Self.thresholdEdits) == [
            RoundChange(section: .rules, kind: .changed, entry: "研发费用奖励 · 资格条件 rd.deductible-amount", text: "2022年度可加计扣除研发费用门槛：2,000 万元 → 1,500 万元"),
            RoundChange(section: .rules, kind: .changed, entry: "营收增量奖励 · 资格条件 revenue.increase", text: "2022年营收增量门槛：3 亿元 → 2.5 亿元"),
            RoundChange(section: .rules, kind: .changed, entry: "营收增量奖励 · 资格条件 revenue.growth", text: "2022年营收增速门槛：30% → 25%"),
        ])
    }

    @Test("其他条件参数：数量、取值、年度、日期、分档、判断方式、条款，条件的增删")
    func ruleParameters() {
        #expect(Self.changes(Self.parameterEdits) == [
            RoundChange(section: .rules, kind: .removed, entry: "各方向通用 · 资格条件 general.no-other-provincial-funds", text: "删除资格条件“没有获得过其他省级财政资金支持”"),
            RoundChange(section: .rules, kind: .changed, entry: "新型工业化载体 · 资格条件 carrier.recognised-in-base-year", text: "载体认定（通过）年度应为：2022年 → 2023年"),
            RoundChange(section: .rules, kind: .changed, entry: "研发费用奖励 · 资格条件 rd.tech-center-level", text: "企业技术中心级别取值范围：省级、国家级 → 国家级"),
            RoundChange(section: .rules, kind: .added, entry: "研发费用奖励 · 资格条件 rd.intensity", text: "新增资格条件“研发投入强度”：不低于 3%（附件1（四））"),
            RoundChange(section: .rules, kind: .changed, entry: "智能制造诊断 · 资格条件 diagnosis.enterprise-count", text: "参加智能制造诊断服务活动的规上工业企业数量要求：200 户 → 150 户"),
            RoundChange(section: .rules, kind: .changed, entry: "营收增量奖励 · 资格条件 revenue.no-chain-revenue-reward",
                        text: "本年度已申报或获得重点产业链“链主”企业、链上企业营业收入奖励判断方式：仅提示，不影响申报 → 须为“否”"),
            RoundChange(section: .rules, kind: .changed, entry: "试点示范奖励 · 资格条件 pilot.new-in-base-year", text: "试点示范获批年度条款：附件1（十二） → 附件1（十二）1"),
            RoundChange(section: .rules, kind: .changed, entry: "“白名单”企业奖励 · 资格条件 whitelist.listed-by-year-end", text: "纳入“白名单”日期须不晚于：2022年12月31日 → 2023年12月31日"),
            RoundChange(section: .rules, kind: .changed, entry: "“白名单”企业奖励 · 资格条件 whitelist.monthly-growth", text: "第一档（任一月同比增速50%以上）最低增速：50% → 40%"),
        ])
    }

    @Test("申报方向：删除、新增（复制已有方向换编号）、改名、改条款、删细分方向")
    func directions() {
        #expect(Self.changes(Self.directionEdits) == [
            RoundChange(section: .directions, kind: .removed, entry: "国家级制造业创新中心 innovation-center", text: "删除申报方向“国家级制造业创新中心”（原属技术创新牵引专项）"),
            RoundChange(section: .directions, kind: .changed, entry: "新型工业化载体 industrial-carrier", text: "条款：附件1（一） → 附件1（一）1"),
            RoundChange(section: .directions, kind: .removed, entry: "新型工业化载体 · 细分方向 cluster-final", text: "删除细分方向“先进制造业集群决赛”"),
            RoundChange(section: .directions, kind: .changed, entry: "国家级试点示范奖励 pilot-demonstration", text: "申报方向名称：“试点示范奖励” → “国家级试点示范奖励”"),
            RoundChange(section: .directions, kind: .added, entry: "数字化转型诊断 digital-transformation-diagnosis",
                        text: "新增申报方向“数字化转型诊断”（附件1（十四）），属数字化智能化改造专项，含资格条件 1 条、申报材料 1 项"),
        ])
    }

    @Test("附件4：负责处室、联系人、电话，行的增删")
    func routing() {
        #expect(Self.changes(Self.routingEdits) == [
            RoundChange(section: .routing, kind: .removed, entry: "营收增量奖励 · 附件4第18行", text: "删除附件4第18行“营收增量奖励—数字产业”"),
            RoundChange(section: .routing, kind: .changed, entry: "营收增量奖励 · 附件4第11行", text: "负责处室：原材料处 → 化工处"),
            RoundChange(section: .routing, kind: .changed, entry: "营收增量奖励 · 附件4第15行", text: "联系人：李萍、李飞光 → 王五"),
            RoundChange(section: .routing, kind: .changed, entry: "营收增量奖励 · 附件4第15行", text: "联系电话：0351-3046280 → 0351-3046281"),
            RoundChange(section: .routing, kind: .added, entry: "“白名单”企业奖励 · 附件4第27行",
                        text: "新增附件4第27行““白名单”企业奖励—2023年6至12月”，由运行处负责，联系人赵六，电话 0351-4032449"),
        ])
    }

    @Test("期间：“白名单”期间新增、合并月份改为分月；财务期间改名")
    func periods() {
        #expect(Self.changes(Self.periodEdits) == [
            RoundChange(section: .periods, kind: .changed, entry: "财务期间 2023H1", text: "财务期间名称：“2023年上半年” → “2023年1至6月”"),
            RoundChange(section: .periods, kind: .changed, entry: "“白名单”申报期间 2023-01-03", text: "“2023年1至3月”月份：1-2月、3月 → 1月、2月、3月"),
            RoundChange(section: .periods, kind: .changed, entry: "“白名单”申报期间 2023-01-03", text: "“2023年1至3月”说明：“2023年1至2月合并计算” → 无"),
            RoundChange(section: .periods, kind: .added, entry: "“白名单”申报期间 2023-06-12",
                        text: "新增“白名单”申报期间“2023年6至12月”，月份：6月、7月、8月、9月、10月、11月、12月"),
        ])
    }

    @Test("申报材料：改名、改为非必交、删除通用材料、方向新增材料")
    func attachments() {
        #expect(Self.changes(Self.attachmentEdits) == [
            RoundChange(section: .attachments, kind: .removed, entry: "各方向通用 · 申报材料 credit-proof",
                        text: "删除申报材料“不在“信用中国（山西）”网站失信黑名单、“国家企业信用信息公示系统”严重违法失信企业名单印证材料”"),
            RoundChange(section: .attachments, kind: .changed, entry: "各方向通用 · 申报材料 financial-2023h1",
                        text: "“2023年上半年财务审计报告或财务报表（含资产负债表、利润表和现金流量表）”提交要求：必须提交 → 可不提交"),
            RoundChange(section: .attachments, kind: .added, entry: "国家首台（套）重大技术装备 · 申报材料 insurance-contract",
                        text: "新增申报材料“首台（套）重大技术装备保险合同”（必须提交）"),
            RoundChange(section: .attachments, kind: .changed, entry: "营收增量奖励 · 申报材料 major-sales-contracts",
                        text: "申报材料名称：“企业2021年、2022年大额销售合同、发票及明细表” → “企业2022年、2023年大额销售合同、发票及明细表”"),
        ])
    }

    @Test("填报项：按编号列出增删与改名，细分方向的填报项写全称")
    func fields() {
        #expect(Self.changes(Self.fieldEdits) == [
            RoundChange(section: .fields, kind: .changed, entry: "新型工业化载体—国家级绿色园区 · 填报项 construction", text: "填报项名称：“建设情况” → “绿色园区建设情况”"),
            RoundChange(section: .fields, kind: .removed, entry: "营收增量奖励 · 填报项 revenueNarrative", text: "删除填报项“营业收入增长情况说明”"),
            RoundChange(section: .fields, kind: .added, entry: "营收增量奖励 · 填报项 exportRevenue", text: "新增填报项“2023年出口交货值”"),
        ])
    }

    @Test("处室、词表与地区：试点示范类别、行业、企业性质、处室改名、县级区划")
    func vocabularies() {
        #expect(Self.changes(Self.vocabularyEdits) == [
            RoundChange(section: .divisions, kind: .changed, entry: "处室 big-data", text: "处室名称：“大数据办” → “大数据发展处”"),
            RoundChange(section: .vocabularies, kind: .added, entry: "试点示范类别 digital-transformation-center", text: "新增试点示范类别“数字化转型促进中心”（两化融合类）"),
            RoundChange(section: .vocabularies, kind: .added, entry: "所属行业 · 氢能", text: "新增行业“氢能”，属战略性新兴产业"),
            RoundChange(section: .vocabularies, kind: .added, entry: "企业性质 · 外资企业", text: "新增企业性质“外资企业”"),
            RoundChange(section: .locations, kind: .removed, entry: "太原市 · 县级区划 140181", text: "删除县级区划“古交市”"),
        ])
    }

    /// Next year's notice as the brief for this report imagines it.
    static let nextYear = edited(
        noticeEdits,
        { round in
            round.edit(direction: "revenue-increase") { direction in
                direction.edit(rule: "revenue.increase") { $0.threshold = 25000 }
                direction.edit(attachment: "major-sales-contracts") { $0.title = "企业2022年、2023年大额销售合同、发票及明细表" }
                direction.edit(routingRow: 15) { row in
                    row.contacts = ["王五"]
                    row.phone = "0351-3046281"
                }
            }
            round.edit(programme: "innovation") { $0.directions.removeAll { $0.id == "innovation-center" } }
            var copy = round.direction("smart-manufacturing-diagnosis")
            copy.id = "digital-transformation-diagnosis"
            copy.name = "数字化转型诊断"
            copy.clause = "附件1（十四）"
            round.edit(programme: "digital") { $0.directions.append(copy) }
            round.vocabularies.pilotCategories.append(PilotCategory(id: "digital-transformation-center", name: "数字化转型促进中心", group: "两化融合类"))
        },
        { round in
            let firstQuarter = round.vocabularies.whitelistPeriods.firstIndex { $0.id == "2023-01-03" }!
            round.vocabularies.whitelistPeriods[firstQuarter].months = ["1月", "2月", "3月"]
            round.vocabularies.whitelistPeriods.append(
                WhitelistPeriod(id: "2023-06-12", name: "2023年6至12月", months: (6...12).map { "\($0)月" }, year: 2023, note: nil))
        })

    @Test("报告：标题写明两个批次，分节列出，每处一行，末行合计")
    func render() {
        let old = Package.round
        let report = RoundDiff.render(RoundDiff.changes(from: old, to: Self.nextYear), old: old, new: Self.nextYear)
        #expect(report == """
            批次比较：shanxi-2023（晋工信投资字〔2023〕143号）→ shanxi-2024（晋工信投资字〔2024〕88号）

            一、通知基本信息
              · 文号：晋工信投资字〔2023〕143号 → 晋工信投资字〔2024〕88号【通知 · 文号 noticeNumber】
              · 印发日期：2023-09-05 → 2024-09-03【通知 · 印发日期 issuedOn】
              · 基准年度：2022年 → 2023年【通知 · 基准年度 baseYear】

            二、申报截止时间
              · 申报截止时间：2023-11-10 23:59 → 2024-11-08 23:59【通知 · 申报截止时间 deadline】

            三、财务期间与“白名单”申报期间
              · “2023年1至3月”月份：1-2月、3月 → 1月、2月、3月【“白名单”申报期间 2023-01-03】
              · 新增“白名单”申报期间“2023年6至12月”，月份：6月、7月、8月、9月、10月、11月、12月【“白名单”申报期间 2023-06-12】

            四、专项与申报方向
              · 删除申报方向“国家级制造业创新中心”（原属技术创新牵引专项）【国家级制造业创新中心 innovation-center】
              · 新增申报方向“数字化转型诊断”（附件1（十四）），属数字化智能化改造专项，含资格条件 1 条、申报材料 1 项【数字化转型诊断 digital-transformation-diagnosis】

            五、资格条件
              · 2022年营收增量门槛：3 亿元 → 2.5 亿元【营收增量奖励 · 资格条件 revenue.increase】

            六、申报材料
              · 申报材料名称：“企业2021年、2022年大额销售合同、发票及明细表” → “企业2022年、2023年大额销售合同、发票及明细表”【营收增量奖励 · 申报材料 major-sales-contracts】

            七、负责处室与联系人（附件4）
              · 联系人：李萍、李飞光 → 王五【营收增量奖励 · 附件4第15行】
              · 联系电话：0351-3046280 → 0351-3046281【营收增量奖励 · 附件4第15行】

            八、行业、试点示范类别与企业性质
              · 新增试点示范类别“数字化转型促进中心”（两化融合类）【试点示范类别 digital-transformation-center】

            共 13 处变化

            """)
    }

    /// The rule: English letters appear only as ids, i.e. the two round ids of the heading and the last word of an
    /// entry; everything else (each text, the entry's names, titles, the count) is Chinese, digits and punctuation.
    @Test("报告中英文字母只出现在编号里：标题的批次编号、条目末尾的编号")
    func onlyIdsAreEnglish() {
        let old = Package.round
        let new = Self.edited(
            Self.noticeEdits, Self.thresholdEdits, Self.parameterEdits, Self.directionEdits, Self.routingEdits,
            Self.periodEdits, Self.attachmentEdits, Self.fieldEdits, Self.vocabularyEdits, { $0.timeZone = "Asia/Tokyo" })
        let changes = RoundDiff.changes(from: old, to: new)
        #expect(Set(changes.map(\.section)) == Set(RoundChange.Section.allCases).subtracting([.commitments, .crossRules, .instructions]))
        func hasLetters(_ text: some StringProtocol) -> Bool { text.unicodeScalars.contains { $0.isASCII && $0.properties.isAlphabetic } }
        for change in changes {
            #expect(!hasLetters(change.text), "\(change.text)")
            let names = change.entry.split(separator: " ").dropLast(hasLetters(change.entry.split(separator: " ").last ?? "") ? 1 : 0)
            #expect(!hasLetters(names.joined(separator: " ")), "\(change.entry)")
        }
        var report = RoundDiff.render(changes, old: old, new: new)
        for change in changes { report = report.replacingOccurrences(of: "【\(change.entry)】", with: "") }
        report = report.replacingOccurrences(of: old.id, with: "").replacingOccurrences(of: new.id, with: "")
        #expect(!hasLetters(report), "\(report)")
    }

    @Test("承诺事项没有编号：改写一条即删一条、增一条")
    func commitments() {
        let changes = Self.changes { round in
            round.generalCommitments[3] = "其他须承诺事项。"
            round.edit(direction: "generic-drug") { $0.commitments = [] }
        }
        let transfer = Package.round.direction("generic-drug").commitments![0].text
        #expect(changes == [
            RoundChange(section: .commitments, kind: .removed, entry: "各方向通用 · 承诺事项", text: "删除承诺事项“其他须承诺事项。（根据奖励事项申报要求填报承诺事项）”"),
            RoundChange(section: .commitments, kind: .added, entry: "各方向通用 · 承诺事项", text: "新增承诺事项“其他须承诺事项。”"),
            RoundChange(section: .commitments, kind: .removed, entry: "仿制药一致性评价 · 承诺事项", text: "删除承诺事项“\(transfer)”"),
        ])
    }

    @Test("变化可编码为 JSON 并原样读回")
    func codable() throws {
        let changes = RoundDiff.changes(from: Package.round, to: Self.nextYear)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data = try encoder.encode(changes)
        #expect(try JSONDecoder().decode([RoundChange].self, from: data) == changes)
        #expect(String(decoding: data, as: UTF8.self).contains(#""kind":"changed","section":"rules""#))
    }
}

extension Round {
    /// Edits the direction `id` in whichever programme holds it.
    mutating func edit(direction id: String, _ edit: (inout Direction) -> Void) {
        for p in programmes.indices {
            if let d = programmes[p].directions.firstIndex(where: { $0.id == id }) {
                edit(&programmes[p].directions[d])
                return
            }
        }
        Issue.record("批次中没有申报方向 \(id)")
    }

    mutating func edit(programme id: String, _ edit: (inout Programme) -> Void) {
        guard let p = programmes.firstIndex(where: { $0.id == id }) else {
            Issue.record("批次中没有专项 \(id)")
            return
        }
        edit(&programmes[p])
    }

    func direction(_ id: String) -> Direction {
        allDirections.first { $0.direction.id == id }!.direction
    }
}

extension Direction {
    mutating func edit(rule id: String, _ edit: (inout EligibilityRule) -> Void) {
        guard let index = rules.firstIndex(where: { $0.id == id }) else {
            Issue.record("\(self.id) 没有资格条件 \(id)")
            return
        }
        edit(&rules[index])
    }

    mutating func edit(attachment id: String, _ edit: (inout AttachmentSpec) -> Void) {
        guard let index = attachments?.firstIndex(where: { $0.id == id }) else {
            Issue.record("\(self.id) 没有申报材料 \(id)")
            return
        }
        edit(&attachments![index])
    }

    mutating func edit(routingRow row: Int, _ edit: (inout RoutingRow) -> Void) {
        guard let index = routing.firstIndex(where: { $0.row == row }) else {
            Issue.record("\(self.id) 没有附件4第\(row)行")
            return
        }
        edit(&routing[index])
    }
}
