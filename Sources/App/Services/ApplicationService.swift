import Fluent
import Foundation
import PolicyKit
import Vapor

/// The enterprise's operations on its applications, shared by the pages and the JSON API.
struct ApplicationService {
    let req: Request

    /// Starts a draft in the open round, with the profile as its 情况表 and the project name the rule prescribes.
    func create(directionID: String, subDirectionID: String?) async throws -> StoredApplication {
        let current = try req.auth.require(CurrentUser.self)
        let enterprise = try await req.currentEnterprise()
        let (record, round) = try await req.openRound()
        guard Date() <= record.deadline else {
            throw Abort(.conflict, reason: "申报已于 \(DateText.minute(record.deadline, timeZone: round.timeZone)) 截止，不能再发起申报")
        }
        guard let spec = round.directionSpec(directionID, subDirection: subDirectionID) else {
            throw Abort(.unprocessableEntity, reason: "请选择申报方向（新型工业化载体须选择细分方向）")
        }
        var application = PolicyKit.Application(round: round.id, programme: spec.programme.id, direction: spec.direction.id, subDirection: spec.subDirection?.id)
        application.enterprise = enterprise.profile
        application.contact = Contact(name: enterprise.contactName, mobile: enterprise.mobile)
        application.projectName = ProjectNameRules.expectedName(for: spec, application: application, round: round)
        let stored = try StoredApplication(enterpriseID: try enterprise.requireID(), application: application)
        try stored.refresh(with: application, round: round, engine: req.engine(for: round),
                           blacklist: try await BlacklistEntry.blacklist(for: enterprise.creditCode, on: req.db))
        try await req.db.transaction { database in
            try await stored.create(on: database)
            try await ApplicationEvent(applicationID: try stored.requireID(), actorID: try current.user.requireID(), from: nil, to: .draft,
                                       comment: "发起申报：\(spec.fullName)").create(on: database)
        }
        try await req.audit(.applicationCreated, objectType: "申报", objectID: try stored.requireID().uuidString, after: spec.fullName)
        return stored
    }

    /// Stores a new version of a draft. The 情况表 part always comes from the profile, and the attachments from
    /// the uploads, whatever the caller sent.
    func save(_ context: ApplicationContext, _ application: PolicyKit.Application) async throws {
        guard context.stored.status.isEditableByEnterprise else {
            throw Abort(.conflict, reason: "申报状态为“\(context.stored.status.label)”，不能修改")
        }
        var document = application
        document.round = context.application.round
        document.enterprise = context.enterprise.profile
        document.contact = Contact(name: context.enterprise.contactName, mobile: context.enterprise.mobile)
        document.attachments = context.application.attachments
        try context.stored.refresh(with: document, round: context.round, engine: req.engine(for: context.round), blacklist: context.blacklist)
        try await context.stored.save(on: req.db)
    }

    /// Submits when nothing stands in the way; otherwise returns every reason and changes nothing.
    func submit(_ context: ApplicationContext) async throws -> [String] {
        let problems = SubmissionRules.problems(status: context.stored.status, verdict: context.verdict, deadline: context.deadline, now: Date(), timeZone: context.round.timeZone)
        guard problems.isEmpty else { return problems }
        let resubmission = context.stored.status == .returned
        context.stored.submittedAt = Date()
        try context.stored.refresh(with: context.application, round: context.round, engine: req.engine(for: context.round), blacklist: context.blacklist)
        let applicationID = try context.stored.requireID()
        let files = try await StoredAttachment.current(of: applicationID, on: req.db)
        let actorID = try req.auth.require(CurrentUser.self).user.requireID()
        let document = context.stored.document
        try await transition([context.stored], to: .submitted, comment: resubmission ? "修改后重新提交" : nil) { database in
            let number = try await ApplicationVersion.query(on: database).filter(\.$application.$id == applicationID).count() + 1
            try await ApplicationVersion(applicationID: applicationID, number: number, document: document, files: files, submittedBy: actorID)
                .create(on: database)
        }
        return []
    }

    func withdraw(_ context: ApplicationContext, reason: String?) async throws {
        guard context.stored.status.isWithdrawable else {
            throw Abort(.conflict, reason: "申报状态为“\(context.stored.status.label)”，不能撤回")
        }
        let comment = reason?.trimmingCharacters(in: .whitespacesAndNewlines).prefix(500)
        try await transition([context.stored], to: .withdrawn, comment: comment.flatMap { $0.isEmpty ? nil : String($0) })
    }

    /// Moves applications to `status` by the signed-in user: saves them and writes who, when, from, to and the comment
    /// into each history in one transaction (after `alongside`, for what must be stored with them), then audits each change.
    func transition(_ applications: [StoredApplication], to status: ApplicationStatus, comment: String?,
                    alongside: @escaping @Sendable (any Database) async throws -> Void = { _ in }) async throws {
        let actorID = try req.auth.require(CurrentUser.self).user.requireID()
        let changes = applications.map { ($0, $0.status) }
        try await req.db.transaction { database in
            try await alongside(database)
            for (application, from) in changes {
                application.status = status
                try await application.save(on: database)
                try await ApplicationEvent(applicationID: try application.requireID(), actorID: actorID, from: from, to: status, comment: comment).create(on: database)
            }
        }
        for (application, from) in changes {
            try await req.audit(.statusChanged, objectType: "申报", objectID: try application.requireID().uuidString, before: from.label, after: status.label)
        }
    }
}
