import Foundation
@testable import PolicyKit

/// Files of the package, found from this source file so tests run from any directory.
enum Package {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let policies = root.appendingPathComponent("Policies")
    static let examples = root.appendingPathComponent("Examples/applications")

    static func loadRound(_ name: String = "shanxi-2023.json") throws -> Round {
        let data = try Data(contentsOf: policies.appendingPathComponent(name))
        return try RoundLoader.load(data, file: name) { try Data(contentsOf: policies.appendingPathComponent($0)) }
    }

    static let round: Round = try! loadRound()

    static func exampleData(_ name: String) throws -> Data {
        try Data(contentsOf: examples.appendingPathComponent(name))
    }

    static func example(_ name: String) throws -> Application {
        try ApplicationReader.read(exampleData(name), round: round)
    }

    static func evaluate(_ application: Application, blacklist: CreditBlacklist = .empty) -> Verdict {
        EligibilityEngine(round: round).evaluate(application, blacklist: blacklist)
    }
}

extension Verdict {
    func result(_ ruleID: String) -> RuleResult? {
        results.first { $0.ruleId == ruleID }
    }
}

extension Application {
    /// Sets a finance item for one period.
    mutating func setFinance(_ period: String, _ item: String, _ value: FixedDecimal) {
        overview.finances[period, default: [:]][item] = value
    }

    mutating func setRevenue(prior: FixedDecimal, current: FixedDecimal) {
        setFinance("2021", "operatingRevenue", prior)
        setFinance("2022", "operatingRevenue", current)
        setFinance("2021", "mainBusinessRevenue", prior)
        setFinance("2022", "mainBusinessRevenue", current)
    }
}

func decimal(_ text: String) -> FixedDecimal { FixedDecimal(text)! }

/// Changes one direction of a round file read as JSON (`programmes[programme].directions[direction]`).
func changeDirection(_ object: inout [String: Any], programme: Int, direction: Int, _ change: (inout [String: Any]) -> Void) {
    var programmes = object["programmes"] as! [[String: Any]]
    var directions = programmes[programme]["directions"] as! [[String: Any]]
    change(&directions[direction])
    programmes[programme]["directions"] = directions
    object["programmes"] = programmes
}
