import Fluent
import Foundation
import PolicyKit
import Testing
import Vapor
import VaporTesting
@testable import App

extension Vapor.Application {
    /// A staff account signed in through the sign-in form.
    func staff(_ role: Role, organisation: String?, login: String) async throws -> Browser {
        let user = User(role: role, organisation: organisation, login: login, mobile: nil, displayName: login,
                        passwordHash: try await password.async.hash(DemoCommand.password))
        try await user.create(on: db)
        var browser = Browser()
        let response = try await browser.post(self, "/login", ["login": login, "password": DemoCommand.password])
        #expect(response.status == .seeOther)
        return browser
    }

    /// A complete application of a demo enterprise, submitted through the pages; returns its path.
    func submittedApplication(enterprise index: Int = 0, direction: String = "rd-expense", example: String = "rd-expense.eligible.json") async throws -> (Browser, String) {
        var (browser, _) = try await demoEnterprise(index)
        let location = try await startApplication(&browser, direction: direction)
        let fields = formFields(try self.example(example), round: settings.rounds["shanxi-2023-demo"]!)
        #expect(try await browser.post(self, location, fields).status == .seeOther)
        let round = try #require(settings.rounds["shanxi-2023-demo"])
        let stored = try #require(try await StoredApplication.find(UUID(uuidString: String(location.split(separator: "/").last!)), on: db))
        let spec = try #require(round.directionSpec(stored.direction, subDirection: stored.subDirection))
        for item in round.attachments(for: spec) where item.source == .upload && item.isRequired {
            #expect(try await browser.upload(self, location, item: item.id, fileName: "\(item.id).pdf", data: Fixtures.pdf(pages: 1)).status == .seeOther)
        }
        #expect(try await browser.post(self, location + "/submit", [:]).status == .seeOther)
        return (browser, location)
    }
}
