import Foundation
import Testing
@testable import PolicyKit

/// Each file in Examples/applications/ is named `<direction>[-<case>].<verdict>.json` and must give that verdict.
@Suite("示例申报与文件名所标结论一致")
struct ExampleTests {
    static let files: [String] = (try? FileManager.default.contentsOfDirectory(atPath: Package.examples.path))?
        .filter { $0.hasSuffix(".json") }.sorted() ?? []

    @Test("示例覆盖全部 13 个方向")
    func coverage() throws {
        #expect(Self.files.count >= 13)
        let directions = Set(try Self.files.filter { !$0.contains(".invalid.") }.map { try Package.example($0).direction })
        #expect(directions == Set(Package.round.allDirections.map(\.direction.id)))
        for verdict in ["eligible", "ineligible", "incomplete", "invalid"] {
            #expect(Self.files.contains { $0.hasSuffix(".\(verdict).json") }, "缺少 \(verdict) 示例")
        }
    }

    @Test("结论与文件名一致", arguments: files)
    func verdictMatchesName(file: String) throws {
        let expected = file.split(separator: ".").dropLast().last.map(String.init)
        let data = try Package.exampleData(file)
        if expected == "invalid" {
            #expect(throws: InputProblems.self) { try ApplicationReader.read(data, round: Package.round) }
            return
        }
        let application = try ApplicationReader.read(data, round: Package.round)
        #expect(file.hasPrefix(application.direction))
        let verdict = Package.evaluate(application)
        #expect(verdict.status.rawValue == expected, "\(file): \(verdict.summary)")
    }
}
