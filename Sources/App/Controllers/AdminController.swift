import Fluent
import Foundation
import PolicyKit
import Vapor

/// The provincial admin's round settings: the deadline may be extended, with a reason, never shortened.
struct AdminController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let admin = routes.grouped(RoleGuard(roles: [.admin]))
        admin.get(SiteURL.adminRound, use: roundPage)
        admin.post(SiteURL.adminDeadline, use: extendDeadline)
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
        let form = try req.decodeBody(Extension.self)
        do {
            try await Administration(environment: try req.services()).extendDeadline(form.deadline ?? "", reason: form.reason ?? "")
        } catch WorkflowError.invalid(_, let errors) {
            return try await render(req, newDeadline: (form.deadline ?? "").trimmingCharacters(in: .whitespaces),
                                    reason: (form.reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines), errors: errors)
                .encodeResponse(status: .unprocessableEntity, for: req)
        }
        return req.redirect(to: SiteURL.adminRound, done: "extended")
    }
}
