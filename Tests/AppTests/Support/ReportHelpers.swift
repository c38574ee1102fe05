import Fluent
import Foundation
import Spawn
import Testing
import Vapor
import VaporTesting
@testable import App

extension Browser {
    /// Asks for the report, follows the status page while it reloads itself, and returns its path and final page.
    mutating func buildReport(_ app: Vapor.Application, _ start: String) async throws -> (path: String, page: String) {
        let started = try await post(app, start, [:])
        #expect(started.status == .seeOther)
        let path = try #require(started.headers.first(name: .location))
        for _ in 0..<300 {
            let page = try await get(app, path)
            #expect(page.status == .ok)
            let body = page.body.string
            guard body.contains("<meta http-equiv=\"refresh\" content=\"2\">") else { return (path, body) }
            #expect(body.contains("正在生成申请报告"))
            try await Task.sleep(for: .milliseconds(200))
        }
        Issue.record("申请报告在 60 秒内没有生成")
        return (path, "")
    }
}

enum PDFText {
    /// The text of a PDF as pdftotext reads it, without whitespace.
    static func of(_ data: Data) throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("jigai-report-\(UUID().uuidString).pdf")
        try data.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let text = try ChildProcess.runSynchronously("/usr/bin/pdftotext", ["-enc", "UTF-8", file.path, "-"]).output
        return String(String(decoding: text, as: UTF8.self).unicodeScalars.filter { !CharacterSet.whitespacesAndNewlines.contains($0) }.map(Character.init))
    }
}
