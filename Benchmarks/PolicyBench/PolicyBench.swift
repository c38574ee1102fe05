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
                // A year's 产值 covers its months, or the application is sent back for correction.
                for field in ["output2021", "output2022"] where application.content[field] != nil {
                    application.content[field] = .number(amount(8_000_000...20_000_000))
                }
            }
            if index % 7 == 0 { application.commitmentAccepted = nil }
            return application
        }

        let engine = EligibilityEngine(round: round)
        let blacklist = CreditBlacklist(entries: (0..<1000).map { .init(creditCode: CreditCode.withCheckCharacter("91140100" + CreditCode.organisationCode(body: String(format: "MA%06d", $0))), source: "失信名单") })

        /// Median and fastest of six timed runs after one warm-up.
        func measure<Result>(_ body: () -> [Result]) -> (median: Double, fastest: Double, results: [Result]) {
            var timings: [Double] = []
            var results: [Result] = []
            for run in 0..<7 {
                let start = DispatchTime.now().uptimeNanoseconds
                results = body()
                let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000
                if run > 0 { timings.append(elapsed) }
            }
            timings.sort()
            return (timings[timings.count / 2], timings[0], results)
        }
        func line(_ label: String, _ timing: (median: Double, fastest: Double)) -> String {
            String(format: "  %@：中位数 %7.1f ms，最快 %7.1f ms，每份 %5.2f µs", label, timing.median, timing.fastest, timing.median * 1000 / Double(count))
        }

        let decided = measure { engine.assessAll(applications, blacklist: blacklist) }
        let decidedSingle = measure { applications.map { engine.assess($0, blacklist: blacklist) } }
        let rendered = measure { engine.evaluateAll(applications, blacklist: blacklist) }
        let renderedSingle = measure { applications.map { engine.evaluate($0, blacklist: blacklist) } }
        let tally = Dictionary(grouping: decided.results, by: \.status).mapValues(\.count)
        let renderedTally = Dictionary(grouping: rendered.results, by: \.status).mapValues(\.count)
        precondition(tally == renderedTally, "判定与说明的结论不一致")

        print("资格评估基准（release）：\(count) 份生成的申报（\(templates.count) 个模板，覆盖 13 个方向），失信名单 \(blacklist.count) 条，\(ProcessInfo.processInfo.activeProcessorCount) 核")
        print(line("判定（assessAll，全部核心）        ", (decided.median, decided.fastest)))
        print(line("判定（assess，单线程）             ", (decidedSingle.median, decidedSingle.fastest)))
        print(line("判定+中文说明（evaluateAll，全部核心）", (rendered.median, rendered.fastest)))
        print(line("判定+中文说明（evaluate，单线程）    ", (renderedSingle.median, renderedSingle.fastest)))
        print("  结论：符合 \(tally[.eligible] ?? 0)，不符合 \(tally[.ineligible] ?? 0)，信息不完整 \(tally[.incomplete] ?? 0)")
        print(decided.median < 50 ? "  目标（判定 10,000 份 < 50 ms）：达标" : "  目标（判定 10,000 份 < 50 ms）：未达标")

        // What-if: the same 10,000 under next year's sample round, as `jigai simulate` and the admin's page run it
        // (both rounds assessed, every application carried over to the draft's years).
        let draftFile = root.appendingPathComponent("Tests/Rounds/shanxi-2024.json")
        let draft = try RoundLoader.load(Data(contentsOf: draftFile), file: draftFile.lastPathComponent) { _ in throw CocoaError(.fileNoSuchFile) }
        let simulated = measure { RoundSimulation.run(applications, current: round, draft: draft) }
        let total = simulated.results.last!
        print(line("假设分析（RoundSimulation.run，两个批次）", (simulated.median, simulated.fastest)))
        print("  现符合条件 \(total.eligibleNow) 份，按 2024 样例批次符合 \(total.eligibleDraft) 份")
        print(simulated.median < 2000 ? "  目标（假设分析 10,000 份 < 2 s）：达标" : "  目标（假设分析 10,000 份 < 2 s）：未达标")
    }
}
