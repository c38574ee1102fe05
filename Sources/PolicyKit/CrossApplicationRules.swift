import Foundation

/// An application as the cross-application rules see it: its round, and what it asks a reward for.
public struct ApplicationRecord: Sendable {
    public var id: String
    /// The round's base year (the year whose results are rewarded).
    public var baseYear: Int
    public var application: Application
    public var round: Round
    /// What the application asks a reward for (`Direction.rewardedObject` of its round), normalised: empty where the
    /// enterprise itself is rewarded, nil while it is not filled in.
    public var rewardedObject: String?

    public init(id: String, baseYear: Int, application: Application, round: Round) {
        self.id = id
        self.baseYear = baseYear
        self.application = application
        self.round = round
        if let path = direction?.rewardedObject {
            rewardedObject = application.value(at: path, round: round)?.text.map { ProjectNameRules.normalised($0).uppercased() }
        } else {
            rewardedObject = ""
        }
    }

    var direction: Direction? {
        round.allDirections.first { $0.direction.id == application.direction }?.direction
    }

    /// The text at `path` as compared across applications: without spaces, upper case.
    func key(at path: String) -> String? {
        guard let text = application.value(at: path, round: round)?.text, !text.isEmpty else { return nil }
        return text.uppercased().replacingOccurrences(of: " ", with: "")
    }

    func text(at path: String?) -> String? {
        path.flatMap { application.value(at: $0, round: round)?.text }
    }

    /// The 附件4 row the application is routed by: the first whose condition holds.
    var routingRow: RoutingRow? {
        direction?.routing.first { $0.when?.holds(for: application, round: round) ?? true }
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

/// The notice's rules that no single application can decide, as each round's `crossRules` state them.
public enum CrossApplicationRules {
    /// Every round's rules over its own applications and those of earlier rounds (once-ever rules span rounds), each
    /// finding once.
    public static func findings(_ records: [ApplicationRecord], chainRewards: Set<ChainRevenueReward> = []) -> [ConflictFinding] {
        var rounds: [String: Round] = [:]
        for record in records where rounds[record.round.id] == nil { rounds[record.round.id] = record.round }
        var seen = Set<[String]>()
        var all: [ConflictFinding] = []
        for round in rounds.values.sorted(by: { ($0.baseYear, $0.id) < ($1.baseYear, $1.id) }) {
            let covered = records.filter { $0.round.id == round.id || $0.baseYear <= round.baseYear }
            for finding in findings(covered, rules: round.crossRules, chainRewards: chainRewards)
            where seen.insert([finding.ruleId] + finding.applicationIds).inserted {
                all.append(finding)
            }
        }
        return all
    }

    public static func findings(_ records: [ApplicationRecord], rules: [CrossRule], chainRewards: Set<ChainRevenueReward>) -> [ConflictFinding] {
        var findings: [ConflictFinding] = []
        for rule in rules {
            let inScope = rule.directions.map { directions in records.filter { directions.contains($0.application.direction) } } ?? records
            switch rule.kind {
            case .duplicate: findings += duplicates(records, rule: rule, ownRules: rules)
            case .exclusive: findings += exclusive(inScope, rule: rule)
            case .chainRevenueReward: findings += chainRevenue(inScope, rule: rule, chainRewards: chainRewards)
            case .oncePerYear: findings += oncePerYear(inScope, rule: rule)
            case .onceEver: findings += onceEver(inScope, rule: rule, yearRules: rules.filter { $0.kind == .oncePerYear })
            case .oncePerEnterprise: findings += oncePerEnterprise(inScope, rule: rule, onceRules: rules.filter { $0.kind == .onceEver })
            case .supplementaryRouting: findings += supplementaryRouting(inScope, rule: rule)
            }
        }
        return findings
    }

    /// The directions a 链主/链上 revenue reward of the same year is not paid on top of, in any of `rounds`.
    public static func chainRewardDirections(_ rounds: some Sequence<Round>) -> Set<String> {
        Set(rounds.flatMap { $0.chainRevenueRules.flatMap { $0.directions ?? [] } })
    }

    static func label(_ record: ApplicationRecord) -> String {
        let name = record.application.enterprise.name ?? record.application.enterprise.creditCode ?? "未填写企业"
        return "\(name)（\(record.baseYear)年度，\(record.id)）"
    }

    static func labels(_ records: [ApplicationRecord]) -> String {
        records.map(label).joined(separator: "、")
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

    static func finding(_ rule: CrossRule, clause: String? = nil, _ message: String, _ records: [ApplicationRecord]) -> ConflictFinding {
        ConflictFinding(ruleId: rule.id, clause: clause ?? rule.clause, message: message, applicationIds: records.map(\.id).sorted())
    }

    static func yearKey(_ record: ApplicationRecord) -> String? {
        record.application.enterprise.creditCode.map { "\($0)|\(record.baseYear)" }
    }

    /// The same enterprise applying twice in one year for the same thing: the same direction and the same rewarded
    /// object (`Direction.rewardedObject`: product, certificate, whitelist period), or the same direction where the
    /// enterprise itself is rewarded. Two different 创新药 or products are two applications, not a duplicate.
    /// Directions with once-only rules of their own are left to those rules, which name the object.
    static func duplicates(_ records: [ApplicationRecord], rule: CrossRule, ownRules: [CrossRule]) -> [ConflictFinding] {
        let ownOnce = Set(ownRules.filter { [.oncePerYear, .onceEver, .oncePerEnterprise].contains($0.kind) }.flatMap { $0.directions ?? [] })
        return groups(records) { record -> [String]? in
            let application = record.application
            guard let code = application.enterprise.creditCode, !ownOnce.contains(application.direction),
                  let object = record.rewardedObject else { return nil }
            return [code, String(record.baseYear), application.direction, application.subDirection ?? "", object]
        }.map { group in
            let application = group[0].application
            let what = group[0].rewardedObject?.isEmpty == false ? "“\(application.projectName ?? group[0].rewardedObject!)”" : ""
            return finding(rule, "\(application.enterprise.name ?? "同一企业")在\(group[0].baseYear)年度重复申报同一方向\(what)（\(rule.text)）：" + labels(group), group)
        }
    }

    static func exclusive(_ records: [ApplicationRecord], rule: CrossRule) -> [ConflictFinding] {
        groups(records, by: yearKey).filter { Set($0.map(\.application.direction)).count > 1 }.map { group in
            finding(rule, "\(rule.text)：" + labels(group), group)
        }
    }

    /// Each application on its own: its direction's clause is the one cited.
    static func chainRevenue(_ records: [ApplicationRecord], rule: CrossRule, chainRewards: Set<ChainRevenueReward>) -> [ConflictFinding] {
        records.compactMap { record in
            guard let code = record.application.enterprise.creditCode,
                  chainRewards.contains(ChainRevenueReward(creditCode: code, year: record.baseYear)) else { return nil }
            return finding(rule, clause: record.direction?.clause,
                           "\(label(record))同一年度已享受重点产业链“链主”企业、链上企业营业收入奖励：\(rule.text)", [record])
        }
    }

    static func oncePerYear(_ records: [ApplicationRecord], rule: CrossRule) -> [ConflictFinding] {
        groups(records, by: yearKey).map { group in
            let names = group.compactMap { $0.text(at: rule.field) }
            let counted = names.isEmpty ? "" : "（\(names.joined(separator: "、"))）"
            return finding(rule, "\(rule.text)，\(group[0].application.enterprise.name ?? "该企业")\(group[0].baseYear)年度申报了 \(group.count) 项\(counted)：" + labels(group), group)
        }
    }

    /// The same object twice. Within one year, a once-a-year rule of the direction already reports it.
    static func onceEver(_ records: [ApplicationRecord], rule: CrossRule, yearRules: [CrossRule]) -> [ConflictFinding] {
        guard let field = rule.field else { return [] }
        let perYear = Set(yearRules.flatMap { $0.directions ?? [] })
        return groups(records) { record -> String? in
            guard let key = record.key(at: field) else { return nil }
            guard rule.perEnterprise == true else { return key }
            return record.application.enterprise.creditCode.map { "\($0)|\(key)" }
        }.filter { group in
            !(Set(group.map(\.baseYear)).count == 1 && perYear.contains(group[0].application.direction))
        }.map { group in
            finding(rule, "\(rule.text)，“\(group[0].text(at: field) ?? "")”被多次申报：" + labels(group), group)
        }
    }

    /// Left out where a once-ever rule already names exactly these applications (the same certificate).
    static func oncePerEnterprise(_ records: [ApplicationRecord], rule: CrossRule, onceRules: [CrossRule]) -> [ConflictFinding] {
        let named = Set(onceRules.flatMap { onceEver(records, rule: $0, yearRules: []) }.map(\.applicationIds))
        return groups(records) { $0.application.enterprise.creditCode }
            .map { finding(rule, "\(rule.text)：" + labels($0), $0) }
            .filter { !named.contains($0.applicationIds) }
    }

    static func supplementaryRouting(_ records: [ApplicationRecord], rule: CrossRule) -> [ConflictFinding] {
        records.compactMap { record in
            guard record.routingRow?.supplementary != nil else { return nil }
            let what = record.text(at: rule.field).map { "“\($0)”" } ?? ""
            return finding(rule, "\(label(record))申报的\(what)不在通知所列类别中：\(rule.text)", [record])
        }
    }
}

extension Round {
    /// The round's 不重复支持 rules against the 链主/链上企业营业收入奖励.
    public var chainRevenueRules: [CrossRule] {
        crossRules.filter { $0.kind == .chainRevenueReward }
    }

    /// The rule naming `directionID`, for the reviewer's alert.
    public func chainRevenueRule(for directionID: String) -> CrossRule? {
        chainRevenueRules.first { $0.directions?.contains(directionID) == true }
    }
}
