import Fluent
import Foundation
import PolicyKit
import SQLKit
import Vapor

/// The reviewers' and the admin's side of the JSON API (docs/openapi.yaml): the same services as their pages.
/// Every write takes an optional `Idempotency-Key` header; a repeated key does nothing a second time.
struct ReviewAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let review = routes.grouped("api", "review").grouped(RoleGuard(roles: [.cityReviewer, .divisionReviewer, .admin]))
        review.get("applications", use: list)
        review.get("applications", ":id", use: show)
        let city = review.grouped(RoleGuard(roles: [.cityReviewer]))
        city.post("applications", ":id", "return", use: returnForRevision)
        city.on(.POST, "applications", ":id", "inspection", body: .collect(maxSize: ByteCount(value: ReviewController.photoUploadLimit)), use: recordInspection)
        city.post("applications", ":id", "approve", use: approve)
        city.post("applications", ":id", "decline", use: decline)
        city.post("applications", ":id", "withdrawal", "grant", use: grantWithdrawal)
        city.post("applications", ":id", "withdrawal", "refuse", use: refuseWithdrawal)
        city.get("forwarding", use: candidates)
        city.post("forwardings", use: forward)
        review.grouped(RoleGuard(roles: [.divisionReviewer])).post("applications", ":id", "division", use: divisionDecision)
    }

    struct ListItem: Content {
        var id: UUID
        /// The round's id.
        var round: String
        var enterprise: String
        var creditCode: String
        var direction: String
        var projectName: String?
        var status: ApplicationStatus
        var statusLabel: String
        var submittedAt: Date?
        var blacklist: String?
    }

    struct ListPage: Content {
        var total: Int
        var page: Int
        var pageSize: Int
        var items: [ListItem]
    }

    func list(req: Request) async throws -> ListPage {
        let filters = try req.query.decode(ReviewListQuery.Filters.self)
        let (round, _) = try await req.listRound(filters.round)
        guard let sql = req.db as? any SQLDatabase else { throw Abort(.internalServerError) }
        let query = ReviewListQuery(scope: req.accessScope, filters: filters, round: round)
        let (rows, total) = try await query.run(on: sql)
        let rounds = req.application.settings.rounds
        return ListPage(total: total, page: query.page, pageSize: query.pageSize, items: rows.map { row in
            let status = ApplicationStatus(rawValue: row.status) ?? .submitted
            return ListItem(id: row.id, round: row.round_code, enterprise: row.name, creditCode: row.credit_code,
                            direction: rounds[row.round_code]?.directionSpec(row.direction, subDirection: row.sub_direction)?.fullName ?? row.direction,
                            projectName: row.project_name, status: status, statusLabel: status.label, submittedAt: row.submitted_at, blacklist: row.blacklist_source)
        })
    }

    func show(req: Request) async throws -> Response {
        try await APIController().respond(req)
    }

    struct ReturnBody: Content {
        struct Note: Content {
            var target: String
            var text: String
        }
        var comment: String?
        var notes: [Note]?
    }

    /// The service's refusal with the field messages, in the API's error shape.
    struct Refused: Content {
        var error = true
        var reason: String
        var fields: [String: String]
    }

    func refused(_ error: WorkflowError, req: Request) async throws -> Response {
        let fields: [String: String] = if case .invalid(_, let fields) = error { fields } else { [:] }
        let reason: String = if case .invalid(let summary, _) = error { summary } else { error.reason }
        return try await Refused(reason: reason, fields: fields).encodeResponse(status: error.status, for: req)
    }

    func returnForRevision(req: Request) async throws -> Response {
        let context = try await req.applicationContext()
        let body = try req.decodeBody(ReturnBody.self)
        let builder = ApplicationFormBuilder(round: context.round, spec: context.spec, application: context.application, submitted: nil, errors: [:], editable: false)
        let targets = ReturnTargets.options(sections: builder.sections(), attachments: context.round.attachments(for: context.spec))
        let labels = Dictionary(targets.map { ($0.value, $0.label) }) { first, _ in first }
        let notes = (body.notes ?? []).map { ReviewWorkflow.ReturnNoteInput(target: $0.target.trimmingCharacters(in: .whitespaces),
                                                                          text: $0.text.trimmingCharacters(in: .whitespacesAndNewlines)) }
        do {
            try await ReviewWorkflow(environment: try req.services())
                .returnForRevision(context, comment: body.comment, notes: notes, targets: labels, requestKey: req.requestKey)
        } catch let error as WorkflowError {
            return try await refused(error, req: req)
        }
        return try await APIController().respond(req)
    }

    /// The record as JSON, or as multipart/form-data when photos (`photos[]`) come with it.
    struct InspectionBody: Content {
        var compliant: Bool?
        var description: String?
        var leader: String?
        var members: String?
        var inspectedOn: String?
    }

    func recordInspection(req: Request) async throws -> Response {
        let context = try await req.applicationContext()
        let body = try req.decodeBody(InspectionBody.self)
        let upload = try ReviewController().photos(req)
        let input = ReviewWorkflow.InspectionInput(
            compliant: body.compliant, description: body.description ?? "", leader: body.leader ?? "", members: body.members ?? "",
            inspectedOn: body.inspectedOn ?? "",
            photos: upload.photos.map { .init(data: Data($0.0.data.readableBytesView), kind: $0.1, name: UploadChecks.cleanedName($0.0.filename)) }, photoProblem: upload.problem)
        do {
            try await ReviewWorkflow(environment: try req.services()).recordInspection(context, input, requestKey: req.requestKey)
        } catch let error as WorkflowError {
            return try await refused(error, req: req)
        }
        return try await APIController().respond(req)
    }

    struct CommentBody: Content {
        var comment: String?
    }

    func decision(_ req: Request, _ action: WorkflowAction, comment: String?) async throws -> Response {
        let context = try await req.applicationContext()
        do {
            try await ReviewWorkflow(environment: try req.services()).decide(action, context, comment: comment, requestKey: req.requestKey)
        } catch let error as WorkflowError {
            return try await refused(error, req: req)
        }
        return try await APIController().respond(req)
    }

    func comment(_ req: Request) -> String? {
        (try? req.decodeBody(CommentBody.self))?.comment
    }

    func approve(req: Request) async throws -> Response {
        try await decision(req, .approve, comment: comment(req))
    }

    func decline(req: Request) async throws -> Response {
        try await decision(req, .decline, comment: comment(req))
    }

    func grantWithdrawal(req: Request) async throws -> Response {
        try await decision(req, .grantWithdrawal, comment: comment(req))
    }

    func refuseWithdrawal(req: Request) async throws -> Response {
        try await decision(req, .refuseWithdrawal, comment: comment(req))
    }

    struct DivisionBody: Content {
        var decision: ApplicationStatus?
        var opinion: String?
    }

    func divisionDecision(req: Request) async throws -> Response {
        let body = try req.decodeBody(DivisionBody.self)
        switch body.decision {
        case .proposedReward?: return try await decision(req, .proposeReward, comment: body.opinion)
        case .notRewarded?: return try await decision(req, .refuseReward, comment: body.opinion)
        default: return try await refused(.invalid("请选择拟奖励（proposedReward）或不予奖励（notRewarded）", fields: ["decision": "请选择拟奖励或不予奖励"]), req: req)
        }
    }

    /// An approved application not yet forwarded, with its 附件3 columns and 序号.
    struct Candidate: Content {
        var id: UUID
        var number: Int
        var cells: ForwardingCandidatesPage.Cells
    }

    func candidates(req: Request) async throws -> [Candidate] {
        let stored = try await ForwardingWorkflow(environment: try req.services()).candidates()
        return try stored.enumerated().compactMap { index, record in
            guard let round = req.application.settings.rounds[record.roundCode] else { return nil }
            let id = try record.requireID()
            let row = ForwardingCandidatesPage.Row(id: id.uuidString, number: index + 1,
                                                              cells: SummaryRows.row(try record.application(round: round), round: round))
            return Candidate(id: id, number: row.number, cells: row.cells)
        }
    }

    struct ForwardBody: Content {
        var applications: [UUID]
        var opinion: String?
    }

    struct Forwarded: Content {
        var id: UUID
        var applications: [UUID]
        var opinion: String
        var forwardedAt: Date?
    }

    func forward(req: Request) async throws -> Response {
        let body = try req.decodeBody(ForwardBody.self)
        do {
            let workflow = ForwardingWorkflow(environment: try req.services())
            let forwarding = try await workflow.forward(Set(body.applications), opinion: body.opinion, requestKey: req.requestKey)
            let members = try await workflow.batch(forwarding.id).1.compactMap(\.id)
            return try await Forwarded(id: try forwarding.requireID(), applications: members, opinion: forwarding.opinion, forwardedAt: forwarding.forwardedAt)
                .encodeResponse(status: .created, for: req)
        } catch let error as WorkflowError {
            return try await refused(error, req: req)
        }
    }
}
