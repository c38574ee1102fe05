import Fluent
import Foundation
import PolicyKit
import RoutingKit
import Testing
import Vapor
import VaporTesting
@testable import App

/// Every route that takes an id, called by every kind of caller with objects outside its scope.
@Suite("授权矩阵：越权访问一律拒绝", .serialized)
struct AuthorizationMatrixTests {
    @Test("每个带编号的路由 × 每个角色 × 范围外的对象 → 401/403/404；列表不出现范围外的行；数据未被改动")
    func matrix() async throws {
        try await withTestApp { app in
            // The objects: enterprise A (太原) has a draft, a submitted application with a file, and a forwarded one in a batch.
            let (_, submitted) = try await app.submittedApplication(enterprise: 0)
            let (_, forwardedPath) = try await app.submittedApplication(enterprise: 0, direction: "revenue-increase", example: "revenue-increase.eligible.json")
            var (owner, _) = try await app.demoEnterprise(0)
            let draft = try await app.startApplication(&owner, direction: "whitelist")
            var city = try await app.staff(.cityReviewer, organisation: "140100", login: "taiyuan")
            let forwardedID = String(forwardedPath.split(separator: "/").last!)
            try await city.post(app, "/review/applications/\(forwardedID)/inspection", ["compliant": "true", "description": "一致", "leader": "组长", "inspectedOn": "2023-10-20"])
            try await city.post(app, "/review/applications/\(forwardedID)/approve", [:])
            let batch = try await city.post(app, "/review/forwarding", ["application.\(forwardedID)": "on", "opinion": "同意"])
            let batchID = String(try #require(batch.headers.first(name: .location)).split(separator: "/").last!)
            let ids = [draft, submitted, forwardedPath].map { String($0.split(separator: "/").last!) }
            let file = try #require(try await StoredAttachment.query(on: app.db).first())
            let fileID = try file.requireID().uuidString
            let ownerUserID = try #require(try await User.query(on: app.db).filter(\.$role == .enterprise).first()).requireID().uuidString
            let before = try await StoredApplication.query(on: app.db).all().map { "\($0.id!):\($0.status.rawValue):\($0.document.count)" }.sorted()
            let filesBefore = try await StoredAttachment.query(on: app.db).filter(\.$removedAt == nil).count()

            // The callers: another enterprise, another city, a division the applications are not routed to, nobody.
            var (otherEnterprise, _) = try await app.demoEnterprise(1)
            let otherCity = try await app.staff(.cityReviewer, organisation: "140200", login: "datong")
            // 营收增量（钢铁）is routed to 原材料处 and 研发费用 to 创新处; 运行处 has neither.
            let otherDivision = try await app.staff(.divisionReviewer, organisation: "operations", login: "yunxing")
            var anonymous = Browser()
            try await anonymous.get(app, "/login")
            // The security and audit administrators see no application; each reaches only its own duty's pages.
            let security = try await app.staff(.securityAdmin, organisation: nil, login: "anquan")
            let auditor = try await app.staff(.auditAdmin, organisation: nil, login: "shenji")
            let callers: [(String, Browser)] = [("其他企业", otherEnterprise), ("其他审核单位", otherCity), ("其他处室", otherDivision), ("未登录", anonymous),
                                                ("安全管理员", security), ("审计管理员", auditor)]
            let ownDuty = ["安全管理员": "/admin/security", "审计管理员": "/admin/audit"]
            _ = try await otherEnterprise.get(app, "/enterprise")

            let usersBefore = try await User.query(on: app.db).all().map { "\($0.id!):\($0.passwordHash):\($0.disabledAt == nil)" }.sorted()
            // Every route with an id, and every admin route (no caller is the provincial admin).
            let routes = app.routes.all.filter { route in
                route.path.first == .constant("admin") || route.path.contains { if case .parameter = $0 { true } else { false } }
            }
            #expect(routes.count >= 20)
            var probes = 0
            var allowed: [String] = []
            for (label, caller) in callers {
                for route in routes {
                    for id in ids {
                        let path = "/" + route.path.map { component -> String in
                            switch component {
                            case .parameter("id"): id
                            case .parameter("attachment"): fileID
                            case .parameter("forwarding"): batchID
                            case .parameter("user"): ownerUserID
                            case .parameter: "tax-return"
                            default: component.description
                            }
                        }.joined(separator: "/")
                        if let own = ownDuty[label], path.hasPrefix(own) { continue }
                        var browser = caller
                        var headers = browser.cookieHeader
                        headers.replaceOrAdd(name: SecurityConfiguration.csrfHeader, value: try await browser.token(app))
                        let body: ByteBuffer?
                        if path.contains("/upload/") {
                            let (multipart, data) = Fixtures.multipart(fileName: "probe.pdf", data: Fixtures.pdf(pages: 1))
                            headers.add(contentsOf: multipart)
                            body = data
                        } else if route.method != .GET {
                            headers.contentType = .json
                            body = ByteBuffer(string: #"{"comment":"越权","decision":"proposedReward","opinion":"越权","reason":"越权","direction":"rd-expense","round":"shanxi-2023"}"#)
                        } else {
                            body = nil
                        }
                        var status: HTTPResponseStatus = .ok
                        var location = ""
                        try await app.testing().test(route.method, path, headers: headers, body: body) { response in
                            status = response.status
                            location = response.headers.first(name: .location) ?? ""
                        }
                        probes += 1
                        browser.cookies = caller.cookies
                        let refused = [.unauthorized, .forbidden, .notFound].contains(status) || (status == .seeOther && location.hasPrefix("/login"))
                        if !refused { allowed.append("\(label) \(route.method.rawValue) \(path) → \(status.code)") }
                    }
                }
                // Lists and searches never show another's rows.
                var browser = caller
                for list in ["/enterprise", "/review", "/review?keyword=%E5%A4%AA%E5%8E%9F", "/review/forwarding", "/api/applications"] {
                    let response = try await browser.get(app, list)
                    probes += 1
                    for id in ids where response.body.string.contains(id) {
                        allowed.append("\(label) GET \(list) 列出了范围外的申报 \(id)")
                    }
                }
            }
            print("授权矩阵：\(routes.count) 个带编号的路由 × \(callers.count) 类调用者 × \(ids.count) 份申报，共 \(probes) 次探测")
            #expect(allowed.isEmpty, "\(allowed.joined(separator: "\n"))")
            let after = try await StoredApplication.query(on: app.db).all().map { "\($0.id!):\($0.status.rawValue):\($0.document.count)" }.sorted()
            #expect(after == before)
            #expect(try await StoredAttachment.query(on: app.db).filter(\.$removedAt == nil).count() == filesBefore)
            #expect(try await User.query(on: app.db).all().map { "\($0.id!):\($0.passwordHash):\($0.disabledAt == nil)" }.sorted() == usersBefore)
        }
    }
}
