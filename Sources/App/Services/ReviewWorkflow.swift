import Fluent
import Foundation
import PolicyKit

/// The reviewers' decisions on one application: the city's 退回, 现场核查, 审核通过, 不予推荐 and its answer to a
/// 申请撤回; the division's 拟奖励 or 不予奖励. Each asks the transition table and commits through `ApplicationChanges`.
struct ReviewWorkflow {
    let environment: ServiceEnvironment

    var workflow: ApplicationWorkflow { ApplicationWorkflow(environment: environment) }
    var changes: ApplicationChanges { ApplicationChanges(environment: environment) }

    struct ReturnNoteInput: Sendable {
        var target: String
        var text: String
    }

    /// 退回修改 with an overall comment and/or comments on named fields; `targets` maps each nameable field to its label.
    @discardableResult
    func returnForRevision(_ context: ApplicationContext, comment: String?, notes entered: [ReturnNoteInput], targets: [String: String],
                           requestKey: String?) async throws -> ApplicationChanges.Outcome {
        if try await changes.alreadyDone(requestKey, .returnForRevision) { return .repeated }
        let target = try await workflow.decide(.returnForRevision, context)
        let comment = ApplicationWorkflow.text(comment)
        let problems = ReturnRules.problems(comment: comment, notes: entered.map { (target: $0.target, text: $0.text) }, targets: Set(targets.keys))
        guard problems.isEmpty else { throw WorkflowError.invalid("退回修改意见有误，请按提示修改", fields: problems) }
        let notes = entered.filter { !$0.target.isEmpty }
        let summary = ([comment.isEmpty ? nil : comment] + notes.map { "【\(targets[$0.target] ?? $0.target)】\($0.text)" })
            .compactMap { $0 }.joined(separator: "\n")
        let applicationID = context.id
        let authorID = environment.actor.id
        let version = try await ApplicationVersion.query(on: environment.database).filter(\.$application.$id == applicationID)
            .sort(\.$number, .descending).first()?.number ?? 0
        return try await changes.commit([context.stored], action: .returnForRevision, to: target, comment: summary, requestKey: requestKey) { database in
            for note in notes {
                try await ReturnNote(applicationID: applicationID, version: version, target: note.target, targetLabel: targets[note.target] ?? note.target,
                                     text: String(note.text.prefix(ReturnRules.maximumNoteLength)), authorID: authorID).create(on: database)
            }
        }
    }

    struct InspectionInput: Sendable {
        struct Photo: Sendable {
            var data: Data
            var kind: UploadedFileKind
            var name: String
        }

        var compliant: Bool?
        var description: String
        var leader: String
        var members: String
        var inspectedOn: String
        var photos: [Photo] = []
        /// A problem found with the photos as they were received (count, size, type).
        var photoProblem: String?
    }

    /// 现场核查: the record and its photos, and (the first time) 已提交 → 市级审核中, in one transaction.
    @discardableResult
    func recordInspection(_ context: ApplicationContext, _ input: InspectionInput, requestKey: String?) async throws -> ApplicationChanges.Outcome {
        if try await changes.alreadyDone(requestKey, .recordInspection) { return .repeated }
        let target = try await workflow.decide(.recordInspection, context)
        let description = input.description.trimmingCharacters(in: .whitespacesAndNewlines)
        let leader = input.leader.trimmingCharacters(in: .whitespaces)
        let date = input.inspectedOn.trimmingCharacters(in: .whitespaces)
        var problems = InspectionRules.problems(compliant: input.compliant, description: description, leader: leader, inspectedOn: date)
        if let problem = input.photoProblem { problems["photos"] = problem + "（其余内容已保留，请重新选择照片）" }
        guard problems.isEmpty, let compliant = input.compliant else { throw WorkflowError.invalid("现场核查记录有误，请按提示修改", fields: problems) }
        let applicationID = context.id
        let inspection = SiteInspection(applicationID: applicationID, compliant: compliant, description: description, leader: leader,
                                        members: input.members.trimmingCharacters(in: .whitespaces), inspectedOn: date, recordedBy: environment.actor.id)
        let store = environment.settings.attachments
        // Files are content-addressed: one stored for a change that then rolls back is swept as unreferenced.
        let photos = try input.photos.map { photo in
            (sha256: try store.store(photo.data), size: Int64(photo.data.count), kind: photo.kind, name: UploadChecks.safeFileName(photo.name, kind: photo.kind))
        }
        let verdict = compliant ? "是" : "否"
        return try await changes.commit([context.stored], action: .recordInspection, to: target, comment: target == nil ? nil : "现场核查：\(verdict)",
                                        requestKey: requestKey,
                                        audits: [.init(action: .inspectionRecorded, objectID: applicationID.uuidString, after: "\(verdict)，照片 \(photos.count) 张")]) { database in
            try await inspection.create(on: database)
            for photo in photos {
                try await InspectionPhoto(inspectionID: try inspection.requireID(), applicationID: applicationID, sha256: photo.sha256, size: photo.size,
                                          kind: photo.kind, originalName: photo.name).create(on: database)
            }
        }
    }

    /// 审核通过 (needs a 现场核查 with verdict 是), 不予推荐 (needs a reason), the answers to a 申请撤回, and the division's
    /// decisions: a status change with a comment, as the table says.
    @discardableResult
    func decide(_ action: WorkflowAction, _ context: ApplicationContext, comment: String?, requestKey: String?) async throws -> ApplicationChanges.Outcome {
        if try await changes.alreadyDone(requestKey, action) { return .repeated }
        let comment = ApplicationWorkflow.text(comment)
        let target = try await workflow.decide(action, context, comment: comment)
        let recorded: String? = switch action {
        case .grantWithdrawal: comment.isEmpty ? "同意撤回" : "同意撤回：\(comment)"
        case .refuseWithdrawal: "不同意撤回：\(comment)"
        default: comment.isEmpty ? nil : comment
        }
        return try await changes.commit([context.stored], action: action, to: target, comment: recorded, requestKey: requestKey)
    }
}

/// 市报省: the city gathers approved applications into a 汇总批次 with its 审核意见 and forwards them together.
struct ForwardingWorkflow {
    let environment: ServiceEnvironment

    /// Approved applications of the actor's authority not yet in a batch, in 序号 order (by approval time).
    func candidates() async throws -> [StoredApplication] {
        try await environment.actor.scope.apply(to: StoredApplication.query(on: environment.database))
            .filter(\.$status == .cityApproved).filter(\.$forwardingID == nil).sort(\.$updatedAt).all()
    }

    func forward(_ chosen: Set<UUID>, opinion: String?, requestKey: String?) async throws -> Forwarding {
        if try await ApplicationChanges(environment: environment).alreadyDone(requestKey, .forward), let key = requestKey,
           let earlier = try await Self.batch(forwardedWith: key, on: environment.database) {
            return earlier
        }
        guard case .authority(let authority) = environment.actor.scope else {
            throw WorkflowError.refused(.forward, ["\(environment.actor.role.label)账号不能\(WorkflowAction.forward.label)"], byStatus: false)
        }
        let opinion = ApplicationWorkflow.text(opinion)
        let selected = try await candidates().filter { $0.id.map(chosen.contains) ?? false }
        guard !selected.isEmpty else { throw WorkflowError.invalid("请选择要报送的申报", fields: ["applications": "请选择要报送的申报"]) }
        // One batch is one 汇总表, and a 汇总表 is filled in under one notice's 填表说明.
        guard Set(selected.map(\.roundCode)).count == 1 else {
            let message = "一个汇总批次只能包含同一申报批次的申报（汇总表按通知分别填报），请按批次分别报送"
            throw WorkflowError.invalid(message, fields: ["applications": message])
        }
        for application in selected {
            let facts = WorkflowFacts(now: environment.clock(), deadline: .distantFuture, timeZone: "Asia/Shanghai", comment: opinion)
            let problems = Workflow.decide(.forward, by: environment.actor.role, from: application.status, facts: facts).problems
            guard problems.isEmpty else { throw WorkflowError.invalid(problems.joined(separator: "；"), fields: ["opinion": problems.joined(separator: "；")]) }
        }
        let forwarding = Forwarding(authority: authority, opinion: opinion, forwardedBy: environment.actor.id)
        forwarding.id = UUID()
        for application in selected { application.forwardingID = forwarding.id }
        let outcome = try await ApplicationChanges(environment: environment).commit(selected, action: .forward, to: .forwarded, comment: "随汇总批次报送省厅",
                                                                                     requestKey: requestKey) { database in
            try await forwarding.create(on: database)
        }
        if outcome == .repeated, let key = requestKey, let earlier = try await Self.batch(forwardedWith: key, on: environment.database) {
            return earlier
        }
        return forwarding
    }

    /// A batch in the actor's scope with its applications in 序号 order: its own authority's, any for the admin; a
    /// division sees the batch with the rows routed to it, and no batch without any.
    func batch(_ id: UUID?) async throws -> (Forwarding, [StoredApplication]) {
        let database = environment.database
        let scope = environment.actor.scope
        let missing = WorkflowError.notFound("汇总批次不存在或您无权查看")
        guard let id, let forwarding = try await Forwarding.find(id, on: database) else { throw missing }
        switch scope {
        case .authority(let authority) where authority == forwarding.authority: break
        case .province, .division: break
        default: throw missing
        }
        let members = try await scope.apply(to: StoredApplication.query(on: database).filter(\.$forwardingID == id)).sort(\.$updatedAt).all()
        if case .division = scope, members.isEmpty { throw missing }
        return (forwarding, members)
    }

    /// The batch a repeated request made the first time: the newest of the actor's batches.
    static func batch(forwardedWith key: String, on database: any Database) async throws -> Forwarding? {
        guard let request = try await ProcessedRequest.query(on: database).filter(\.$key == key).first() else { return nil }
        return try await Forwarding.query(on: database).filter(\.$forwardedBy.$id == request.$actor.id).sort(\.$forwardedAt, .descending).first()
    }
}
