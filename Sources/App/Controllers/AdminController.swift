import Fluent
import Foundation
import PolicyKit
import Vapor

/// The provincial admin's round settings: the deadline may be extended, with a reason, never shortened.
struct AdminController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let admin = routes.grouped("admin").grouped(RoleGuard(roles: [.admin]))
        admin.get("round", use: roundPage)
        admin.post("round", "deadline", use: extendDeadline)
    }

    struct RoundPage: Encodable {
        var chrome: Chrome
        var noticeNumber: String
        var deadline: String
        var newDeadline: String
        var reason: String
        var notice: String?
        var errors: [String: String]
    }

    func render(_ req: Request, newDeadline: String = "", reason: String = "", notice: String? = nil, errors: [String: String] = [:]) async throws -> View {
        let (record, round) = try await req.openRound()
        let page = RoundPage(
            chrome: req.chrome("申报批次", breadcrumbs: [("申报批次", nil)], organisation: req.organisationName),
            noticeNumber: round.noticeNumber, deadline: DateText.minute(record.deadline, timeZone: round.timeZone),
            newDeadline: newDeadline, reason: reason, notice: notice, errors: errors)
        return try await req.view.render("admin/round", page)
    }

    func roundPage(req: Request) async throws -> View {
        try await render(req, notice: req.query[String.self, at: "done"] == "extended" ? "截止时间已延长。" : nil)
    }

    struct Extension: Content {
        var deadline: String?
        var reason: String?
    }

    func extendDeadline(req: Request) async throws -> Response {
        let form = try req.content.decode(Extension.self)
        let (record, round) = try await req.openRound()
        let text = (form.deadline ?? "").trimmingCharacters(in: .whitespaces)
        let reason = (form.reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        var errors: [String: String] = [:]
        let deadline = DeadlineRules.parse(text, timeZone: round.timeZone)
        if let problem = DeadlineRules.extensionProblem(current: record.deadline, proposed: deadline, timeZone: round.timeZone) {
            errors["deadline"] = problem
        }
        if reason.isEmpty { errors["reason"] = "请填写延期原因" }
        guard errors.isEmpty, let deadline else {
            return try await render(req, newDeadline: text, reason: reason, errors: errors).encodeResponse(status: .unprocessableEntity, for: req)
        }
        let before = DateText.minute(record.deadline, timeZone: round.timeZone)
        record.deadline = deadline
        try await record.save(on: req.db)
        try await req.audit(.deadlineExtended, objectType: "申报批次", objectID: round.id, before: before,
                            after: "\(DateText.minute(deadline, timeZone: round.timeZone))；原因：\(reason.prefix(500))")
        return req.redirect(to: "/admin/round?done=extended", redirectType: .normal)
    }
}
