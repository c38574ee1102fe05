import Fluent
import Foundation
import PolicyKit
import SQLKit
import Vapor

/// The reviewers' side: scoped list and detail for every staff role; the city's decisions for city reviewers.
struct ReviewController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let review = routes.grouped(RoleGuard(roles: [.cityReviewer, .divisionReviewer, .admin]))
        review.get(SiteURL.review, use: list)
        review.get(SiteURL.reviewApplication(nil), use: detail)
        review.get(SiteURL.reviewAttachment(nil, attachment: nil), use: download)
        review.get(SiteURL.reviewVersion(nil, number: nil), use: version)
        review.get(SiteURL.reviewInspectionPhoto(nil, photo: nil), use: photo)
        let city = routes.grouped(RoleGuard(roles: [.cityReviewer]))
        city.post(SiteURL.reviewReturn(nil), use: returnForRevision)
        city.post(SiteURL.reviewInspection(nil), body: .collect(maxSize: ByteCount(value: Self.photoUploadLimit)), use: recordInspection)
        city.post(SiteURL.reviewApprove(nil), use: approve)
        city.post(SiteURL.reviewDecline(nil), use: decline)
        city.post(SiteURL.reviewWithdrawalGrant(nil), use: grantWithdrawal)
        city.post(SiteURL.reviewWithdrawalRefuse(nil), use: refuseWithdrawal)
    }

    // MARK: - List

    func list(req: Request) async throws -> View {
        let filters = try req.query.decode(ReviewListQuery.Filters.self)
        let (round, roundChoices) = try await req.listRound(filters.round)
        guard let sql = req.db as? any SQLDatabase else { throw Abort(.internalServerError) }
        let query = ReviewListQuery(scope: req.accessScope, filters: filters, round: round)
        let (rows, total) = try await query.run(on: sql)
        let page = ReviewListPage(
            chrome: req.chrome("审核列表", breadcrumbs: [("审核列表", nil)], organisation: req.organisationName),
            round: round, roundChoices: roundChoices, scope: req.accessScope, filters: filters, rows: rows, total: total, page: query.page,
            pageSize: query.pageSize, rounds: req.application.settings.rounds)
        return try await req.view.render("review/list", page)
    }

    // MARK: - Detail

    func detail(req: Request) async throws -> View {
        let context = try await req.applicationContext()
        return try await req.view.render("review/detail", try await context.reviewPage(req, notice: req.query[String.self, at: "done"].flatMap(Self.notice), errors: [:], error: nil))
    }

    static func notice(_ done: String) -> String? {
        switch done {
        case "returned": "已退回企业修改。"
        case "inspected": "现场核查已记录。"
        case "approved": "已审核通过。"
        case "declined": "已决定不予推荐。"
        case "decided": "处室审核决定已记录。"
        case "withdrawal-granted": "已同意撤回，申报已退回企业。"
        case "withdrawal-refused": "已不同意撤回，申报继续审核。"
        default: nil
        }
    }

    func version(req: Request) async throws -> View {
        let context = try await req.applicationContext()
        let base = SiteURL.reviewApplication(context.id).path
        let page = try await context.versionPage(req, number: req.parameters.get("number", as: Int.self) ?? 0, base: base,
                                                 breadcrumbs: [("审核列表", SiteURL.review.path), (context.enterprise.name, base)])
        return try await req.view.render("application/version", page)
    }

    func photo(req: Request) async throws -> Response {
        let context = try await req.applicationContext()
        guard let photoID = req.parameters.get("photo", as: UUID.self),
              let photo = try await InspectionPhoto.query(on: req.db).filter(\.$id == photoID).filter(\.$application.$id == context.stored.requireID()).first() else {
            throw Abort(.notFound, reason: "照片不存在")
        }
        let response = try await req.fileio.asyncStreamFile(at: req.application.settings.attachments.url(for: photo.sha256).path)
        response.headers.contentType = HTTPMediaType(type: "image", subType: photo.kind.rawValue)
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return response
    }

    func download(req: Request) async throws -> Response {
        try await AttachmentController().download(req: req)
    }

    // MARK: - Decisions

    struct Comment: Content {
        var comment: String?
    }

    /// The detail page again with the service's reasons, keeping what the reviewer entered.
    func refuse(_ req: Request, _ context: ApplicationContext, _ error: WorkflowError, fieldForRefusal: String? = nil, form: InspectionForm? = nil,
                returnForm: ReturnForm? = nil) async throws -> Response {
        var errors: [String: String] = [:]
        var message = error.reason
        switch error {
        case .invalid(let summary, let fields):
            errors = fields
            message = summary
        case .refused(_, let problems, _):
            if let fieldForRefusal { errors[fieldForRefusal] = problems.joined(separator: "；") }
        default: break
        }
        let page = try await context.reviewPage(req, notice: nil, errors: errors, error: message, form: form, returnForm: returnForm)
        return try await req.view.render("review/detail", page).encodeResponse(status: .unprocessableEntity, for: req)
    }

    static let noteRows = 6

    /// The return form read flat: `comment`, then `noteTarget0`/`noteText0` … for comments on particular fields.
    struct ReturnForm {
        var fields: [String: String] = [:]

        var comment: String? { fields["comment"] }
        func target(_ index: Int) -> String { (fields["noteTarget\(index)"] ?? "").trimmingCharacters(in: .whitespaces) }
        func text(_ index: Int) -> String { (fields["noteText\(index)"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
    }

    func returnForRevision(req: Request) async throws -> Response {
        let context = try await req.applicationContext()
        let form = ReturnForm(fields: (try? req.decodeBody([String: String].self)) ?? [:])
        let builder = ApplicationFormBuilder(round: context.round, spec: context.spec, application: context.application, submitted: nil, errors: [:], editable: false)
        let targets = ReturnTargets.options(sections: builder.sections(), attachments: context.round.attachments(for: context.spec))
        let labels = Dictionary(targets.map { ($0.value, $0.label) }) { first, _ in first }
        let notes = (0..<Self.noteRows).map { ReviewWorkflow.ReturnNoteInput(target: form.target($0), text: form.text($0)) }
        do {
            try await ReviewWorkflow(environment: try req.services())
                .returnForRevision(context, comment: form.comment, notes: notes, targets: labels, requestKey: req.requestKey)
        } catch let error as WorkflowError {
            return try await refuse(req, context, error, returnForm: form)
        }
        return req.redirect(to: SiteURL.reviewApplication(context.id), done: "returned")
    }

    struct InspectionForm: Content {
        var compliant: String?
        var description: String?
        var leader: String?
        var members: String?
        var inspectedOn: String?

        init() {}
    }

    static let maximumPhotos = 6
    static let maximumPhotoBytes = 8 * 1024 * 1024
    static let photoUploadLimit = maximumPhotos * maximumPhotoBytes + 1024 * 1024

    struct PhotoUpload: Content {
        var photos: [File]?
    }

    /// The photos sent with the inspection, checked by their content; empty file inputs are ignored.
    func photos(_ req: Request) throws -> (photos: [(File, UploadedFileKind)], problem: String?) {
        guard req.headers.contentType?.type == "multipart" else { return ([], nil) }
        let files = (try req.decodeBody(PhotoUpload.self).photos ?? []).filter { $0.data.readableBytes > 0 }
        if files.count > Self.maximumPhotos { return ([], "核查照片最多 \(Self.maximumPhotos) 张，本次选择了 \(files.count) 张") }
        var accepted: [(File, UploadedFileKind)] = []
        for file in files {
            let name = UploadChecks.cleanedName(file.filename, maximumLength: 80)
            if file.data.readableBytes > Self.maximumPhotoBytes {
                return ([], "照片“\(name)”超过 \(Self.maximumPhotoBytes / 1024 / 1024) MB，请压缩后上传")
            }
            let prefix = Array(file.data.readableBytesView.prefix(64 * 1024))
            let check = UploadChecks.problem(prefix: prefix, declaredName: name)
            if let message = check.message { return ([], message) }
            guard let kind = check.kind, kind != .pdf else { return ([], "照片“\(name)”须为 JPEG 或 PNG 图片") }
            accepted.append((file, kind))
        }
        return (accepted, nil)
    }

    func recordInspection(req: Request) async throws -> Response {
        let context = try await req.applicationContext()
        let form = try req.decodeBody(InspectionForm.self)
        let upload = try photos(req)
        let input = ReviewWorkflow.InspectionInput(
            compliant: form.compliant == "true" ? true : form.compliant == "false" ? false : nil,
            description: form.description ?? "", leader: form.leader ?? "", members: form.members ?? "", inspectedOn: form.inspectedOn ?? "",
            photos: upload.photos.map { .init(data: Data($0.0.data.readableBytesView), kind: $0.1, name: UploadChecks.cleanedName($0.0.filename)) }, photoProblem: upload.problem)
        do {
            try await ReviewWorkflow(environment: try req.services()).recordInspection(context, input, requestKey: req.requestKey)
        } catch let error as WorkflowError {
            return try await refuse(req, context, error, form: form)
        }
        return req.redirect(to: SiteURL.reviewApplication(context.id), done: "inspected")
    }

    /// 审核通过, 不予推荐 and the answers to a 申请撤回: one service call with the comment; `done` names the notice shown after.
    func decision(_ req: Request, _ action: WorkflowAction, done: String, fieldForRefusal: String? = nil) async throws -> Response {
        let context = try await req.applicationContext()
        let comment = try req.decodeBody(Comment.self).comment
        do {
            try await ReviewWorkflow(environment: try req.services()).decide(action, context, comment: comment, requestKey: req.requestKey)
        } catch let error as WorkflowError {
            return try await refuse(req, context, error, fieldForRefusal: fieldForRefusal)
        }
        return req.redirect(to: SiteURL.reviewApplication(context.id), done: done)
    }

    func approve(req: Request) async throws -> Response {
        try await decision(req, .approve, done: "approved")
    }

    func decline(req: Request) async throws -> Response {
        try await decision(req, .decline, done: "declined", fieldForRefusal: "declineReason")
    }

    func grantWithdrawal(req: Request) async throws -> Response {
        try await decision(req, .grantWithdrawal, done: "withdrawal-granted")
    }

    func refuseWithdrawal(req: Request) async throws -> Response {
        try await decision(req, .refuseWithdrawal, done: "withdrawal-refused", fieldForRefusal: "refuseReason")
    }
}
