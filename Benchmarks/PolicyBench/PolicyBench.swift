import Foundation
import PolicyKit

// `make bench`: evaluates 10,000 generated applications against the 2023 round (target: under 50 ms).

/// A deterministic generator so every run evaluates the same applications.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension Application {
    mutating func setRevenue(prior: FixedDecimal, growthPercent: Int) {
        let current = FixedDecimal(units: prior.units * Int64(100 + growthPercent) / 100)
        overview.finances["2021", default: [:]]["operatingRevenue"] = prior
        overview.finances["2022", default: [:]]["operatingRevenue"] = current
    }
}

@main
struct PolicyBench {
    static func main() throws {
        let root = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let policies = root.appendingPathComponent("Policies")
        let round = try RoundLoader.load(Data(contentsOf: policies.appendingPathComponent("shanxi-2023.json")), file: "shanxi-2023.json") {
            try Data(contentsOf: policies.appendingPathComponent($0))
        }
        let examplesFolder = root.appendingPathComponent("Examples/applications")
        let templates = try FileManager.default.contentsOfDirectory(atPath: examplesFolder.path)
            .filter { $0.hasSuffix(".eligible.json") }.sorted()
            .map { try ApplicationReader.read(Data(contentsOf: examplesFolder.appendingPathComponent($0)), round: round) }

        var random = SplitMix64(state: 2023)
        func amount(_ range: ClosedRange<Int>) -> FixedDecimal { FixedDecimal(units: Int64(Int.random(in: range, using: &random)) * 100) }

        let count = 10_000
        let applications: [Application] = (0..<count).map { index in
            var application = templates[index % templates.count]
            application.setRevenue(prior: amount(1_000_000...20_000_000), growthPercent: Int.random(in: -10...80, using: &random))
            if application.content["deductibleRD2022"] != nil { application.content["deductibleRD2022"] = .number(amount(150_000...400_000)) }
            if var rows = application.content["monthlyOutput"]?.rows {
                for row in rows.indices {
                    let prior = amount(100_000...900_000)
                    rows[row]["priorOutput"] = .number(prior)
                    rows[row]["currentOutput"] = .number(FixedDecimal(units: prior.units * Int64(Int.random(in: 95...220, using: &random)) / 100))
                }
                application.content["monthlyOutput"] = .rows(rows)
            }
            if index % 7 == 0 { application.commitmentAccepted = nil }
            return application
        }

        let engine = EligibilityEngine(round: round)
        let blacklist = CreditBlacklist(entries: (0..<1000).map { .init(creditCode: CreditCode.withCheckCharacter("91140100" + CreditCode.organisationCode(body: String(format: "MA%06d", $0))), source: "失信名单") })

        func measure(_ evaluate: () -> [Verdict]) -> (timings: [Double], tally: [Verdict.Status: Int]) {
            var timings: [Double] = []
            var tally: [Verdict.Status: Int] = [:]
            for run in 0..<7 {
                let start = DispatchTime.now().uptimeNanoseconds
                let verdicts = evaluate()
                let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000
                if run > 0 { timings.append(elapsed) }
                tally = Dictionary(grouping: verdicts, by: \.status).mapValues(\.count)
            }
            return (timings.sorted(), tally)
        }
        let single = measure { applications.map { engine.evaluate($0, blacklist: blacklist) } }
        let (timings, tally) = measure { engine.evaluateAll(applications, blacklist: blacklist) }
        let median = timings[timings.count / 2]
        print("资格评估基准：\(count) 份申报（\(templates.count) 个模板，覆盖 13 个方向），失信名单 \(blacklist.count) 条，\(ProcessInfo.processInfo.activeProcessorCount) 核")
        print(String(format: "  evaluateAll（全部核心）：最快 %.1f ms，中位数 %.1f ms，每份 %.2f µs（目标：< 50 ms）", timings[0], median, median * 1000 / Double(count)))
        print(String(format: "  单线程：中位数 %.1f ms（每份 %.2f µs）", single.timings[single.timings.count / 2], single.timings[single.timings.count / 2] * 1000 / Double(count)))
        print("  结论：符合 \(tally[.eligible] ?? 0)，不符合 \(tally[.ineligible] ?? 0)，信息不完整 \(tally[.incomplete] ?? 0)")
        print(median < 50 ? "  结果：达标" : "  结果：未达标")
    }
}
