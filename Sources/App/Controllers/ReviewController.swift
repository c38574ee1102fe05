import Fluent
import Foundation
import PolicyKit
import SQLKit
import Vapor

/// The reviewers' side: scoped list and detail for every staff role; the city's decisions for city reviewers.
struct ReviewController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let review = routes.grouped("review").grouped(RoleGuard(roles: [.cityReviewer, .divisionReviewer, .admin]))
        review.get(use: list)
        review.get("applications", ":id", use: detail)
        review.get("applications", ":id", "attachments", ":attachment", use: download)
        let city = review.grouped(RoleGuard(roles: [.cityReviewer]))
        city.post("applications", ":id", "return", use: returnForRevision)
        city.post("applications", ":id", "inspection", use: recordInspection)
        city.post("applications", ":id", "approve", use: approve)
        city.post("applications", ":id", "decline", use: decline)
    }

    // MARK: - List

    func list(req: Request) async throws -> View {
        let filters = try req.query.decode(ReviewListQuery.Filters.self)
        let round = try req.vocabularyRound(try await RoundRegistry(database: req.db, catalog: req.application.settings.rounds).current()?.round)
        guard let sql = req.db as? any SQLDatabase else { throw Abort(.internalServerError) }
        let query = ReviewListQuery(scope: req.accessScope, filters: filters, round: round)
        let (rows, total) = try await query.run(on: sql)
        let page = ReviewListPage(
            chrome: req.chrome("审核列表", breadcrumbs: [("审核列表", nil)], organisation: req.organisationName),
            round: round, filters: filters, rows: rows, total: total, page: query.page, pageSize: query.pageSize, rounds: req.application.settings.rounds)
        return try await req.view.render("review/list", page)
    }

    // MARK: - Detail

    func detail(req: Request) async throws -> View {
        let context = try await ApplicationContext.load(req)
        return try await req.view.render("review/detail", try await page(req, context, notice: req.query[String.self, at: "done"].flatMap(Self.notice), errors: [:], error: nil))
    }

    static func notice(_ done: String) -> String? {
        switch done {
        case "returned": "已退回企业修改。"
        case "inspected": "现场核查已记录。"
        case "approved": "已审核通过。"
        case "declined": "已决定不予推荐。"
        case "decided": "处室审核决定已记录。"
        default: nil
        }
    }

    func page(_ req: Request, _ context: ApplicationContext, notice: String?, errors: [String: String], error: String?, form: InspectionForm? = nil) async throws -> ReviewPage {
        let id = try context.stored.requireID()
        let events = try await ApplicationEvent.history(of: id, on: req.db)
        let files = try await StoredAttachment.current(of: id, on: req.db)
        let inspection = try await SiteInspection.query(on: req.db).filter(\.$application.$id == id).sort(\.$recordedAt, .descending).first()
        let builder = ApplicationFormBuilder(round: context.round, spec: context.spec, application: context.application, submitted: nil, errors: [:], editable: false)
        let role = req.auth.get(CurrentUser.self)?.role
        let canDecide = role == .cityReviewer && CityReviewRules.canDecide(context.stored.status)
        let divisionCanDecide = role == .divisionReviewer && DivisionReviewRules.canDecide(context.stored.status)
        return ReviewPage(
            chrome: req.chrome(context.stored.projectName ?? context.spec.fullName, breadcrumbs: [("审核列表", "/review"), (context.enterprise.name, nil)], organisation: req.organisationName),
            id: id.uuidString, enterprise: context.enterprise.name, creditCode: context.enterprise.creditCode,
            programme: context.spec.programme.name, direction: context.spec.fullName,
            status: context.stored.status.rawValue, statusLabel: context.stored.status.label, notice: notice, error: error, errors: errors,
            sections: builder.sections(),
            files: context.round.attachments(for: context.spec).filter { $0.source == .upload }.map { item in
                ReviewPage.FileGroup(title: item.title, files: files.filter { $0.item == item.id }.map(ApplicationPage.UploadedFile.init))
            },
            check: SelfCheckPanel(context.verdict),
            blacklistSources: try await BlacklistEntry.sources(for: context.enterprise.creditCode, on: req.db),
            inspection: inspection.map { ReviewPage.Inspection(compliant: $0.compliant, description: $0.description, leader: $0.leader, members: $0.members, inspectedOn: $0.inspectedOn) },
            inspectionForm: form ?? InspectionForm(),
            canDecide: canDecide, divisionCanDecide: divisionCanDecide,
            forwardingID: context.stored.forwardingID?.uuidString,
            timeline: TimelineEntry.entries(events, timeZone: context.round.timeZone))
    }

    func download(req: Request) async throws -> Response {
        try await AttachmentController().download(req: req)
    }

    // MARK: - Decisions

    struct Comment: Content {
        var comment: String?
    }

    func transition(_ req: Request, _ context: ApplicationContext, to status: ApplicationStatus, comment: String?) async throws {
        try await ApplicationService(req: req).transition([context.stored], to: status, comment: comment)
    }

    func refuse(_ req: Request, _ context: ApplicationContext, _ message: String, errors: [String: String] = [:], form: InspectionForm? = nil) async throws -> Response {
        let page = try await page(req, context, notice: nil, errors: errors, error: message, form: form)
        return try await req.view.render("review/detail", page).encodeResponse(status: .unprocessableEntity, for: req)
    }

    func returnForRevision(req: Request) async throws -> Response {
        let context = try await ApplicationContext.load(req)
        let comment = (try req.content.decode(Comment.self).comment ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard CityReviewRules.canDecide(context.stored.status) else {
            return try await refuse(req, context, "当前状态为“\(context.stored.status.label)”，不能退回")
        }
        guard !comment.isEmpty else {
            return try await refuse(req, context, "退回修改须写明需要修改的内容", errors: ["comment": "请写明需要修改的内容"])
        }
        try await transition(req, context, to: .returned, comment: String(comment.prefix(2000)))
        return req.redirect(to: "/review/applications/\(try context.stored.requireID())?done=returned", redirectType: .normal)
    }

    struct InspectionForm: Content {
        var compliant: String?
        var description: String?
        var leader: String?
        var members: String?
        var inspectedOn: String?

        init() {}
    }

    func recordInspection(req: Request) async throws -> Response {
        let current = try req.auth.require(CurrentUser.self)
        let context = try await ApplicationContext.load(req)
        let form = try req.content.decode(InspectionForm.self)
        let compliant: Bool? = form.compliant == "true" ? true : form.compliant == "false" ? false : nil
        let description = (form.description ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let leader = (form.leader ?? "").trimmingCharacters(in: .whitespaces)
        let date = (form.inspectedOn ?? "").trimmingCharacters(in: .whitespaces)
        guard CityReviewRules.canDecide(context.stored.status) else {
            return try await refuse(req, context, "当前状态为“\(context.stored.status.label)”，不能记录现场核查", form: form)
        }
        let problems = CityReviewRules.inspectionProblems(compliant: compliant, description: description, leader: leader, inspectedOn: date)
        guard problems.isEmpty, let compliant else {
            return try await refuse(req, context, "现场核查记录有误，请按提示修改", errors: problems, form: form)
        }
        let inspection = SiteInspection(applicationID: try context.stored.requireID(), compliant: compliant, description: description, leader: leader,
                                        members: (form.members ?? "").trimmingCharacters(in: .whitespaces), inspectedOn: date, recordedBy: try current.user.requireID())
        try await inspection.create(on: req.db)
        if context.stored.status == .submitted {
            try await transition(req, context, to: .cityReviewing, comment: "现场核查：\(compliant ? "是" : "否")")
        }
        try await req.audit(.inspectionRecorded, objectType: "申报", objectID: try context.stored.requireID().uuidString, after: compliant ? "是" : "否")
        return req.redirect(to: "/review/applications/\(try context.stored.requireID())?done=inspected", redirectType: .normal)
    }

    func approve(req: Request) async throws -> Response {
        let context = try await ApplicationContext.load(req)
        let latest = try await SiteInspection.query(on: req.db).filter(\.$application.$id == context.stored.requireID()).sort(\.$recordedAt, .descending).first()
        let problems = CityReviewRules.approvalProblems(status: context.stored.status, inspectionCompliant: latest?.compliant)
        guard problems.isEmpty else {
            return try await refuse(req, context, problems.joined(separator: "；"))
        }
        let comment = (try req.content.decode(Comment.self).comment ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        try await transition(req, context, to: .cityApproved, comment: comment.isEmpty ? nil : String(comment.prefix(2000)))
        return req.redirect(to: "/review/applications/\(try context.stored.requireID())?done=approved", redirectType: .normal)
    }

    func decline(req: Request) async throws -> Response {
        let context = try await ApplicationContext.load(req)
        let comment = (try req.content.decode(Comment.self).comment ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard CityReviewRules.canDecide(context.stored.status) else {
            return try await refuse(req, context, "当前状态为“\(context.stored.status.label)”，不能作出不予推荐决定")
        }
        guard !comment.isEmpty else {
            return try await refuse(req, context, "不予推荐须写明理由", errors: ["declineReason": "请写明不予推荐的理由"])
        }
        try await transition(req, context, to: .cityDeclined, comment: String(comment.prefix(2000)))
        return req.redirect(to: "/review/applications/\(try context.stored.requireID())?done=declined", redirectType: .normal)
    }
}

extension Request {
    /// The signed-in staff member's organisation as users name it: 太原市工信局, 原材料处, 省工信厅.
    var organisationName: String? {
        guard let current = auth.get(CurrentUser.self), let organisation = current.user.organisation else {
            return auth.get(CurrentUser.self)?.role == .admin ? "山西省工业和信息化厅" : nil
        }
        let rounds = application.settings.rounds.rounds.values
        for round in rounds {
            if let authority = round.reviewAuthorities.first(where: { $0.id == organisation }) { return authority.name }
            if let division = round.division(organisation) { return division.name }
        }
        return organisation
    }
}
