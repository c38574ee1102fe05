import Foundation
import Testing
@testable import PolicyKit

@Suite("跨申报规则")
struct CrossApplicationTests {
    func record(_ id: String, _ example: String, year: Int = 2022, code: String? = nil, change: (inout Application) -> Void = { _ in }) throws -> ApplicationRecord {
        var application = try Package.example(example)
        if let code { application.enterprise.creditCode = code }
        change(&application)
        return ApplicationRecord(id: id, baseYear: year, application: application, round: Package.round)
    }

    let otherCode = "914403001922038216"

    @Test("没有冲突时不报")
    func noFindings() throws {
        let records = try [
            record("A1", "revenue-increase.eligible.json"),
            record("A2", "rd-expense.eligible.json"),
            record("A3", "whitelist-2022-h2-tier-2.eligible.json"),
            record("A4", "whitelist-2023-q1-tier-1.eligible.json"),
        ]
        #expect(CrossApplicationRules.findings(records).isEmpty)
    }

    @Test("同一企业同一方向重复申报")
    func duplicates() throws {
        let findings = CrossApplicationRules.findings(try [
            record("A1", "rd-expense.eligible.json"), record("A2", "rd-expense.eligible.json"), record("A3", "rd-expense.eligible.json", code: otherCode),
        ])
        #expect(findings.count == 1)
        #expect(findings[0].ruleId == "cross.duplicate-direction")
        #expect(findings[0].applicationIds == ["A1", "A2"])
        #expect(findings[0].message.contains("重复申报同一方向"))
        #expect(CrossApplicationRules.findings(try [record("A1", "rd-expense.eligible.json"), record("A2", "rd-expense.eligible.json", year: 2023)]).isEmpty)
    }

    @Test("白名单两个期间可同时申报，同一期间不可重复")
    func whitelistPeriods() throws {
        #expect(CrossApplicationRules.findings(try [
            record("W1", "whitelist-2022-h2-tier-2.eligible.json"), record("W2", "whitelist-2023-q1-tier-1.eligible.json"),
        ]).isEmpty)
        let findings = CrossApplicationRules.findings(try [
            record("W1", "whitelist-2022-h2-tier-2.eligible.json"), record("W2", "whitelist-2022-h2-tier-2.eligible.json"),
        ])
        #expect(findings.map(\.applicationIds) == [["W1", "W2"]])
        #expect(findings[0].message.contains("（2022年6至12月）"))
    }

    @Test("营收增量与链主/链上企业营业收入奖励同年不重复")
    func chainReward() throws {
        let revenue = try record("R1", "revenue-increase.eligible.json")
        let code = try #require(revenue.application.enterprise.creditCode)
        let findings = CrossApplicationRules.findings([revenue], chainRewards: [ChainRevenueReward(creditCode: code, year: 2022)])
        #expect(findings.map(\.ruleId) == ["cross.chain-revenue-reward"])
        #expect(findings[0].applicationIds == ["R1"])
        #expect(CrossApplicationRules.findings([revenue], chainRewards: [ChainRevenueReward(creditCode: code, year: 2021)]).isEmpty)
    }

    @Test("同一企业同年营收增量与消费品增量不能同时申报")
    func revenueAndConsumer() throws {
        let revenue = try record("R1", "revenue-increase.eligible.json", code: otherCode)
        let consumer = try record("C1", "consumer-increase.eligible.json", code: otherCode)
        let findings = CrossApplicationRules.findings([revenue, consumer])
        #expect(findings.map(\.ruleId) == ["cross.revenue-and-consumer"])
        #expect(findings[0].applicationIds == ["C1", "R1"])
    }

    @Test("同一年度新增试点示范只奖励 1 项")
    func onePilotPerYear() throws {
        let first = try record("P1", "pilot-demonstration.eligible.json")
        let second = try record("P2", "pilot-demonstration.eligible.json") { $0.content["pilotName"] = .text("国家技术创新示范企业") }
        let findings = CrossApplicationRules.findings([first, second])
        #expect(findings.map(\.ruleId) == ["cross.one-pilot-per-year"])
        #expect(findings[0].message.contains("申报了 2 项（国家级绿色工厂、国家技术创新示范企业）"))
    }

    @Test("同一企业同一项试点示范只奖励 1 次（跨年度）")
    func samePilotAcrossYears() throws {
        let findings = CrossApplicationRules.findings(try [
            record("P1", "pilot-demonstration.eligible.json", year: 2021), record("P2", "pilot-demonstration.eligible.json", year: 2022),
        ])
        #expect(findings.map(\.ruleId) == ["cross.pilot-once"])
        #expect(findings[0].applicationIds == ["P1", "P2"])
    }

    @Test("两化融合：同一证书、同一企业只奖励一次")
    func integrationOnce() throws {
        let sameCertificate = CrossApplicationRules.findings(try [
            record("I1", "integration-management.eligible.json", year: 2021),
            record("I2", "integration-management.eligible.json", code: otherCode) { $0.content["certificateNumber"] = .text("aa2022140100123") },
        ])
        #expect(sameCertificate.map(\.ruleId) == ["cross.integration-certificate-once"])
        let sameEnterprise = CrossApplicationRules.findings(try [
            record("I1", "integration-management.eligible.json", year: 2021) { $0.content["certificateNumber"] = .text("A2021140100001") },
            record("I2", "integration-management.eligible.json"),
        ])
        #expect(sameEnterprise.map(\.ruleId) == ["cross.integration-once-per-enterprise"])
    }

    @Test("同一药品批件只奖励一次，转让后也不得重复申报")
    func drugApprovalOnce() throws {
        let findings = CrossApplicationRules.findings(try [
            record("D1", "innovative-drug.eligible.json", year: 2021),
            record("D2", "innovative-drug.eligible.json", code: otherCode) { $0.content["approvalDocumentNumber"] = .text("国药准字 H20230001") },
        ])
        #expect(findings.map(\.ruleId) == ["cross.drug-approval-once"])
        #expect(findings[0].applicationIds == ["D1", "D2"])
    }

    @Test("重复申报：同一方向且同一对象才算；两个不同的产品、创新药不是重复")
    func duplicatesNeedTheSameObject() throws {
        let differentProducts = CrossApplicationRules.findings(try [
            record("F1", "first-set-equipment.eligible.json"),
            record("F2", "first-set-equipment.eligible.json") { $0.content["productName"] = .text("大型智能掘进机"); $0.projectName = "大型智能掘进机" },
        ])
        #expect(differentProducts.isEmpty, "\(differentProducts.map(\.message))")
        let sameProduct = CrossApplicationRules.findings(try [
            record("F1", "first-set-equipment.eligible.json"),
            record("F2", "first-set-equipment.eligible.json") { $0.content["productName"] = .text(" 智能化千万吨级综采工作面成套装备 ") },
        ])
        #expect(sameProduct.map(\.ruleId) == ["cross.duplicate-direction"])
        #expect(sameProduct[0].message.contains("重复申报同一方向“智能化千万吨级综采工作面成套装备”"))
        let twoDrugs = CrossApplicationRules.findings(try [
            record("D1", "innovative-drug.eligible.json"),
            record("D2", "innovative-drug.eligible.json") {
                $0.content["drugName"] = .text("示例单抗注射液")
                $0.content["approvalDocumentNumber"] = .text("国药准字S20230002")
            },
        ])
        #expect(twoDrugs.isEmpty, "两个不同的创新药：\(twoDrugs.map(\.message))")
        let oneEnterpriseTwice = CrossApplicationRules.findings(try [record("R1", "rd-expense.eligible.json"), record("R2", "rd-expense.eligible.json")])
        #expect(oneEnterpriseTwice.map(\.ruleId) == ["cross.duplicate-direction"], "研发费用奖励按企业奖励，一年一次")
    }
}
