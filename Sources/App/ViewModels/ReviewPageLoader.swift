import Fluent
import Foundation
import PolicyKit
import Vapor

/// Builds a reviewer's page of an application from an `ApplicationContext`: content, files, self-check, inspection,
/// versions and what changed after a return, and the forms the table lets this reviewer use now.
extension ApplicationContext {
    func reviewPage(_ req: Request, notice: String?, errors: [String: String], error: String?,
                    form: ReviewController.InspectionForm? = nil, returnForm: ReviewController.ReturnForm? = nil) async throws -> ReviewPage {
        let id = try stored.requireID()
        let events = try await ApplicationEvent.history(of: id, on: req.db)
        let files = try await StoredAttachment.current(of: id, on: req.db)
        let inspection = try await SiteInspection.query(on: req.db).filter(\.$application.$id == id).sort(\.$recordedAt, .descending).first()
        var photos: [InspectionPhoto] = []
        if let inspection {
            photos = try await InspectionPhoto.query(on: req.db).filter(\.$inspection.$id == inspection.requireID()).sort(\.$createdAt).all()
        }
        let versions = try await ApplicationVersion.all(of: id, on: req.db)
        let notes = try await ReturnNote.query(on: req.db).filter(\.$application.$id == id).sort(\.$createdAt).all()
        let builder = ApplicationFormBuilder(round: round, spec: spec, application: application, submitted: nil, errors: [:], editable: false)
        let sections = builder.sections()
        let role = req.auth.get(CurrentUser.self)?.role ?? .admin
        let status = stored.status
        let canDecide = Workflow.offers(.approve, to: role, in: status)
        let divisionCanDecide = Workflow.offers(.proposeReward, to: role, in: status)
        let withdrawalRequested = Workflow.offers(.grantWithdrawal, to: role, in: status)
        let base = SiteURL.reviewApplication(id).path
        let returnForm = returnForm ?? ReviewController.ReturnForm()
        let targets = ReturnTargets.options(sections: sections, attachments: round.attachments(for: spec))
        let chainRule = round.chainRevenueRule(for: spec.direction.id)
        return ReviewPage(
            chrome: req.chrome(stored.projectName ?? spec.fullName, breadcrumbs: [("审核列表", SiteURL.review.path), (enterprise.name, nil)], organisation: req.organisationName),
            id: id.uuidString, enterprise: enterprise.name, creditCode: enterprise.creditCode,
            programme: spec.programme.name, direction: spec.fullName,
            status: stored.status.rawValue, statusLabel: stored.status.label, notice: notice, error: error, errors: errors,
            sections: sections,
            files: round.attachments(for: spec).filter { $0.source == .upload }.map { item in
                ReviewPage.FileGroup(title: item.title, files: files.filter { $0.item == item.id }.map(ApplicationPage.UploadedFile.init))
            },
            check: SelfCheckPanel(verdict),
            blacklistSources: try await BlacklistEntry.sources(for: enterprise.creditCode, on: req.db),
            chainRewards: chainRule == nil ? []
                : try await ChainRewardEntry.awards(for: enterprise.creditCode, year: round.baseYear, on: req.db).map { "\($0.year)年度\($0.category.map { "“\($0)”企业" } ?? "")" },
            chainRewardRule: chainRule.map { "\($0.text)（\($0.clause)）" },
            inspection: inspection.map { ReviewPage.Inspection(compliant: $0.compliant, description: $0.description, leader: $0.leader, members: $0.members, inspectedOn: $0.inspectedOn,
                                                               photos: photos.map { ReviewPage.Photo(href: "\(base)/inspection-photos/\($0.id?.uuidString ?? "")", name: $0.originalName) }) },
            inspectionForm: form ?? ReviewController.InspectionForm(),
            photoLimit: "最多 \(ReviewController.maximumPhotos) 张，每张不超过 \(ReviewController.maximumPhotoBytes / 1024 / 1024) MB，JPEG 或 PNG",
            canDecide: canDecide, divisionCanDecide: divisionCanDecide, withdrawalRequested: withdrawalRequested,
            withdrawalReason: status == .withdrawalRequested ? events.last { $0.toStatus == .withdrawalRequested }?.comment : nil,
            requestKey: UUID().uuidString,
            situation: ForwardingCandidatesPage.Row(id: id.uuidString, number: 1, cells: SummaryRows.row(application, round: round)).cells,
            forwarding: try await forwardingSummary(req),
            versions: versionSummaries(versions, base: base),
            revision: try revisionPanel(versions, notes: notes),
            returnTargets: targets,
            returnForm: ReviewPage.ReturnFormView(
                comment: returnForm.comment ?? "",
                notes: (0..<ReviewController.noteRows).map { index in
                    let target = returnForm.target(index)
                    return ReviewPage.NoteInput(index: index, text: returnForm.text(index), error: errors["note\(index)"],
                                                options: targets.map { SelectOption(value: $0.value, label: $0.label, selected: $0.value == target, group: $0.group) })
                }),
            timeline: TimelineEntry.entries(events, timeZone: round.timeZone))
    }

    /// The batch and the city's 审核意见, for whoever sees the application once it has been forwarded.
    func forwardingSummary(_ req: Request) async throws -> ReviewPage.ForwardingSummary? {
        guard let batchID = stored.forwardingID, let batch = try await Forwarding.find(batchID, on: req.db) else { return nil }
        return ReviewPage.ForwardingSummary(
            href: SiteURL.forwardingBatch(batchID).path, authority: round.reviewAuthorities.first { $0.id == batch.authority }?.name ?? batch.authority,
            forwardedAt: batch.forwardedAt.map { DateText.minute($0, timeZone: round.timeZone) } ?? "", opinion: batch.opinion)
    }
}
