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
        review.get("applications", ":id", "versions", ":number", use: version)
        review.get("applications", ":id", "inspection-photos", ":photo", use: photo)
        let city = review.grouped(RoleGuard(roles: [.cityReviewer]))
        city.post("applications", ":id", "return", use: returnForRevision)
        city.on(.POST, "applications", ":id", "inspection", body: .collect(maxSize: ByteCount(value: Self.photoUploadLimit)), use: recordInspection)
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
            round: round, scope: req.accessScope, filters: filters, rows: rows, total: total, page: query.page, pageSize: query.pageSize, rounds: req.application.settings.rounds)
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

    func page(_ req: Request, _ context: ApplicationContext, notice: String?, errors: [String: String], error: String?,
              form: InspectionForm? = nil, returnForm: ReturnForm? = nil) async throws -> ReviewPage {
        let id = try context.stored.requireID()
        let events = try await ApplicationEvent.history(of: id, on: req.db)
        let files = try await StoredAttachment.current(of: id, on: req.db)
        let inspection = try await SiteInspection.query(on: req.db).filter(\.$application.$id == id).sort(\.$recordedAt, .descending).first()
        var photos: [InspectionPhoto] = []
        if let inspection {
            photos = try await InspectionPhoto.query(on: req.db).filter(\.$inspection.$id == inspection.requireID()).sort(\.$createdAt).all()
        }
        let versions = try await ApplicationVersion.all(of: id, on: req.db)
        let notes = try await ReturnNote.query(on: req.db).filter(\.$application.$id == id).sort(\.$createdAt).all()
        let builder = ApplicationFormBuilder(round: context.round, spec: context.spec, application: context.application, submitted: nil, errors: [:], editable: false)
        let sections = builder.sections()
        let role = req.auth.get(CurrentUser.self)?.role
        let canDecide = role == .cityReviewer && CityReviewRules.canDecide(context.stored.status)
        let divisionCanDecide = role == .divisionReviewer && DivisionReviewRules.canDecide(context.stored.status)
        let base = "/review/applications/\(id.uuidString)"
        let returnForm = returnForm ?? ReturnForm()
        let targets = ReturnTargets.options(sections: sections, attachments: context.round.attachments(for: context.spec))
        return ReviewPage(
            chrome: req.chrome(context.stored.projectName ?? context.spec.fullName, breadcrumbs: [("审核列表", "/review"), (context.enterprise.name, nil)], organisation: req.organisationName),
            id: id.uuidString, enterprise: context.enterprise.name, creditCode: context.enterprise.creditCode,
            programme: context.spec.programme.name, direction: context.spec.fullName,
            status: context.stored.status.rawValue, statusLabel: context.stored.status.label, notice: notice, error: error, errors: errors,
            sections: sections,
            files: context.round.attachments(for: context.spec).filter { $0.source == .upload }.map { item in
                ReviewPage.FileGroup(title: item.title, files: files.filter { $0.item == item.id }.map(ApplicationPage.UploadedFile.init))
            },
            check: SelfCheckPanel(context.verdict),
            blacklistSources: try await BlacklistEntry.sources(for: context.enterprise.creditCode, on: req.db),
            inspection: inspection.map { ReviewPage.Inspection(compliant: $0.compliant, description: $0.description, leader: $0.leader, members: $0.members, inspectedOn: $0.inspectedOn,
                                                               photos: photos.map { ReviewPage.Photo(href: "\(base)/inspection-photos/\($0.id?.uuidString ?? "")", name: $0.originalName) }) },
            inspectionForm: form ?? InspectionForm(),
            photoLimit: "最多 \(Self.maximumPhotos) 张，每张不超过 \(Self.maximumPhotoBytes / 1024 / 1024) MB，JPEG 或 PNG",
            canDecide: canDecide, divisionCanDecide: divisionCanDecide,
            forwardingID: context.stored.forwardingID?.uuidString,
            versions: context.versionSummaries(versions, base: base),
            revision: try context.revisionPanel(versions, notes: notes),
            returnTargets: targets,
            returnForm: ReviewPage.ReturnFormView(
                comment: returnForm.comment ?? "",
                notes: (0..<Self.noteRows).map { index in
                    let target = returnForm.target(index)
                    return ReviewPage.NoteInput(index: index, text: returnForm.text(index), error: errors["note\(index)"],
                                                options: targets.map { SelectOption(value: $0.value, label: $0.label, selected: $0.value == target, group: $0.group) })
                }),
            timeline: TimelineEntry.entries(events, timeZone: context.round.timeZone))
    }

    func version(req: Request) async throws -> View {
        let context = try await ApplicationContext.load(req)
        let base = "/review/applications/\(try context.stored.requireID().uuidString)"
        let page = try await context.versionPage(req, number: req.parameters.get("number", as: Int.self) ?? 0, base: base,
                                                 breadcrumbs: [("审核列表", "/review"), (context.enterprise.name, base)])
        return try await req.view.render("application/version", page)
    }

    func photo(req: Request) async throws -> Response {
        let context = try await ApplicationContext.load(req)
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

    func transition(_ req: Request, _ context: ApplicationContext, to status: ApplicationStatus, comment: String?) async throws {
        try await ApplicationService(req: req).transition([context.stored], to: status, comment: comment)
    }

    func refuse(_ req: Request, _ context: ApplicationContext, _ message: String, errors: [String: String] = [:], form: InspectionForm? = nil,
                returnForm: ReturnForm? = nil) async throws -> Response {
        let page = try await page(req, context, notice: nil, errors: errors, error: message, form: form, returnForm: returnForm)
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
        let context = try await ApplicationContext.load(req)
        let form = ReturnForm(fields: (try? req.content.decode([String: String].self)) ?? [:])
        let comment = (form.comment ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard CityReviewRules.canDecide(context.stored.status) else {
            return try await refuse(req, context, "当前状态为“\(context.stored.status.label)”，不能退回")
        }
        let builder = ApplicationFormBuilder(round: context.round, spec: context.spec, application: context.application, submitted: nil, errors: [:], editable: false)
        let targets = ReturnTargets.options(sections: builder.sections(), attachments: context.round.attachments(for: context.spec))
        let labels = Dictionary(targets.map { ($0.value, $0.label) }) { first, _ in first }
        let entered = (0..<Self.noteRows).map { (target: form.target($0), text: form.text($0)) }
        let problems = ReturnRules.problems(comment: comment, notes: entered, targets: Set(labels.keys))
        guard problems.isEmpty else {
            return try await refuse(req, context, "退回修改意见有误，请按提示修改", errors: problems, returnForm: form)
        }
        let notes = entered.filter { !$0.target.isEmpty }
        let summary = ([comment.isEmpty ? nil : String(comment.prefix(2000))] + notes.map { "【\(labels[$0.target] ?? $0.target)】\($0.text)" })
            .compactMap { $0 }.joined(separator: "\n")
        let applicationID = try context.stored.requireID()
        let authorID = try req.auth.require(CurrentUser.self).user.requireID()
        let version = try await ApplicationVersion.query(on: req.db).filter(\.$application.$id == applicationID).sort(\.$number, .descending).first()?.number ?? 0
        try await ApplicationService(req: req).transition([context.stored], to: .returned, comment: summary) { database in
            for note in notes {
                try await ReturnNote(applicationID: applicationID, version: version, target: note.target, targetLabel: labels[note.target] ?? note.target,
                                     text: String(note.text.prefix(ReturnRules.maximumNoteLength)), authorID: authorID).create(on: database)
            }
        }
        return req.redirect(to: "/review/applications/\(applicationID)?done=returned", redirectType: .normal)
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
        let files = (try req.content.decode(PhotoUpload.self).photos ?? []).filter { $0.data.readableBytes > 0 }
        if files.count > Self.maximumPhotos { return ([], "核查照片最多 \(Self.maximumPhotos) 张，本次选择了 \(files.count) 张") }
        var accepted: [(File, UploadedFileKind)] = []
        for file in files {
            let name = String(file.filename.prefix(80))
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
        var problems = CityReviewRules.inspectionProblems(compliant: compliant, description: description, leader: leader, inspectedOn: date)
        let upload = try photos(req)
        if let problem = upload.problem { problems["photos"] = problem + "（其余内容已保留，请重新选择照片）" }
        guard problems.isEmpty, let compliant else {
            return try await refuse(req, context, "现场核查记录有误，请按提示修改", errors: problems, form: form)
        }
        let applicationID = try context.stored.requireID()
        let inspection = SiteInspection(applicationID: applicationID, compliant: compliant, description: description, leader: leader,
                                        members: (form.members ?? "").trimmingCharacters(in: .whitespaces), inspectedOn: date, recordedBy: try current.user.requireID())
        let store = req.application.settings.attachments
        let stored = try upload.photos.map { file, kind in
            (sha256: try store.store(Data(file.data.readableBytesView)), size: Int64(file.data.readableBytes), kind: kind,
             name: UploadChecks.safeFileName(file.filename, kind: kind))
        }
        try await req.db.transaction { database in
            try await inspection.create(on: database)
            for photo in stored {
                try await InspectionPhoto(inspectionID: try inspection.requireID(), applicationID: applicationID, sha256: photo.sha256, size: photo.size,
                                          kind: photo.kind, originalName: photo.name).create(on: database)
            }
        }
        if context.stored.status == .submitted {
            try await transition(req, context, to: .cityReviewing, comment: "现场核查：\(compliant ? "是" : "否")")
        }
        try await req.audit(.inspectionRecorded, objectType: "申报", objectID: applicationID.uuidString,
                            after: "\(compliant ? "是" : "否")，照片 \(stored.count) 张")
        return req.redirect(to: "/review/applications/\(applicationID)?done=inspected", redirectType: .normal)
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
        return organisationName(of: organisation)
    }
}
