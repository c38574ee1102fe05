import Fluent
import Foundation
import PolicyKit
import SQLKit
import Vapor

/// The JSON API (docs/openapi.yaml): the enterprise's operations with the application shape of `jigai check`.
/// Authentication is the session cookie from `POST /api/session`; every other state-changing request carries
/// the CSRF token in `X-CSRF-Token`.
struct APIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let api = routes.grouped("api")
        api.get("csrf", use: csrf)
        api.post("session", use: signIn)
        api.delete("session", use: signOut)
        api.get("round", use: round)
        let enterprise = api.grouped(RoleGuard(roles: [.enterprise]))
        enterprise.get("me", use: me)
        enterprise.get("applications", use: list)
        enterprise.post("applications", use: create)
        enterprise.get("applications", ":id", use: show)
        enterprise.put("applications", ":id", use: update)
        enterprise.post("applications", ":id", "submit", use: submit)
        enterprise.post("applications", ":id", "withdraw", use: withdraw)
        enterprise.on(.POST, "applications", ":id", "attachments", "upload", ":item", body: .stream, use: upload)
        enterprise.get("applications", ":id", "attachments", ":attachment", use: download)
        enterprise.delete("applications", ":id", "attachments", ":attachment", use: removeAttachment)
    }

    struct CSRFToken: Content {
        var csrfToken: String
    }

    func csrf(req: Request) async throws -> CSRFToken {
        CSRFToken(csrfToken: req.csrfToken)
    }

    struct SignIn: Content {
        var login: String
        var password: String
    }

    struct SessionInfo: Content {
        var name: String
        var role: Role
        var csrfToken: String
    }

    func signIn(req: Request) async throws -> Response {
        let form = try req.content.decode(SignIn.self)
        do {
            let user = try await AccountController.authenticate(req, login: form.login.trimmingCharacters(in: .whitespaces), password: form.password)
            let response = Response(status: .ok)
            let csrf = try await req.startSession(for: user, on: response)
            try response.content.encode(SessionInfo(name: user.displayName, role: user.role, csrfToken: csrf))
            return response
        } catch let failure as AccountController.SignInFailure {
            throw Abort(failure.status, reason: failure.message)
        }
    }

    func signOut(req: Request) async throws -> Response {
        let response = Response(status: .noContent)
        try await req.endSession(on: response)
        return response
    }

    struct RoundInfo: Content {
        var id: String
        var noticeNumber: String
        var title: String
        var deadline: Date
        var isOpen: Bool
        var round: Round
    }

    func round(req: Request) async throws -> RoundInfo {
        let (record, round) = try await req.openRound()
        return RoundInfo(id: round.id, noticeNumber: round.noticeNumber, title: round.title, deadline: record.deadline, isOpen: Date() <= record.deadline, round: round)
    }

    struct Me: Content {
        var name: String
        var role: Role
        var enterprise: EnterpriseProfile
        var contact: Contact
    }

    func me(req: Request) async throws -> Me {
        let current = try req.auth.require(CurrentUser.self)
        let enterprise = try await req.currentEnterprise()
        return Me(name: current.user.displayName, role: current.role, enterprise: enterprise.profile,
                  contact: Contact(name: enterprise.contactName, mobile: enterprise.mobile))
    }

    struct ListItem: Content {
        var id: UUID
        var round: String
        var direction: String
        var subDirection: String?
        var projectName: String?
        var status: ApplicationStatus
        var verdict: Verdict.Status?
        var updatedAt: Date?
    }

    func list(req: Request) async throws -> [ListItem] {
        let enterprise = try await req.currentEnterprise()
        guard let sql = req.db as? any SQLDatabase else { throw Abort(.internalServerError) }
        return try await ApplicationListQuery.forEnterprise(try enterprise.requireID(), on: sql).map { row in
            ListItem(id: row.id, round: row.round_code, direction: row.direction, subDirection: row.sub_direction, projectName: row.project_name,
                     status: ApplicationStatus(rawValue: row.status) ?? .draft, verdict: row.verdict.flatMap(Verdict.Status.init), updatedAt: row.updated_at)
        }
    }

    struct Resource: Content {
        struct Event: Content {
            var at: Date?
            var from: ApplicationStatus?
            var to: ApplicationStatus
            var actor: String
            var comment: String?
        }

        struct File: Content {
            var id: UUID
            var item: String
            var name: String
            var kind: UploadedFileKind
            var size: Int64
            var pages: Int?
        }

        var id: UUID
        var status: ApplicationStatus
        var statusLabel: String
        var application: PolicyKit.Application
        var verdict: Verdict
        var submissionProblems: [String]
        var files: [File]
        var timeline: [Event]
    }

    func resource(_ req: Request, _ context: ApplicationContext) async throws -> Resource {
        let id = try context.stored.requireID()
        let events = try await ApplicationEvent.history(of: id, on: req.db)
        let files = try await StoredAttachment.current(of: id, on: req.db)
        return Resource(
            id: id, status: context.stored.status, statusLabel: context.stored.status.label, application: context.application, verdict: context.verdict,
            submissionProblems: context.stored.status.isEditableByEnterprise
                ? SubmissionRules.problems(status: context.stored.status, verdict: context.verdict, deadline: context.deadline, now: Date(), timeZone: context.round.timeZone) : [],
            files: try files.map { Resource.File(id: try $0.requireID(), item: $0.item, name: $0.originalName, kind: $0.kind, size: $0.size, pages: $0.pageCount) },
            timeline: events.map { Resource.Event(at: $0.createdAt, from: $0.fromStatus, to: $0.toStatus, actor: $0.actor.displayName, comment: $0.comment) })
    }

    struct NewApplication: Content {
        var direction: String
        var subDirection: String?
    }

    func create(req: Request) async throws -> Response {
        let input = try req.content.decode(NewApplication.self)
        let stored = try await ApplicationService(req: req).create(directionID: input.direction, subDirectionID: input.subDirection)
        req.parameters.set("id", to: try stored.requireID().uuidString)
        let resource = try await resource(req, try await ApplicationContext.load(req))
        return try await resource.encodeResponse(status: .created, for: req)
    }

    func show(req: Request) async throws -> Resource {
        try await resource(req, try await ApplicationContext.load(req))
    }

    struct Invalid: Content {
        var status = "invalid"
        var problems: [InputProblem]
    }

    /// Replaces the draft with the body, an application in the `jigai check` format; all problems are reported at once.
    func update(req: Request) async throws -> Response {
        let context = try await ApplicationContext.load(req)
        let application: PolicyKit.Application
        do {
            application = try ApplicationReader.read(req.body.data.map { Data($0.readableBytesView) } ?? Data(), round: context.round)
        } catch {
            return try await Invalid(problems: error.problems).encodeResponse(status: .unprocessableEntity, for: req)
        }
        guard application.direction == context.stored.direction, application.subDirection == context.stored.subDirection else {
            let problem = InputProblem(path: "direction", message: "不能更改已发起申报的方向；如需申报其他方向，请另行发起申报")
            return try await Invalid(problems: [problem]).encodeResponse(status: .unprocessableEntity, for: req)
        }
        try await ApplicationService(req: req).save(context, application)
        return try await resource(req, try await ApplicationContext.load(req)).encodeResponse(for: req)
    }

    struct SubmissionRefused: Content {
        var error = true
        var reason: String
        var problems: [String]
    }

    func submit(req: Request) async throws -> Response {
        let context = try await ApplicationContext.load(req)
        let problems = try await ApplicationService(req: req).submit(context)
        guard problems.isEmpty else {
            return try await SubmissionRefused(reason: "暂不能提交", problems: problems).encodeResponse(status: .unprocessableEntity, for: req)
        }
        return try await resource(req, try await ApplicationContext.load(req)).encodeResponse(for: req)
    }

    struct Withdrawal: Content {
        var reason: String?
    }

    func withdraw(req: Request) async throws -> Resource {
        let context = try await ApplicationContext.load(req)
        try await ApplicationService(req: req).withdraw(context, reason: (try? req.content.decode(Withdrawal.self))?.reason)
        return try await resource(req, try await ApplicationContext.load(req))
    }

    func upload(req: Request) async throws -> Response {
        let context = try await ApplicationContext.load(req)
        try await AttachmentController().receiveUpload(req, context: context)
        return try await resource(req, try await ApplicationContext.load(req)).encodeResponse(status: .created, for: req)
    }

    func download(req: Request) async throws -> Response {
        try await AttachmentController().download(req: req)
    }

    func removeAttachment(req: Request) async throws -> Response {
        _ = try await AttachmentController().remove(req: req)
        return Response(status: .noContent)
    }
}
