import Foundation
import Testing
@testable import PolicyKit

/// Every row of 附件4, each reached by an application it names.
@Suite("附件4：负责处室分派")
struct RoutingTests {
    struct Row: Sendable, CustomStringConvertible {
        var row: Int
        var example: String
        var subDirection: String?
        var industry: String?
        var pilotCategory: String?
        var division: String
        var contacts: [String]
        var phone: String
        var description: String { "第\(row)行 \(division)" }
    }

    static let carrier = "industrial-carrier-national-demo-base.eligible.json"

    static let rows: [Row] = [
        Row(row: 1, example: carrier, subDirection: "hq-development-zone", division: "投资处", contacts: ["罗绍强"], phone: "0351-3046026"),
        Row(row: 1, example: carrier, subDirection: "national-demo-base", division: "投资处", contacts: ["罗绍强"], phone: "0351-3046026"),
        Row(row: 1, example: carrier, subDirection: "provincial-demo-base", division: "投资处", contacts: ["罗绍强"], phone: "0351-3046026"),
        Row(row: 1, example: carrier, subDirection: "cluster-preliminary", division: "投资处", contacts: ["罗绍强"], phone: "0351-3046026"),
        Row(row: 1, example: carrier, subDirection: "cluster-final", division: "投资处", contacts: ["罗绍强"], phone: "0351-3046026"),
        Row(row: 2, example: carrier, subDirection: "green-park", division: "节能处", contacts: ["候富余"], phone: "0351-3046280"),
        Row(row: 3, example: "first-set-equipment.eligible.json", division: "装备处", contacts: ["臧俊民"], phone: "0351-3030060"),
        Row(row: 4, example: "new-material-first-batch.eligible.json", division: "新材料处", contacts: ["张伸"], phone: "0351-3030056"),
        Row(row: 5, example: "rd-expense.eligible.json", division: "创新处", contacts: ["张莉娜"], phone: "0351-3046990"),
        Row(row: 6, example: "generic-drug.eligible.json", division: "消费品处", contacts: ["李武"], phone: "0351-3030023"),
        Row(row: 7, example: "innovative-drug.eligible.json", division: "消费品处", contacts: ["李武"], phone: "0351-3030023"),
        Row(row: 8, example: "innovation-center.eligible.json", division: "创新处", contacts: ["张莉娜"], phone: "0351-3046990"),
        Row(row: 9, example: "smart-manufacturing-diagnosis.eligible.json", division: "装备处", contacts: ["梁智渊"], phone: "0351-3183088"),
        Row(row: 10, example: "integration-management.eligible.json", division: "信息化处", contacts: ["李刚瑛"], phone: "0351-3040995"),
    ] + [
        (11, ["钢铁", "有色", "建材"], "原材料处", ["韩鹏月"], "0351-3030071"),
        (12, ["焦化", "化工", "现代煤化工"], "化工处", ["史建陶"], "0351-3183018"),
        (13, ["传统装备制造", "高端装备制造"], "装备处", ["周继祥"], "0351-3030031"),
        (14, ["新材料"], "新材料处", ["郭毅"], "0351-3030056"),
        (15, ["废弃资源综合利用"], "节能处", ["李萍", "李飞光"], "0351-3046280"),
        (16, ["新能源汽车"], "产业处", ["胡崚"], "0351-2022229"),
        (17, ["电子信息"], "电子处", ["李永春"], "0351-3046160"),
        (18, ["数字产业"], "大数据办", ["张海晨"], "0351-3046291"),
    ].flatMap { row, industries, division, contacts, phone in
        industries.map { Row(row: row, example: "revenue-increase.eligible.json", industry: $0, division: division, contacts: contacts, phone: phone) }
    } + ["食品", "轻工", "纺织", "现代医药"].map {
        Row(row: 19, example: "consumer-increase.eligible.json", industry: $0, division: "消费品处", contacts: ["李武"], phone: "0351-3030023")
    } + [
        (20, ["企业技术中心", "技术创新示范企业"], "创新处", ["张莉娜"], "0351-3046990"),
        (21, ["制造业单项冠军企业（产品）", "工业设计中心", "服务型制造示范企业"], "产业处", ["胡崚"], "0351-2022229"),
        (22, ["国家级专精特新“小巨人”企业（含重点小巨人企业）"], "投资处", ["孟庆春"], "0351-3046026"),
        (23, ["绿色工厂", "绿色设计产品", "绿色供应链", "能效领跑者", "水效领跑者"], "节能处", ["候富余"], "0351-3046280"),
        (24, ["智能制造试点示范行动（示范工厂、优秀场景）"], "装备处", ["梁智渊"], "0351-3183088"),
        (25, ["新一代信息技术与制造业融合", "工业互联网试点示范"], "信息化处", ["李刚瑛"], "0351-3040995"),
    ].flatMap { row, categories, division, contacts, phone in
        categories.map { Row(row: row, example: "pilot-demonstration.eligible.json", pilotCategory: $0, division: division, contacts: contacts, phone: phone) }
    } + [
        Row(row: 26, example: "whitelist-2022-h2-tier-2.eligible.json", division: "运行处", contacts: ["李亚界"], phone: "0351-4032449"),
        // Not a row of 附件4: a category the notice lets grow goes to the programme's own division (row 1's).
        Row(row: 1, example: "pilot-demonstration.eligible.json", pilotCategory: "其他（国家新设或变更的试点示范）", division: "投资处", contacts: ["罗绍强"], phone: "0351-3046026"),
    ]

    @Test("每一行都能分派到", arguments: rows)
    func route(row: Row) throws {
        var application = try Package.example(row.example)
        if let sub = row.subDirection { application.subDirection = sub }
        if let industry = row.industry {
            application.enterprise.industry = industry
            application.enterprise.industryCategory = Package.round.category(ofIndustry: industry)
        }
        if let category = row.pilotCategory { application.content["pilotCategory"] = .text(category) }
        let routed = try #require(Package.evaluate(application).routing)
        #expect(routed.row == row.row)
        #expect(routed.division == row.division)
        #expect(routed.contacts == row.contacts)
        #expect(routed.phone == row.phone)
    }

    @Test("覆盖附件4全部 26 行、全部 14 类试点示范及“其他”、全部非消费品制造业行业")
    func coverage() {
        #expect(Set(Self.rows.map(\.row)) == Set(1...26))
        #expect(Set(Self.rows.compactMap(\.pilotCategory)) == Set(Package.round.vocabularies.pilotCategories.map(\.name)))
        let consumer = Set(Package.round.vocabularies.consumerGoodsIndustries)
        let revenueIndustries = Set(Self.rows.filter { $0.example.hasPrefix("revenue") }.compactMap(\.industry))
        #expect(revenueIndustries == Set(Package.round.industries).subtracting(consumer))
    }

    @Test("试点示范“其他”：写明类别名称，交投资处，并提示管理员核实")
    func otherPilotCategory() throws {
        var application = try Package.example("pilot-demonstration.eligible.json")
        application.content["pilotCategory"] = .text("其他（国家新设或变更的试点示范）")
        let unnamed = Package.evaluate(application)
        #expect(unnamed.missing.contains { $0.path == "content.pilotCategoryName" && $0.message == "请填写其他试点示范类别名称" })
        application.content["pilotCategoryName"] = .text("国家级数字化转型促进中心")
        let named = Package.evaluate(application)
        #expect(named.status == .eligible)
        #expect(named.routing?.division == "投资处")
        #expect(named.warnings.contains { $0.contains("附件4未列此类，暂由投资处") && $0.contains("动态调整") })
        let listed = Package.evaluate(try Package.example("pilot-demonstration.eligible.json"))
        #expect(!listed.warnings.contains { $0.contains("附件4未列此类") })
        #expect(!listed.missing.contains { $0.path == "content.pilotCategoryName" })
        let findings = CrossApplicationRules.findings([ApplicationRecord(id: "P1", baseYear: 2022, application: application, round: Package.round)])
        #expect(findings.map(\.ruleId) == ["cross.pilot-category-unlisted"])
        #expect(findings[0].message.contains("“国家级数字化转型促进中心”不在通知所列类别中"))
    }

    @Test("行业未定时无法分派，并给出提示")
    func unroutable() throws {
        var application = try Package.example("revenue-increase.eligible.json")
        application.enterprise.industry = nil
        let verdict = Package.evaluate(application)
        #expect(verdict.routing == nil)
        #expect(verdict.warnings.contains { $0.hasPrefix("无法确定负责处室") })
    }
}
