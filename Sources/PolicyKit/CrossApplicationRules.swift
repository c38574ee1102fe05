import Foundation

/// An application as the cross-application rules see it: which round year it belongs to.
public struct ApplicationRecord: Sendable {
    public var id: String
    /// The round's base year (the year whose results are rewarded).
    public var baseYear: Int
    public var application: Application
    /// What the application asks a reward for (`Direction.rewardedObject` of its round), normalised: empty where the
    /// enterprise itself is rewarded, nil while it is not filled in.
    public var rewardedObject: String?

    public init(id: String, baseYear: Int, application: Application, round: Round) {
        self.id = id
        self.baseYear = baseYear
        self.application = application
        if let path = round.allDirections.first(where: { $0.direction.id == application.direction })?.direction.rewardedObject {
            rewardedObject = application.value(at: path, round: round)?.text.map { ProjectNameRules.normalised($0).uppercased() }
        } else {
            rewardedObject = ""
        }
    }
}

/// A 链主/链上企业营业收入奖励 granted to an enterprise for a year (imported by the admin).
public struct ChainRevenueReward: Sendable, Hashable {
    public var creditCode: String
    public var year: Int

    public init(creditCode: String, year: Int) {
        self.creditCode = creditCode
        self.year = year
    }

    /// A row of an imported award list: who, which year, and as what.
    public struct Listed: Sendable, Equatable {
        public var creditCode: String
        public var year: Int
        public var name: String?
        /// 链主 or 链上 (企业), as the list says.
        public var category: String?
        public var reward: ChainRevenueReward { ChainRevenueReward(creditCode: creditCode, year: year) }
    }

    /// The award list's rows under a header naming 统一社会信用代码 and 年度 (企业名称 and 类别 optional); every bad
    /// row is reported with its line, none dropped.
    public static func parseRows(_ rows: [(line: Int, cells: [String])]) -> ([Listed], [CreditBlacklist.LineProblem]) {
        let filled = rows.filter { !$0.cells.allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty } }
        guard let header = filled.first else { return ([], [.init(line: 1, message: "文件为空")]) }
        let names = header.cells.map { $0.trimmingCharacters(in: .whitespaces) }
        func column(_ accepted: [String]) -> Int? { names.firstIndex { accepted.contains($0) } }
        guard let codeColumn = column(["统一社会信用代码", "creditCode"]), let yearColumn = column(["年度", "奖励年度", "year"]) else {
            return ([], [.init(line: header.line, message: "表头应有“统一社会信用代码”和“年度”两列（可另有“企业名称”“类别”）")])
        }
        let nameColumn = column(["企业名称", "name"])
        let categoryColumn = column(["类别", "category"])
        func cell(_ cells: [String], _ index: Int?) -> String? {
            guard let index, index < cells.count else { return nil }
            let text = cells[index].trimmingCharacters(in: .whitespaces)
            return text.isEmpty ? nil : text
        }
        var listed: [Listed] = []
        var problems: [CreditBlacklist.LineProblem] = []
        var seen: [ChainRevenueReward: Int] = [:]
        for (line, cells) in filled.dropFirst() {
            guard let codeText = cell(cells, codeColumn) else {
                problems.append(.init(line: line, message: "缺少统一社会信用代码"))
                continue
            }
            let code: String
            switch CreditCode.validate(codeText) {
            case .success(let valid): code = valid
            case .failure(let error):
                problems.append(.init(line: line, message: error.message))
                continue
            }
            guard let yearText = cell(cells, yearColumn), let year = Int(yearText.replacingOccurrences(of: "年", with: "")), (2000...2100).contains(year) else {
                problems.append(.init(line: line, message: "年度应为四位年份，如 2022"))
                continue
            }
            let category = cell(cells, categoryColumn)
            if let category, !["链主", "链上", "链主企业", "链上企业"].contains(category) {
                problems.append(.init(line: line, message: "类别应为“链主”或“链上”，实为“\(category.prefix(20))”"))
                continue
            }
            let entry = Listed(creditCode: code, year: year, name: cell(cells, nameColumn), category: category.map { String($0.prefix(2)) })
            if let previous = seen[entry.reward] {
                problems.append(.init(line: line, message: "统一社会信用代码 \(code) 的 \(year) 年度与第 \(previous) 行重复"))
                continue
            }
            seen[entry.reward] = line
            listed.append(entry)
        }
        return (listed, problems)
    }
}

/// One conflict between applications, naming all of them and why.
public struct ConflictFinding: Codable, Sendable, Equatable {
    public var ruleId: String
    public var clause: String
    public var message: String
    public var applicationIds: [String]
}

/// The notice's rules that no single application can decide: exclusions, once-only rewards, duplicates.
public enum CrossApplicationRules {
    public static func findings(_ records: [ApplicationRecord], chainRewards: Set<ChainRevenueReward> = []) -> [ConflictFinding] {
        var findings: [ConflictFinding] = []
        findings += duplicates(records)
        findings += revenueExclusions(records, chainRewards: chainRewards)
        findings += pilotsPerYear(records)
        findings += samePilotTwice(records)
        findings += integrationOnce(records)
        findings += drugApprovalOnce(records)
        findings += unlistedPilotCategories(records)
        return findings
    }

    static func label(_ record: ApplicationRecord) -> String {
        let name = record.application.enterprise.name ?? record.application.enterprise.creditCode ?? "未填写企业"
        return "\(name)（\(record.baseYear)年度，\(record.id)）"
    }

    static func groups<Key: Hashable>(_ records: [ApplicationRecord], by key: (ApplicationRecord) -> Key?) -> [[ApplicationRecord]] {
        var grouped: [Key: [ApplicationRecord]] = [:]
        var order: [Key] = []
        for record in records {
            guard let key = key(record) else { continue }
            if grouped[key] == nil { order.append(key) }
            grouped[key, default: []].append(record)
        }
        return order.compactMap { grouped[$0] }.filter { $0.count > 1 }
    }

    static func finding(_ id: String, _ clause: String, _ message: String, _ records: [ApplicationRecord]) -> ConflictFinding {
        ConflictFinding(ruleId: id, clause: clause, message: message, applicationIds: records.map(\.id).sorted())
    }

    /// Directions whose once-only rules below already name the object twice rewarded.
    static let ownOnceRules: Set<String> = ["pilot-demonstration", "integration-management", "innovative-drug"]

    /// The same enterprise applying twice in one year for the same thing: the same direction and the same rewarded
    /// object (`Direction.rewardedObject`: product, certificate, whitelist period), or the same direction where the
    /// enterprise itself is rewarded. Two different 创新药 or products are two applications, not a duplicate.
    static func duplicates(_ records: [ApplicationRecord]) -> [ConflictFinding] {
        groups(records) { record -> [String]? in
            let application = record.application
            guard let code = application.enterprise.creditCode, !ownOnceRules.contains(application.direction),
                  let object = record.rewardedObject else { return nil }
            return [code, String(record.baseYear), application.direction, application.subDirection ?? "", object]
        }.map { group in
            let application = group[0].application
            let what = group[0].rewardedObject?.isEmpty == false ? "“\(application.projectName ?? group[0].rewardedObject!)”" : ""
            return finding("cross.duplicate-direction", "附件2 一（二）",
                           "\(application.enterprise.name ?? "同一企业")在\(group[0].baseYear)年度重复申报同一方向\(what)：" + group.map(label).joined(separator: "、"), group)
        }
    }

    /// The directions a 链主/链上 revenue reward of the same year is not paid on top of.
    public static let revenueDirections: Set<String> = ["revenue-increase", "consumer-increase"]

    /// 营收增量/消费品增量 are not paid on top of a 链主/链上 revenue reward of the same year, nor together.
    static func revenueExclusions(_ records: [ApplicationRecord], chainRewards: Set<ChainRevenueReward>) -> [ConflictFinding] {
        let revenue = records.filter { revenueDirections.contains($0.application.direction) }
        var findings = groups(revenue) { record in
            record.application.enterprise.creditCode.map { "\($0)|\(record.baseYear)" }
        }.filter { Set($0.map(\.application.direction)).count > 1 }.map { group in
            finding("cross.revenue-and-consumer", "附件1（十）（十一）",
                    "同一企业同一年度不能同时申报营收增量奖励和消费品增量奖励：" + group.map(label).joined(separator: "、"), group)
        }
        for record in revenue {
            guard let code = record.application.enterprise.creditCode else { continue }
            if chainRewards.contains(ChainRevenueReward(creditCode: code, year: record.baseYear)) {
                let clause = record.application.direction == "revenue-increase" ? "附件1（十）" : "附件1（十一）"
                findings.append(finding("cross.chain-revenue-reward", clause,
                                        "\(label(record))同一年度已享受重点产业链“链主”企业、链上企业营业收入奖励，不重复支持", [record]))
            }
        }
        return findings
    }

    /// 同一年度新增试点示范只奖励1项.
    static func pilotsPerYear(_ records: [ApplicationRecord]) -> [ConflictFinding] {
        groups(records.filter { $0.application.direction == "pilot-demonstration" }) { record in
            record.application.enterprise.creditCode.map { "\($0)|\(record.baseYear)" }
        }.map { group in
            let names = group.compactMap { $0.application.content["pilotName"]?.text }
            return finding("cross.one-pilot-per-year", "附件1（十二）",
                           "同一年度新增试点示范只奖励1项，\(group[0].application.enterprise.name ?? "该企业")\(group[0].baseYear)年度申报了 \(group.count) 项（\(names.joined(separator: "、"))）：" + group.map(label).joined(separator: "、"), group)
        }
    }

    /// 同一企业同一项试点示范只奖励1次, across years.
    static func samePilotTwice(_ records: [ApplicationRecord]) -> [ConflictFinding] {
        groups(records.filter { $0.application.direction == "pilot-demonstration" }) { record -> String? in
            guard let code = record.application.enterprise.creditCode,
                  let name = record.application.content["pilotName"]?.text else { return nil }
            return "\(code)|\(ProjectNameRules.normalised(name))"
        }.filter { Set($0.map(\.baseYear)).count > 1 }.map { group in
            finding("cross.pilot-once", "附件1（十二）",
                    "同一企业同一项试点示范“\(group[0].application.content["pilotName"]?.text ?? "")”只奖励1次：" + group.map(label).joined(separator: "、"), group)
        }
    }

    /// 两化融合: once per enterprise, and one certificate never twice.
    static func integrationOnce(_ records: [ApplicationRecord]) -> [ConflictFinding] {
        let integration = records.filter { $0.application.direction == "integration-management" }
        let byCertificate = groups(integration) { record in
            record.application.content["certificateNumber"]?.text.map { $0.uppercased().replacingOccurrences(of: " ", with: "") }
        }.map { group in
            finding("cross.integration-certificate-once", "附件1（九）",
                    "两化融合管理体系评定证书“\(group[0].application.content["certificateNumber"]?.text ?? "")”被多次申报：" + group.map(label).joined(separator: "、"), group)
        }
        let certificateGroups = Set(byCertificate.map(\.applicationIds))
        let byEnterprise = groups(integration) { $0.application.enterprise.creditCode }
            .map { group in
                finding("cross.integration-once-per-enterprise", "附件1（九）",
                        "同一企业只能享受1次两化融合管理体系贯标奖励：" + group.map(label).joined(separator: "、"), group)
            }
            .filter { !certificateGroups.contains($0.applicationIds) }
        return byCertificate + byEnterprise
    }

    /// 同一药物临床批件、药品注册批件只能享受一次奖励，转让、买卖后不得重复申报.
    static func drugApprovalOnce(_ records: [ApplicationRecord]) -> [ConflictFinding] {
        groups(records.filter { $0.application.direction == "innovative-drug" }) { record in
            record.application.content["approvalDocumentNumber"]?.text.map { $0.uppercased().replacingOccurrences(of: " ", with: "") }
        }.map { group in
            finding("cross.drug-approval-once", "附件2 四（六）3（3）",
                    "同一药物临床批件、药品注册批件“\(group[0].application.content["approvalDocumentNumber"]?.text ?? "")”只能享受一次奖励，转让、买卖后不得重复申报：" + group.map(label).joined(separator: "、"), group)
        }
    }

    /// A pilot of a category 附件4 does not list (“其他”): routed to 投资处 for now, for the admin to settle.
    static func unlistedPilotCategories(_ records: [ApplicationRecord]) -> [ConflictFinding] {
        records.filter { $0.application.direction == "pilot-demonstration" && $0.application.content["pilotCategoryName"] != nil }.map { record in
            let name = record.application.content["pilotCategoryName"]?.text ?? ""
            return finding("cross.pilot-category-unlisted", "附件1（十二）",
                           "\(label(record))申报的试点示范类别“\(name)”不在通知所列类别中，暂由投资处受理；请核实是否属国家新设或变更的试点示范，并确定负责处室", [record])
        }
    }
}
