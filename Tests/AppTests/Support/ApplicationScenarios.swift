import Fluent
import Foundation
import PolicyKit
import Testing
import Vapor
import VaporTesting
@testable import App

/// The generated form's field names and values for an application, as a browser would post them.
func formFields(_ application: PolicyKit.Application, round: Round) -> [String: String] {
    var fields: [String: String] = [:]
    fields["projectName"] = application.projectName
    for (key, value) in application.overview.texts { fields["overview.texts.\(key)"] = value }
    for (period, items) in application.overview.finances {
        for (item, value) in items { fields["overview.finances.\(period).\(item)"] = value.description }
    }
    for (index, other) in application.overview.otherFinances.enumerated() {
        fields["overview.otherFinances[\(index)].label"] = other.label
        for (period, value) in other.values { fields["overview.otherFinances[\(index)].\(period)"] = value.description }
    }
    for (key, value) in application.content {
        if let rows = value.rows {
            for (index, row) in rows.enumerated() {
                for (column, cell) in row { fields["content.\(key)[\(index)].\(column)"] = ApplicationFormBuilder.text(cell) }
            }
        } else {
            fields["content.\(key)"] = ApplicationFormBuilder.text(value)
        }
    }
    for (key, value) in application.performanceTargets.funding { fields["performanceTargets.funding.\(key)"] = value.description }
    fields["performanceTargets.goals"] = application.performanceTargets.goals.joined(separator: "\n")
    for (index, indicator) in application.performanceTargets.indicators.enumerated() {
        let prefix = "performanceTargets.indicators[\(index)]"
        fields[prefix + ".level1"] = indicator.level1
        fields[prefix + ".level2"] = indicator.level2
        fields[prefix + ".name"] = indicator.name
        fields[prefix + ".value"] = indicator.value
    }
    if application.commitmentAccepted == true { fields["commitmentAccepted"] = "true" }
    return fields
}

extension Vapor.Application {
    /// The demo round open, the demo enterprises created, one signed in.
    func demoEnterprise(_ index: Int = 0) async throws -> (Browser, DemoCommand.DemoEnterprise) {
        let demo = DemoCommand.enterprises[index]
        try await DemoCommand.ensure(demo, passwordHash: try await password.async.hash(DemoCommand.password), on: db)
        if try await RoundRecord.query(on: db).count() == 0 { _ = try await openRound("shanxi-2023-demo") }
        var browser = Browser()
        let response = try await browser.post(self, "/login", ["login": demo.creditCode, "password": DemoCommand.password])
        #expect(response.status == .seeOther)
        return (browser, demo)
    }

    func example(_ name: String) throws -> PolicyKit.Application {
        let round = try #require(settings.rounds["shanxi-2023-demo"])
        let data = try Data(contentsOf: URL(fileURLWithPath: PackageRoot.path + "Examples/applications/" + name))
        return try ApplicationReader.read(data, round: round)
    }

    func startApplication(_ browser: inout Browser, direction: String) async throws -> String {
        let created = try await browser.post(self, "/enterprise/applications", ["direction": direction])
        #expect(created.status == .seeOther)
        let location = try #require(created.headers.first(name: .location))
        #expect(location.hasPrefix("/enterprise/applications/"))
        return location
    }
}
