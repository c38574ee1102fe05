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
        enterprise.post("applications", ":id", "withdrawal-request", use: requestWithdrawal)
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
        /// The authenticator's code, for an account with two-factor sign-in.
        var code: String?

        init(login: String, password: String, code: String? = nil) {
            self.login = login
            self.password = password
            self.code = code
        }
    }

    struct SessionInfo: Content {
        var name: String
        var role: Role
        var csrfToken: String
    }

    func signIn(req: Request) async throws -> Response {
        let form = try req.decodeBody(SignIn.self)
        do {
            let user = try await AccountController.authenticate(req, login: form.login.trimmingCharacters(in: .whitespaces), password: form.password)
            var step = AccountController.nextStep(for: user, secondFactorPassed: false, req: req)
            if step == .secondFactor {
                guard let code = form.code else { throw Abort(.unauthorized, reason: "该账号已启用双因素认证，请同时提交动态口令（code）") }
                switch try await req.secondFactors.check(user, code: code) {
                case .locked(let until):
                    throw Abort(.tooManyRequests, reason: "动态口令错误次数过多，请于 \(DateText.minute(until, timeZone: "Asia/Shanghai")) 后再试。")
                case .refused:
                    throw Abort(.unauthorized, reason: "动态口令不正确或已使用过")
                case .accepted, .acceptedRecoveryCode:
                    step = AccountController.nextStep(for: user, secondFactorPassed: true, req: req)
                }
            }
            // Enrolment and a required password change are done on the pages, where the QR code and the rules are shown.
            if let step { throw Abort(.forbidden, reason: step.explanation + "（请在网页上完成）") }
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
        /// The revision to send back in If-Match (also the ETag header) when replacing the document.
        var revision: Int
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
        let facts = try await context.facts(now: Date(), for: .submit, on: req.db)
        return Resource(
            id: id, revision: context.stored.revision, status: context.stored.status, statusLabel: context.stored.status.label,
            application: context.application, verdict: context.verdict,
            submissionProblems: context.stored.status.isEditableByEnterprise ? Workflow.submissionProblems(status: context.stored.status, facts: facts) : [],
            files: try files.map { Resource.File(id: try $0.requireID(), item: $0.item, name: $0.originalName, kind: $0.kind, size: $0.size, pages: $0.pageCount) },
            timeline: events.map { Resource.Event(at: $0.createdAt, from: $0.fromStatus, to: $0.toStatus, actor: $0.actor.displayName, comment: $0.comment) })
    }

    struct NewApplication: Content {
        var direction: String
        var subDirection: String?
    }

    /// The resource with its revision as the ETag.
    func respond(_ req: Request, status: HTTPResponseStatus = .ok) async throws -> Response {
        let resource = try await resource(req, try await req.applicationContext())
        let response = try await resource.encodeResponse(status: status, for: req)
        response.headers.replaceOrAdd(name: .eTag, value: "\"\(resource.revision)\"")
        return response
    }

    func create(req: Request) async throws -> Response {
        let input = try req.decodeBody(NewApplication.self)
        let stored = try await ApplicationWorkflow(environment: try req.services()).create(directionID: input.direction, subDirectionID: input.subDirection)
        req.parameters.set("id", to: try stored.requireID().uuidString)
        return try await respond(req, status: .created)
    }

    func show(req: Request) async throws -> Response {
        try await respond(req)
    }

    struct Invalid: Content {
        var status = "invalid"
        var problems: [InputProblem]
    }

    /// Replaces the draft with the body, an application in the `jigai check` format; all problems are reported at once.
    /// `If-Match` carries the revision read (the ETag): changes made since by others are merged field by field, and
    /// a field both changed is refused with 409 rather than overwritten.
    func update(req: Request) async throws -> Response {
        let context = try await req.applicationContext()
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
        guard let basedOn = req.headers.first(name: .ifMatch).map({ $0.trimmingCharacters(in: CharacterSet(charactersIn: "\" W/")) }).flatMap(Int.init) else {
            throw WorkflowError.revisionRequired
        }
        do {
            _ = try await ApplicationWorkflow(environment: try req.services()).save(context, application, basedOn: basedOn)
        } catch WorkflowError.staleRevision(let conflict) {
            return try await EditConflictBody(conflict, timeZone: context.round.timeZone).encodeResponse(status: .conflict, for: req)
        }
        return try await respond(req)
    }

    /// A refused write: who saved meanwhile, the fields both changed, and the revision to read again.
    struct EditConflictBody: Content {
        var error = true
        var reason: String
        var currentRevision: Int
        var fields: [String]

        init(_ conflict: EditConflict, timeZone: String) {
            reason = conflict.message(timeZone: timeZone)
            currentRevision = conflict.currentRevision
            fields = conflict.fields
        }
    }

    struct SubmissionRefused: Content {
        var error = true
        var reason: String
        var problems: [String]
    }

    func submit(req: Request) async throws -> Response {
        let context = try await req.applicationContext()
        do {
            try await ApplicationWorkflow(environment: try req.services()).submit(context, requestKey: req.requestKey)
        } catch WorkflowError.refused(_, let problems, _) {
            return try await SubmissionRefused(reason: "暂不能提交", problems: problems).encodeResponse(status: .unprocessableEntity, for: req)
        }
        return try await respond(req)
    }

    struct Withdrawal: Content {
        var reason: String?
    }

    func withdraw(req: Request) async throws -> Response {
        let context = try await req.applicationContext()
        try await ApplicationWorkflow(environment: try req.services())
            .withdraw(context, reason: (try? req.decodeBody(Withdrawal.self))?.reason, requestKey: req.requestKey)
        return try await respond(req)
    }

    func requestWithdrawal(req: Request) async throws -> Response {
        let context = try await req.applicationContext()
        try await ApplicationWorkflow(environment: try req.services())
            .requestWithdrawal(context, reason: (try? req.decodeBody(Withdrawal.self))?.reason, requestKey: req.requestKey)
        return try await respond(req)
    }

    func upload(req: Request) async throws -> Response {
        let context = try await req.applicationContext()
        try await AttachmentController().receiveUpload(req, context: context)
        return try await respond(req, status: .created)
    }

    func download(req: Request) async throws -> Response {
        try await AttachmentController().download(req: req)
    }

    func removeAttachment(req: Request) async throws -> Response {
        _ = try await AttachmentController().remove(req: req)
        return Response(status: .noContent)
    }
}
