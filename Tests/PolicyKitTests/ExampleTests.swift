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

@Suite("文档与目录一致")
struct FormatDocumentTests {
    @Test("docs/application-format.md 写明每个方向、细分方向、字段和附件")
    func documentCoversCatalogue() throws {
        let document = try String(contentsOf: Package.root.appendingPathComponent("docs/application-format.md"), encoding: .utf8)
        let round = Package.round
        for (_, direction) in round.allDirections {
            #expect(document.contains("### `\(direction.id)` — \(direction.name)"), "\(direction.id)")
            let subs = direction.subDirections ?? []
            for sub in subs {
                #expect(document.contains("`\(sub.id)`（\(sub.name)）"))
            }
            let fields = (direction.fields ?? []) + subs.flatMap(\.fields)
            for field in fields {
                #expect(document.contains("`\(field.id)` | \(field.label)"), "\(direction.id).\(field.id)")
                for column in field.columns ?? [] {
                    #expect(document.contains("`\(field.id)[].\(column.id)` | \(column.label)"), "\(direction.id).\(field.id).\(column.id)")
                }
            }
            for attachment in (direction.attachments ?? []) + subs.flatMap(\.attachments) {
                #expect(document.contains("`\(attachment.id)` \(attachment.title)"), "\(attachment.id)")
            }
        }
        for attachment in round.generalAttachments where attachment.source == .upload {
            #expect(document.contains("`\(attachment.id)` \(attachment.title)"))
        }
    }
}

@Suite("判定与中文说明一致")
struct AssessmentTests {
    @Test("assess 与 evaluate 的结论相同，批量并行与逐份相同")
    func assessmentMatchesVerdict() throws {
        let engine = EligibilityEngine(round: Package.round)
        let applications = try ExampleTests.files.filter { !$0.contains(".invalid.") }.map(Package.example)
        let many = Array(repeating: applications, count: 40).flatMap { $0 }
        let verdicts = engine.evaluateAll(many)
        let assessments = engine.assessAll(many)
        #expect(verdicts.count == many.count)
        for (index, application) in many.enumerated() {
            let single = engine.evaluate(application)
            #expect(verdicts[index] == single)
            #expect(assessments[index].status == single.status)
            #expect(assessments[index].missing == single.missing)
        }
    }
}
