import Fluent
import Foundation
import PolicyKit
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import App

extension Vapor.Application {
    /// A complete draft with every required upload, ready to submit; returns the enterprise's browser and the path.
    func readyApplication(enterprise index: Int = 0) async throws -> (Browser, String) {
        var (browser, _) = try await demoEnterprise(index)
        let location = try await startApplication(&browser, direction: "rd-expense")
        let round = try #require(settings.rounds["shanxi-2023-demo"])
        #expect(try await browser.post(self, location, formFields(try example("rd-expense.eligible.json"), round: round)).status == .seeOther)
        let stored = try #require(try await StoredApplication.find(UUID(uuidString: String(location.split(separator: "/").last!)), on: db))
        let spec = try #require(round.directionSpec(stored.direction, subDirection: stored.subDirection))
        for item in round.attachments(for: spec) where item.source == .upload && item.isRequired {
            #expect(try await browser.upload(self, location, item: item.id, fileName: "\(item.id).pdf", data: Fixtures.pdf(pages: 1)).status == .seeOther)
        }
        return (browser, location)
    }

    /// What a change must leave as it was when it fails: status, revision and the rows written with changes.
    func footprint(_ location: String) async throws -> [String] {
        let id = try #require(UUID(uuidString: String(location.split(separator: "/").last!)))
        let stored = try #require(try await StoredApplication.find(id, on: db))
        return [
            stored.status.rawValue, String(stored.revision),
            String(try await ApplicationEvent.query(on: db).filter(\.$application.$id == id).count()),
            String(try await ApplicationVersion.query(on: db).filter(\.$application.$id == id).count()),
            String(try await SiteInspection.query(on: db).filter(\.$application.$id == id).count()),
            String(try await InspectionPhoto.query(on: db).filter(\.$application.$id == id).count()),
            String(try await AuditEvent.query(on: db).count()),
        ]
    }

    /// Makes every audit append fail (the table is away) while `body` runs.
    func withoutAuditTable(_ body: () async throws -> Void) async throws {
        let sql = try #require(db as? any SQLDatabase)
        try await sql.raw("ALTER TABLE audit_events RENAME TO audit_events_away").run()
        do {
            try await body()
        } catch {
            try await sql.raw("ALTER TABLE audit_events_away RENAME TO audit_events").run()
            throw error
        }
        try await sql.raw("ALTER TABLE audit_events_away RENAME TO audit_events").run()
    }
}

extension TestingHTTPResponse {
    /// The value of the page's hidden `name` field.
    func hidden(_ name: String) -> String? {
        let html = body.string
        guard let range = html.range(of: "name=\"\(name)\" value=\"") else { return nil }
        return String(html[range.upperBound...].prefix { $0 != "\"" })
    }
}
