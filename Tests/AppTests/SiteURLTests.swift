import Foundation
import Testing
import Vapor
import VaporTesting
@testable import App

@Suite("路径：注册、跳转和模板中的链接一致")
struct SiteURLTests {
    @Test("模板中的每个链接和表单地址都对应一个已注册的路由")
    func templateLinksResolve() async throws {
        try await withTestApp { app in
            let patterns = app.routes.all.map { route in route.path.map { component -> String? in
                if case .constant(let text) = component { return text }
                return nil
            } }
            let views = URL(fileURLWithPath: PackageRoot.path + "Resources/Views")
            let files = try #require(FileManager.default.enumerator(atPath: views.path)).compactMap { $0 as? String }.filter { $0.hasSuffix(".leaf") }
            var checked = 0
            for file in files {
                let text = try String(contentsOf: views.appendingPathComponent(file), encoding: .utf8)
                let links = try Regex(#"(?:href|action)="(/[^"]*)""#)
                for match in text.matches(of: links) {
                    guard let link = match.output[1].substring.map(String.init) else { continue }
                    // The query and a fragment go; `#(` opens a Leaf expression, not a fragment.
                    let path = String(link.split(separator: "?", maxSplits: 1).first ?? "").replacing(try Regex(#"#(?!\().*$"#), with: "")
                    if path.hasPrefix("/css/") || path.hasPrefix("/js/") { continue }
                    // A Leaf expression stands for one segment (an id, an item).
                    let segments = path.split(separator: "/").map { $0.contains("#(") ? nil : String($0) }
                    let resolves = patterns.contains { pattern in
                        pattern.count == segments.count && zip(pattern, segments).allSatisfy { fixed, segment in fixed == nil || fixed == segment }
                    }
                    #expect(resolves, "\(file) 中的 \(link) 没有对应的路由")
                    checked += 1
                }
            }
            #expect(checked > 60)
        }
    }

    @Test("路由模式与具体路径")
    func paths() {
        let id = UUID()
        #expect(SiteURL.application(nil).path == "/enterprise/applications/:id")
        #expect(SiteURL.application(id).path(done: "saved", fragment: "check") == "/enterprise/applications/\(id.uuidString)?done=saved#check")
        #expect(SiteURL.reviewWithdrawalGrant(id).path == "/review/applications/\(id.uuidString)/withdrawal/grant")
        #expect(SiteURL.reportPDF(.review, id, job: id).path == "/review/applications/\(id.uuidString)/report/\(id.uuidString)/pdf")
        #expect(SiteURL.applicationUpload(nil, item: nil).pathComponents.map(\.description) == ["enterprise", "applications", ":id", "attachments", "upload", ":item"])
    }
}
