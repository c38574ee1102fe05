import Foundation
import Testing
@testable import PolicyKit

@Suite("政策文件加载与校验")
struct RoundLoadingTests {
    @Test("2023 批次：通知编号、截止时间、基准年度")
    func noticeFacts() throws {
        let round = Package.round
        #expect(round.id == "shanxi-2023")
        #expect(round.noticeNumber == "晋工信投资字〔2023〕143号")
        #expect(round.baseYear == 2022)
        #expect(DateText.minute(round.deadline, timeZone: round.timeZone) == "2023-11-10 23:59")
        #expect(round.deadline.timeIntervalSince1970 == 1_699_631_999)
    }

    @Test("目录：5 个专项、13 个方向、新型工业化载体 6 个细分方向")
    func catalogueShape() {
        let round = Package.round
        #expect(round.programmes.map(\.name) == ["集聚集约增效专项", "核心竞争力提升专项", "技术创新牵引专项", "数字化智能化改造专项", "企业增量提质专项"])
        #expect(round.allDirections.map(\.direction.name) == [
            "新型工业化载体", "国家首台（套）重大技术装备", "国家新材料首批次应用", "研发费用奖励", "仿制药一致性评价",
            "创新药研发和产业化", "国家级制造业创新中心", "智能制造诊断", "两化融合管理体系贯标", "营收增量奖励",
            "消费品增量奖励", "试点示范奖励", "“白名单”企业奖励",
        ])
        let carrier = round.allDirections[0].direction
        #expect(carrier.subDirections?.map(\.name) == [
            "国家级制造业高质量发展试验区", "国家新型工业化产业示范基地", "省级新型工业化产业示范基地",
            "先进制造业集群初赛", "先进制造业集群决赛", "国家级绿色园区",
        ])
        #expect(round.divisions.count == 13)
        #expect(round.allDirections.flatMap(\.direction.routing).filter { $0.supplementary == nil }.map(\.row).sorted() == Array(1...26))
    }

    @Test("每个方向都有字段、附件、条件、处室")
    func everyDirectionIsComplete() throws {
        let round = Package.round
        for (_, direction) in round.allDirections {
            let subIDs: [String?] = direction.subDirections?.map(\.id) ?? [nil]
            for subID in subIDs {
                let spec = try #require(round.directionSpec(direction.id, subDirection: subID))
                #expect(!spec.fields.isEmpty, "\(spec.fullName) 没有字段")
                #expect(!spec.ownAttachments.isEmpty, "\(spec.fullName) 没有附件2 四（六）的资料")
                #expect(!direction.rules.isEmpty, "\(spec.fullName) 没有资格条件")
                #expect(round.attachments(for: spec).prefix(8).map(\.id) == round.generalAttachments.map(\.id))
            }
        }
    }

    @Test("仿制药方向带 5 年不转让承诺")
    func genericDrugCommitment() throws {
        let direction = try #require(Package.round.allDirections.first { $0.direction.id == "generic-drug" }?.direction)
        #expect(direction.commitments?.contains { $0.text.contains("自通过一致性评价之日起5年内，不以任何形式转让给非本省注册企业") } == true)
        #expect(Package.round.generalCommitments.count == 4)
    }

    @Test("地区与 shanxi-divisions.csv 一致：11 个市、117 个县级区划")
    func locationsMatchDivisionsCSV() throws {
        let csv = try String(contentsOf: Package.root.appendingPathComponent("Tests/PolicyKitTests/Fixtures/shanxi-divisions.csv"), encoding: .utf8)
        let rows = csv.split(separator: "\n").dropFirst().map { $0.split(separator: ",").map(String.init) }
        let fromCSV = rows.map { "\($0[0])|\($0[1])|\($0[2])|\($0[3])" }
        let fromRound = Package.round.locations.cities.flatMap { city in city.counties.map { "\(city.code)|\(city.name)|\($0.code)|\($0.name)" } }
        #expect(fromRound == fromCSV)
        #expect(Package.round.locations.cities.count == 11)
        #expect(fromRound.count == 117)
        #expect(Package.round.reviewAuthorities.count == 12)
        #expect(Package.round.reviewAuthorities.last?.name == "山西转型综改示范区管委会")
    }

    @Test("演示批次继承 2023 批次，截止时间在未来")
    func demoRoundExtends() throws {
        let demo = try Package.loadRound("shanxi-2023-demo.json")
        #expect(demo.id == "shanxi-2023-demo")
        #expect(demo.extends == "shanxi-2023")
        #expect(demo.deadline > Date())
        #expect(demo.allDirections.count == 13)
        #expect(demo.accepts(roundID: "shanxi-2023"))
    }

    // MARK: - Corrupted files

    func corrupt(_ change: (inout [String: Any]) -> Void) throws -> RoundError? {
        let data = try Data(contentsOf: Package.policies.appendingPathComponent("shanxi-2023.json"))
        var object = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        change(&object)
        let broken = try JSONSerialization.data(withJSONObject: object)
        do {
            _ = try RoundLoader.load(broken, file: "broken.json") { _ in throw CocoaError(.fileNoSuchFile) }
            return nil
        } catch {
            return error
        }
    }

    @Test("不是 JSON 的文件")
    func notJSON() {
        #expect(throws: RoundError.self) { try RoundLoader.load(Data("{ 政策".utf8), file: "x.json") { _ in Data() } }
    }

    @Test("缺少截止时间：指出条目")
    func missingDeadline() throws {
        let error = try #require(try corrupt { $0.removeValue(forKey: "deadline") })
        #expect(error.entry == "deadline")
        #expect(error.description.contains("缺少此项"))
    }

    @Test("截止时间格式错误")
    func badDeadline() throws {
        let error = try #require(try corrupt { $0["deadline"] = "2023年11月10日" })
        #expect(error.entry == "deadline")
    }

    @Test("规则缺少门槛参数")
    func ruleWithoutThreshold() throws {
        let error = try #require(try corrupt { object in
            changeDirection(&object, programme: 2, direction: 0) { rd in
                var rules = rd["rules"] as! [[String: Any]]
                rules[0].removeValue(forKey: "threshold")
                rd["rules"] = rules
            }
        })
        #expect(error.entry == "programmes[2].directions[0].rules[0].threshold")
        #expect(error.reason.contains("rd.deductible-amount"))
    }

    @Test("门槛不是数值")
    func thresholdNotANumber() throws {
        let error = try #require(try corrupt { object in
            changeDirection(&object, programme: 2, direction: 0) { rd in
                var rules = rd["rules"] as! [[String: Any]]
                rules[0]["threshold"] = "两千"
                rd["rules"] = rules
            }
        })
        #expect(error.entry.hasPrefix("programmes[2].directions[0].rules[0]"))
    }

    @Test("处室不存在")
    func unknownDivision() throws {
        let error = try #require(try corrupt { object in
            changeDirection(&object, programme: 4, direction: 3) { whitelist in
                var routing = whitelist["routing"] as! [[String: Any]]
                routing[0]["division"] = "宣传处"
                whitelist["routing"] = routing
            }
        })
        #expect(error.entry == "programmes[4].directions[3].routing[0].division")
        #expect(error.reason.contains("宣传处"))
    }

    @Test("规则引用不存在的字段")
    func ruleReferencesUnknownField() throws {
        let error = try #require(try corrupt { object in
            changeDirection(&object, programme: 2, direction: 0) { rd in
                var rules = rd["rules"] as! [[String: Any]]
                rules[0]["field"] = "content.rdSpending"
                rd["rules"] = rules
            }
        })
        #expect(error.entry == "programmes[2].directions[0].rules[0]")
        #expect(error.reason.contains("content.rdSpending"))
    }

    @Test("方向编号重复")
    func duplicateDirection() throws {
        let error = try #require(try corrupt { object in
            changeDirection(&object, programme: 4, direction: 1) { $0["id"] = "revenue-increase" }
        })
        #expect(error.reason.contains("revenue-increase"))
    }

    @Test("县级代码不属于所在市")
    func countyInWrongCity() throws {
        let error = try #require(try corrupt { object in
            var locations = object["locations"] as! [String: Any]
            var cities = locations["cities"] as! [[String: Any]]
            var counties = cities[0]["counties"] as! [[String: Any]]
            counties[0]["code"] = "140212"
            cities[0]["counties"] = counties
            locations["cities"] = cities
            object["locations"] = locations
        })
        #expect(error.entry.contains("locations.cities"))
    }

    @Test("继承的文件不存在")
    func missingBase() throws {
        let overlay = Data(#"{"format": 1, "extends": "shanxi-2019.json", "id": "x"}"#.utf8)
        #expect {
            _ = try RoundLoader.load(overlay, file: "x.json") { _ in throw CocoaError(.fileNoSuchFile) }
        } throws: { error in
            (error as? RoundError)?.entry == "extends"
        }
    }
}
