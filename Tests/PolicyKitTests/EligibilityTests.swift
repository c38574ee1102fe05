import Foundation
import Testing
@testable import PolicyKit

/// Truth tables per direction from the notice: both sides of every threshold.
@Suite("资格条件：各方向真值表")
struct EligibilityTests {
    func verdict(_ example: String, _ change: (inout Application) -> Void) throws -> Verdict {
        var application = try Package.example(example)
        change(&application)
        return Package.evaluate(application)
    }

    // MARK: 营收增量 / 消费品增量

    @Test("营收增量：增量 3 亿元以上且增速 30% 以上（含本数）", arguments: [
        ("100000", "130000", true, true),       // exactly 3 亿 and exactly 30 %
        ("100000", "129999.99", false, false),  // 2.9999999 亿, 29.99999 %
        ("100001", "130001", true, false),      // 3 亿 but 29.9997 %
        ("80000", "109000", false, true),       // 2.90 亿, 36.25 %
        ("200000", "250000", true, false),      // 5 亿, 25 %
        ("60000", "90000", true, true),         // 3 亿, 50 %
    ])
    func revenueIncrease(prior: String, current: String, increaseOK: Bool, growthOK: Bool) throws {
        let verdict = try verdict("revenue-increase.eligible.json") { $0.setRevenue(prior: decimal(prior), current: decimal(current)) }
        #expect(verdict.result("revenue.increase")?.passed == increaseOK)
        #expect(verdict.result("revenue.growth")?.passed == growthOK)
        #expect(verdict.status == (increaseOK && growthOK ? .eligible : .ineligible))
    }

    @Test("营收增量不足的说明与通知一致")
    func revenueMessage() throws {
        let verdict = try verdict("revenue-increase.eligible.json") { $0.setRevenue(prior: decimal("80000"), current: decimal("109000")) }
        let result = try #require(verdict.result("revenue.increase"))
        #expect(result.message == "2022年营收增量 2.90 亿元，低于 3 亿元（附件1（十））")
        #expect(result.threshold == "≥ 3 亿元")
        #expect(result.value == "2.90 亿元")
        #expect(result.clause == "附件1（十）")
        #expect(verdict.result("revenue.growth")?.message == "2022年营收增速 36.25%，达到 30%以上（附件1（十））")
    }

    @Test("上年营业收入为 0：增速无法计算，不满足")
    func revenueFromZero() throws {
        let verdict = try verdict("revenue-increase.eligible.json") { $0.setRevenue(prior: 0, current: decimal("50000")) }
        #expect(verdict.result("revenue.increase")?.passed == true)
        #expect(verdict.result("revenue.growth")?.passed == false)
        #expect(verdict.result("revenue.growth")?.message.contains("无法计算增速") == true)
    }

    @Test("营收增量：消费品工业不支持；链主/链上奖励同年不重复")
    func revenueExclusions() throws {
        for industry in ["食品", "轻工", "纺织", "现代医药"] {
            let verdict = try verdict("revenue-increase.eligible.json") { application in
                application.enterprise.industry = industry
                application.enterprise.industryCategory = Package.round.category(ofIndustry: industry)
                application.projectName = "营收增量奖励（\(industry)）"
            }
            #expect(verdict.result("revenue.manufacturing-not-consumer")?.passed == false, "\(industry)")
        }
        // 不重复支持 is not 不得申报: applying for both is allowed, and the reviewers see it.
        let chained = try verdict("revenue-increase.eligible.json") { $0.content["chainRevenueRewardSameYear"] = .bool(true) }
        #expect(chained.result("revenue.no-chain-revenue-reward")?.passed == true)
        #expect(chained.status == .eligible)
        #expect(chained.warnings.contains { $0.hasSuffix("链上企业营业收入奖励不重复支持（附件1（十）），请核对") }, "\(chained.warnings)")
        let unchained = try verdict("revenue-increase.eligible.json") { _ in }
        #expect(!unchained.warnings.contains { $0.contains("不重复支持") })
        let undeclared = try verdict("revenue-increase.eligible.json") { $0.content["chainRevenueRewardSameYear"] = nil }
        #expect(undeclared.status == .incomplete)
    }

    @Test("消费品增量：增量 1 亿元以上且增速 30% 以上", arguments: [
        ("30000", "40000", true, true),
        ("30000", "39999.99", false, true),
        ("33333.34", "43333.34", true, false),
        ("20000", "29999.99", false, true),
    ])
    func consumerIncrease(prior: String, current: String, increaseOK: Bool, growthOK: Bool) throws {
        let verdict = try verdict("consumer-increase.eligible.json") { $0.setRevenue(prior: decimal(prior), current: decimal(current)) }
        #expect(verdict.result("consumer.increase")?.passed == increaseOK)
        #expect(verdict.result("consumer.growth")?.passed == growthOK)
    }

    @Test("消费品增量：只限食品、轻工、纺织、现代医药", arguments: ["钢铁", "数字产业", "新材料", "食品", "现代医药"])
    func consumerIndustries(industry: String) throws {
        let verdict = try verdict("consumer-increase.eligible.json") { application in
            application.enterprise.industry = industry
            application.enterprise.industryCategory = Package.round.category(ofIndustry: industry)
            application.projectName = "消费品增量奖励（\(industry)）"
        }
        #expect(verdict.result("consumer.consumer-goods-industry")?.passed == ["食品", "轻工", "纺织", "现代医药"].contains(industry))
    }

    // MARK: 研发费用

    @Test("研发费用：2000 万元以上（含）且省级、国家级企业技术中心", arguments: [
        ("2000", "省级", true), ("1999.99", "省级", false), ("2000.01", "国家级", true),
        ("5000", "市级", false), ("5000", "无", false),
    ])
    func rdExpense(amount: String, level: String, eligible: Bool) throws {
        let verdict = try verdict("rd-expense.eligible.json") { application in
            application.content["deductibleRD2022"] = .number(decimal(amount))
            application.content["techCenterLevel"] = .text(level)
        }
        #expect(verdict.status == (eligible ? .eligible : .ineligible))
    }

    // MARK: 白名单

    func whitelistMonths(_ growth: [String]) -> FieldValue {
        let months = ["6月", "7月", "8月", "9月", "10月", "11月", "12月"]
        return .rows(zip(months, growth).map { month, percent in
            let prior = decimal("1000")
            return ["month": .text(month), "priorOutput": .number(prior), "currentOutput": .number(FixedDecimal(units: prior.units + decimal(percent).units * 10))]
        })
    }

    @Test("白名单：每月同比正增长，任一月 50%（第一档）或 100%（第二档）", arguments: [
        (["1", "2", "50", "3", "4", "5", "6"], true, "tier-1"),
        (["1", "2", "49.99", "3", "4", "5", "6"], false, nil),
        (["1", "2", "100", "3", "4", "5", "6"], true, "tier-2"),
        (["1", "2", "99.99", "3", "4", "5", "6"], true, "tier-1"),
        (["0", "2", "120", "3", "4", "5", "6"], false, nil),
        (["1", "2", "120", "3", "-0.1", "5", "6"], false, nil),
    ] as [([String], Bool, String?)])
    func whitelistTiers(growth: [String], eligible: Bool, tier: String?) throws {
        let verdict = try verdict("whitelist-2022-h2-tier-2.eligible.json") { $0.content["monthlyOutput"] = whitelistMonths(growth) }
        #expect(verdict.status == (eligible ? .eligible : .ineligible))
        #expect(verdict.tier?.id == tier)
    }

    @Test("白名单：2022 年 12 月 31 日前纳入（含当日）", arguments: [("2022-12-31", true), ("2023-01-01", false), ("2021-03-01", true)])
    func whitelistListingDate(date: String, passed: Bool) throws {
        let verdict = try verdict("whitelist-2022-h2-tier-2.eligible.json") { $0.content["listedOn"] = .date(date) }
        #expect(verdict.result("whitelist.listed-by-year-end")?.passed == passed)
    }

    @Test("白名单：2023 年 1 至 2 月须合并为一行")
    func whitelistCombinedMonths() throws {
        let verdict = try verdict("whitelist-2023-q1-tier-1.eligible.json") { application in
            application.content["monthlyOutput"] = .rows([
                ["month": .text("1月"), "priorOutput": .number(3400), "currentOutput": .number(5200)],
                ["month": .text("2月"), "priorOutput": .number(3400), "currentOutput": .number(5200)],
                ["month": .text("3月"), "priorOutput": .number(3600), "currentOutput": .number(4100)],
            ])
        }
        #expect(verdict.status == .incomplete)
        #expect(verdict.missing.contains { $0.message.contains("“1-2月”") })
        #expect(verdict.missing.contains { $0.message.contains("“1月、2月”不属于2023年1至3月") && $0.message.contains("2023年1至2月合并计算") })
    }

    @Test("白名单：两个期间的分档各自计算")
    func whitelistPeriods() throws {
        let first = Package.evaluate(try Package.example("whitelist-2022-h2-tier-2.eligible.json"))
        let second = Package.evaluate(try Package.example("whitelist-2023-q1-tier-1.eligible.json"))
        #expect(first.tier?.id == "tier-2")
        #expect(second.tier?.id == "tier-1")
        #expect(second.result("whitelist.monthly-growth")?.value == "最高 52.94%（1-2月）")
    }

    // MARK: 年度认定类

    @Test("2022 年度认定：载体、创新中心、两化融合、试点示范", arguments: [
        ("industrial-carrier-national-demo-base.eligible.json", "recognitionYear", "carrier.recognised-in-base-year"),
        ("industrial-carrier-cluster-final.eligible.json", "recognitionYear", "carrier.recognised-in-base-year"),
        ("industrial-carrier-green-park.eligible.json", "recognitionYear", "carrier.recognised-in-base-year"),
        ("innovation-center.eligible.json", "approvalYear", "innovation-center.approved-in-base-year"),
        ("integration-management.eligible.json", "firstPassedYear", "integration.first-passed-in-base-year"),
        ("pilot-demonstration.eligible.json", "pilotYear", "pilot.new-in-base-year"),
        ("first-set-equipment.eligible.json", "compensationYear", "first-set-equipment.compensated-in-base-year"),
        ("new-material-first-batch.eligible.json", "compensationYear", "new-material-first-batch.compensated-in-base-year"),
    ])
    func baseYear(example: String, field: String, rule: String) throws {
        for (year, passed) in [(2022, true), (2021, false), (2023, false)] {
            let verdict = try verdict(example) { $0.content[field] = .number(FixedDecimal(year)) }
            #expect(verdict.result(rule)?.passed == passed, "\(example) \(year)")
            #expect(verdict.status == (passed ? .eligible : .ineligible))
        }
        let unset = try verdict(example) { $0.content[field] = nil }
        #expect(unset.result(rule)?.passed == nil)
        #expect(unset.status == .incomplete)
    }

    @Test("已获奖励者不再奖励：两化融合、试点示范、创新药批件", arguments: [
        ("integration-management.eligible.json", "integration.once-per-enterprise"),
        ("pilot-demonstration.eligible.json", "pilot.once-per-pilot"),
        ("innovative-drug.eligible.json", "innovative-drug.once-per-document"),
    ])
    func previouslyRewarded(example: String, rule: String) throws {
        let verdict = try verdict(example) { $0.content["previouslyRewarded"] = .bool(true) }
        #expect(verdict.result(rule)?.passed == false)
        #expect(verdict.status == .ineligible)
    }

    @Test("试点示范须列入 2022 年度新增试点示范")
    func pilotListedAsNew() throws {
        let verdict = try verdict("pilot-demonstration.eligible.json") { $0.content["newPilots"] = .rows([["name": .text("绿色供应链管理企业"), "category": .text("绿色供应链"), "year": .number(2022)]]) }
        #expect(verdict.result("pilot.listed-as-new")?.passed == false)
        let facts = Package.evaluate(try Package.example("pilot-demonstration.eligible.json")).facts
        #expect(facts.contains(Fact(label: "截至2022年度累计获批国家级试点示范获批数量", value: "2 项")))
    }

    // MARK: 保险补偿

    @Test("首台（套）与新材料：须有获得国家补偿的保单", arguments: ["first-set-equipment.eligible.json", "new-material-first-batch.eligible.json"])
    func insuranceCompensation(example: String) throws {
        let id = example.replacingOccurrences(of: ".eligible.json", with: "")
        for (amount, passed) in [("0.01", true), ("0", false)] {
            let verdict = try verdict(example) { application in
                var rows = application.content["insurancePolicies"]!.rows!
                rows[0]["nationalCompensation"] = .number(decimal(amount))
                application.content["insurancePolicies"] = .rows(rows)
            }
            #expect(verdict.result("\(id).national-compensation")?.passed == passed)
        }
        let empty = try verdict(example) { $0.content["insurancePolicies"] = .rows([]) }
        #expect(empty.status == .ineligible)
        #expect(empty.missing.contains { $0.message == "保险补偿情况至少填写 1 行" })
    }

    @Test("新材料：产品销售收入占营业收入比重由金额计算")
    func newMaterialShare() throws {
        let verdict = Package.evaluate(try Package.example("new-material-first-batch.eligible.json"))
        #expect(verdict.facts.contains(Fact(label: "该产品销售收入占企业营业收入比重", value: "23.98%")))
    }

    // MARK: 医药

    @Test("仿制药：在我省注册、新注册分类实施前批准上市", arguments: ["registeredInShanxi", "approvedBeforeNewClassification"])
    func genericDrug(field: String) throws {
        let verdict = try verdict("generic-drug.eligible.json") { $0.content[field] = .bool(false) }
        #expect(verdict.status == .ineligible)
    }

    @Test("创新药：共同申请须其他权益人同意；受让须独家权益；注册分类须按 27 号令")
    func innovativeDrug() throws {
        let consent = try verdict("innovative-drug.eligible.json") { application in
            application.content["jointlyHeld"] = .bool(true)
            application.content["coOwnersConsent"] = .bool(true)
            application.attachments.append(AttachmentRef(item: "co-owner-consent", file: "consent.pdf"))
        }
        #expect(consent.status == .eligible)
        let noConsentAnswer = try verdict("innovative-drug.eligible.json") { $0.content["jointlyHeld"] = .bool(true) }
        #expect(noConsentAnswer.result("innovative-drug.co-owner-consent")?.passed == nil)
        #expect(noConsentAnswer.status == .incomplete)
        #expect(noConsentAnswer.missing.contains { $0.path == "attachments.co-owner-consent" })
        let notJoint = Package.evaluate(try Package.example("innovative-drug.eligible.json"))
        #expect(notJoint.result("innovative-drug.co-owner-consent")?.message == "共同申请单位（其他所有权益人）同意：不涉及（附件2 四（六）3（3））")
        let transferred = try verdict("innovative-drug.eligible.json") { application in
            application.content["acquiredByTransfer"] = .bool(true)
            application.content["exclusiveRights"] = .bool(false)
        }
        #expect(transferred.result("innovative-drug.exclusive-rights")?.passed == false)
        let oldRules = try verdict("innovative-drug.eligible.json") { $0.content["registeredUnderCurrentRules"] = .bool(false) }
        #expect(oldRules.status == .ineligible)
    }

    @Test("创新药：各阶段所需附件不同")
    func innovativeDrugStageAttachments() throws {
        let verdict = try verdict("innovative-drug.eligible.json") { $0.content["stage"] = .text("临床批件") }
        #expect(verdict.status == .incomplete)
        #expect(verdict.missing.map(\.path) == ["attachments.clinical-approval"])
    }

    // MARK: 智能制造诊断

    @Test("智能制造诊断：200 户企业名单", arguments: [(200, true), (199, false), (250, true)])
    func diagnosis(count: Int, passed: Bool) throws {
        let verdict = try verdict("smart-manufacturing-diagnosis.eligible.json") { application in
            let rows = application.content["diagnosedEnterprises"]!.rows!
            application.content["diagnosedEnterprises"] = .rows((0..<count).map { rows[$0 % rows.count] })
        }
        #expect(verdict.result("diagnosis.enterprise-count")?.passed == passed)
    }

    // MARK: 一般条件

    @Test("一般条件：独立法人、省内实施、未获其他省级资金", arguments: ["independentLegalPerson", "implementedInShanxi", "noOtherProvincialFunds"])
    func generalConditions(field: String) throws {
        let declined = try verdict("rd-expense.eligible.json") { $0.enterprise[keyPath: Self.declaration(field)] = false }
        #expect(declined.status == .ineligible)
        #expect(declined.failedResults.count == 1)
        let unanswered = try verdict("rd-expense.eligible.json") { $0.enterprise[keyPath: Self.declaration(field)] = nil }
        #expect(unanswered.status == .incomplete)
    }

    static func declaration(_ field: String) -> WritableKeyPath<EnterpriseProfile, Bool?> {
        switch field {
        case "independentLegalPerson": \.independentLegalPerson
        case "implementedInShanxi": \.implementedInShanxi
        default: \.noOtherProvincialFunds
        }
    }

    @Test("失信名单：按统一社会信用代码匹配")
    func blacklist() throws {
        let application = try Package.example("rd-expense.eligible.json")
        let code = try #require(application.enterprise.creditCode)
        let listed = Package.evaluate(application, blacklist: CreditBlacklist(entries: [.init(creditCode: code, source: "国家企业信用信息公示系统严重违法失信企业名单")]))
        #expect(listed.status == .ineligible)
        #expect(listed.result("general.not-blacklisted")?.message == "统一社会信用代码 \(code) 列入国家企业信用信息公示系统严重违法失信企业名单，不得申报（通知一（二））")
        let other = Package.evaluate(application, blacklist: CreditBlacklist(entries: [.init(creditCode: "914403001922038216", source: "失信黑名单")]))
        #expect(other.status == .eligible)
        #expect(other.result("general.not-blacklisted")?.message == "未列入失信名单（通知一（二））")
    }

    // MARK: 完整性

    @Test("完整性：缺项逐条列出，不影响已能判断的条件")
    func completeness() throws {
        let verdict = try verdict("rd-expense.eligible.json") { application in
            application.commitmentAccepted = nil
            application.attachments.removeAll { $0.item == "tax-return" }
            application.overview.finances["2023H1"] = nil
            application.performanceTargets.indicators.removeAll { $0.level1 == "满意度指标" }
            application.projectName = nil
        }
        #expect(verdict.status == .incomplete)
        let paths = verdict.missing.map(\.path)
        #expect(paths.contains("commitmentAccepted"))
        #expect(paths.contains("attachments.tax-return"))
        #expect(paths.contains("overview.finances.2023H1.operatingRevenue"))
        #expect(paths.contains("performanceTargets.indicators"))
        #expect(verdict.missing.first { $0.path == "projectName" }?.message == "请填写项目名称，应为“研发费用奖励”")
        #expect(verdict.result("rd.deductible-amount")?.passed == true)
    }

    @Test("不符合条件优先于信息不完整")
    func ineligibleBeatsIncomplete() throws {
        let verdict = try verdict("rd-expense.eligible.json") { application in
            application.content["deductibleRD2022"] = .number(100)
            application.commitmentAccepted = nil
        }
        #expect(verdict.status == .ineligible)
        #expect(!verdict.missing.isEmpty)
    }

    @Test("综改示范区内企业由管委会审核")
    func reviewAuthority() throws {
        var application = try Package.example("rd-expense.eligible.json")
        #expect(Package.evaluate(application).reviewAuthority?.name == "太原市工信局")
        application.enterprise.inTransformationZone = true
        #expect(Package.evaluate(application).reviewAuthority?.name == "山西转型综改示范区管委会")
    }
}

@Suite("资格条件：未能判断的条件")
struct UndecidedRuleTests {
    @Test("条件所需的值缺失时列入待填写项，结论为信息不完整")
    func undecidedRuleIsListedAsMissing() throws {
        var application = try Package.example("innovative-drug.eligible.json")
        application.content["jointlyHeld"] = .bool(true)
        application.attachments.append(AttachmentRef(item: "co-owner-consent", file: "consent.pdf"))
        let verdict = Package.evaluate(application)
        #expect(verdict.status == .incomplete)
        #expect(verdict.missing.map(\.path) == ["content.coOwnersConsent"])
        #expect(verdict.summary == "尚有 1 项未填写或不符合填写要求")
    }
}
