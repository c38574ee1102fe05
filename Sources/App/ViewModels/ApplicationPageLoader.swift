import Fluent
import Foundation
import PolicyKit
import Vapor

/// Builds the enterprise's application page from an `ApplicationContext`.
extension ApplicationContext {
    func page(_ req: Request, submitted: [String: String]?, errors: [String: String], notice: String?, submitProblems: [String]?, uploadError: String? = nil,
              conflict: String? = nil, tableImport: TableImportBox.Refusal? = nil) async throws -> ApplicationPage {
        let id = try stored.requireID()
        let files = try await StoredAttachment.current(of: id, on: req.db)
        let events = try await ApplicationEvent.history(of: id, on: req.db)
        let versions = try await ApplicationVersion.all(of: id, on: req.db)
        let notes = stored.status == .returned
            ? try await ReturnNote.query(on: req.db).filter(\.$application.$id == id).filter(\.$version == (versions.last?.number ?? 0)).sort(\.$createdAt).all()
            : []
        let notesByTarget = Dictionary(notes.map { ($0.target, $0.text) }) { first, second in first + "；" + second }
        let builder = ApplicationFormBuilder(round: round, spec: spec, application: application, submitted: submitted, errors: errors,
                                             editable: stored.status.isEditableByEnterprise)
        let general = round.generalCommitments.enumerated().map { ApplicationPage.Commitment(number: $0.offset + 1, text: $0.element) }
        let extra = spec.commitments.enumerated().map { ApplicationPage.Commitment(number: general.count + $0.offset + 1, text: $0.element.text) }
        let deadlineText = DateText.minute(deadline, timeZone: round.timeZone)
        // Whether the city has started matters only while the application is with it (撤回 or 申请撤回).
        let facts = try await facts(now: Date(), for: stored.status.isEditableByEnterprise ? .submit : nil, on: req.db)
        let allProblems = submitProblems ?? (stored.status.isEditableByEnterprise ? Workflow.submissionProblems(status: stored.status, facts: facts) : [])
        // The missing items are listed in the panel already; the reasons name them once, as a count.
        let missing = Set(verdict.missing.map(\.message))
        let problems = allProblems.filter { !missing.contains($0) }
            + (allProblems.contains(where: missing.contains) ? ["尚有 \(verdict.missing.count) 项未填写、未上传或未确认（见“待完善”）"] : [])
        return ApplicationPage(
            chrome: req.chrome(stored.projectName ?? spec.fullName, breadcrumbs: [("我的申报", SiteURL.enterprise.path), (spec.fullName, nil)], organisation: enterprise.name),
            id: id.uuidString, programme: spec.programme.name, direction: spec.fullName,
            status: stored.status.rawValue, statusLabel: stored.status.label,
            editable: stored.status.isEditableByEnterprise,
            withdrawable: Workflow.decide(.withdraw, by: .enterprise, from: stored.status, facts: facts) == .allowed(to: .withdrawn),
            canRequestWithdrawal: Workflow.offers(.requestWithdrawal, to: .enterprise, in: stored.status) && facts.cityHasStarted,
            revision: submitted?["revision"].flatMap(Int.init) ?? stored.revision, requestKey: UUID().uuidString, conflict: conflict, notice: notice,
            inputProblems: errors.isEmpty ? [] : ["有 \(errors.count) 项填写有误，已在对应位置标出；其余内容已保存。"],
            sections: builder.sections().annotated(with: notesByTarget), commitments: general + extra,
            commitmentAccepted: submitted.map { $0["commitmentAccepted"] == "true" } ?? (application.commitmentAccepted == true),
            attachments: round.attachments(for: spec).map { item in
                ApplicationPage.AttachmentItem(
                    id: item.id, title: item.title, clause: item.clause, help: item.help, generated: item.source == .generated,
                    required: item.requiredWhen?.holds(for: application, round: round) ?? item.isRequired,
                    files: files.filter { $0.item == item.id }.map(ApplicationPage.UploadedFile.init),
                    reviewNote: notesByTarget["attachment:\(item.id)"])
            },
            uploadError: uploadError,
            tableImports: stored.status.isEditableByEnterprise ? spec.fields.filter { $0.type == .table && $0.importable == true }.map { field in
                let refusal = tableImport?.field == field.id ? tableImport : nil
                return TableImportBox(field: field.id, label: field.label, action: SiteURL.applicationTableImport(id, field: field.id).path,
                                      columns: (field.columns ?? []).map { $0.label + ($0.isRequired ? "" : "（可空）") }.joined(separator: "、"),
                                      error: refusal?.message, lines: refusal?.lines ?? [], pasted: refusal?.pasted ?? "", append: refusal?.append ?? false)
            } : [],
            uploadLimit: "\(req.application.settings.uploads.maximumFileBytes / 1024 / 1024) MB",
            check: SelfCheckPanel(verdict), submitProblems: problems, deadline: deadlineText,
            returnComment: stored.status == .returned ? events.last { $0.toStatus == .returned }.map { ApplicationPage.ReturnComment(
                by: $0.actor.displayName, at: $0.createdAt.map { DateText.minute($0, timeZone: round.timeZone) } ?? "", text: Self.generalPart(of: $0.comment ?? "", hasNotes: !notes.isEmpty)) } : nil,
            returnNotes: notes.map { NoteRow(target: $0.target, label: $0.targetLabel, text: $0.text) },
            versions: versionSummaries(versions, base: SiteURL.application(id).path),
            timeline: TimelineEntry.entries(events, timeZone: round.timeZone))
    }
}

extension ApplicationContext {
    /// The return's comment without the per-field lines (【字段】意见), which the page lists beside the fields.
    static func generalPart(of comment: String, hasNotes: Bool) -> String {
        guard hasNotes else { return comment }
        return comment.split(separator: "\n").filter { !$0.hasPrefix("【") }.joined(separator: "\n")
    }
}

