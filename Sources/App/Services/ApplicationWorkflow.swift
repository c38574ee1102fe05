import Fluent
import Foundation
import PolicyKit

/// The enterprise's operations on its applications, for the pages, the JSON API and `jigai demo` alike.
struct ApplicationWorkflow {
    let environment: ServiceEnvironment

    var changes: ApplicationChanges { ApplicationChanges(environment: environment) }

    func load(_ id: UUID?) async throws -> ApplicationContext {
        try await ApplicationContext.load(id, in: environment)
    }

    /// Asks the transition table; a refusal is thrown with every reason.
    func decide(_ action: WorkflowAction, _ context: ApplicationContext, comment: String = "") async throws -> ApplicationStatus? {
        let facts = try await context.facts(now: environment.clock(), comment: comment, for: action, on: environment.database)
        switch Workflow.decide(action, by: environment.actor.role, from: context.stored.status, facts: facts) {
        case .allowed(let status): return status
        case .refused(let problems):
            throw WorkflowError.refused(action, problems, byStatus: Workflow.transition(action, by: environment.actor.role, from: context.stored.status) == nil)
        }
    }

    /// Starts a draft in the open round, with the profile as its 情况表 and the project name the rule prescribes, and
    /// the 资料库's shared parts and common uploads already in it.
    func create(directionID: String, subDirectionID: String?) async throws -> StoredApplication {
        let (enterprise, round, spec) = try await startable(directionID: directionID, subDirectionID: subDirectionID)
        var application = PolicyKit.Application(round: round.id, programme: spec.programme.id, direction: spec.direction.id, subDirection: spec.subDirection?.id)
        application.enterprise = enterprise.profile
        application.contact = Contact(name: enterprise.contactName, mobile: enterprise.mobile)
        application.projectName = ProjectNameRules.expectedName(for: spec, application: application, round: round)
        var files: [LibraryVersion.File] = []
        if let library = try await LibraryVersion.latest(of: try enterprise.requireID(), on: environment.database) {
            try library.decodedContent().prefill(&application, round: round)
            let common = EnterpriseLibrary.commonItems(of: round)
            files = try library.decodedFiles().filter { common.contains($0.item) }
        }
        return try await start(application, enterprise: enterprise, round: round, spec: spec, files: files, comment: "发起申报：\(spec.fullName)")
    }

    /// Starts a draft as a copy of an earlier application of the enterprise's (withdrawn ones too): its content and
    /// all its uploads, reused; the commitments are to be confirmed again.
    func copy(_ source: ApplicationContext) async throws -> StoredApplication {
        let (enterprise, round, spec) = try await startable(directionID: source.stored.direction, subDirectionID: source.stored.subDirection)
        var draft = source.application
        draft.round = round.id
        draft.enterprise = enterprise.profile
        draft.contact = Contact(name: enterprise.contactName, mobile: enterprise.mobile)
        draft.commitmentAccepted = nil
        draft.attachments = []
        let fields = Set(spec.fields.map(\.id))
        draft.content = draft.content.filter { fields.contains($0.key) }
        LibraryContent(draft).prefill(&draft, round: round)
        let items = Set(round.attachments(for: spec).filter { $0.source == .upload }.map(\.id))
        let files = try await StoredAttachment.current(of: source.id, on: environment.database).filter { items.contains($0.item) }.map(LibraryVersion.File.init)
        return try await start(draft, enterprise: enterprise, round: round, spec: spec, files: files,
                               comment: "复制自\(source.stored.projectName ?? spec.fullName)（\(source.stored.status.label)）")
    }

    /// The enterprise, the open round and the direction an enterprise account may start a draft in now.
    private func startable(directionID: String, subDirectionID: String?) async throws -> (Enterprise, Round, DirectionSpec) {
        guard environment.actor.role == .enterprise, let enterpriseID = environment.actor.user.$enterprise.id,
              let enterprise = try await Enterprise.find(enterpriseID, on: environment.database) else {
            throw WorkflowError.refused(.edit, ["只有企业账号可以发起申报"], byStatus: false)
        }
        let (record, round) = try await environment.openRound()
        guard environment.clock() <= record.deadline else {
            throw WorkflowError.unavailable("申报已于 \(DateText.minute(record.deadline, timeZone: round.timeZone)) 截止，不能再发起申报")
        }
        guard let spec = round.directionSpec(directionID, subDirection: subDirectionID) else {
            throw WorkflowError.invalid("请选择申报方向（新型工业化载体须选择细分方向）", fields: [:])
        }
        return (enterprise, round, spec)
    }

    /// Stores the new draft with its reused files, its first event, revision and audit entry in one transaction.
    private func start(_ draft: PolicyKit.Application, enterprise: Enterprise, round: Round, spec: DirectionSpec,
                       files: [LibraryVersion.File], comment: String) async throws -> StoredApplication {
        // Read as the open round reads a draft: a value an earlier round or version allowed and this one does not is left out.
        let json = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(draft))
        guard var application = ApplicationReader.readLeniently(json, round: round).application else {
            throw WorkflowError.invalid("无法按本批次的要求读取这份申报", fields: [:])
        }
        let id = UUID()
        let (rows, references) = EnterpriseLibrary.reattach(files, to: id, by: environment.actor.id)
        application.attachments = references
        let stored = try StoredApplication(enterpriseID: try enterprise.requireID(), application: application)
        stored.id = id
        try stored.refresh(with: application, round: round, engine: environment.engine(for: round),
                           blacklist: try await BlacklistEntry.blacklist(for: enterprise.creditCode, on: environment.database))
        let environment = environment
        try await environment.database.transaction { database in
            try await stored.create(on: database)
            for row in rows { try await row.create(on: database) }
            try await ApplicationEvent(applicationID: id, actorID: environment.actor.id, from: nil, to: .draft, comment: comment)
                .create(on: database)
            try await ApplicationChanges.keepRevision(stored, savedBy: environment.actor.id, on: database)
            let reused = rows.isEmpty ? "" : "，沿用 \(rows.count) 个附件"
            try await environment.audit(.applicationCreated, on: database, objectType: "申报", objectID: id.uuidString, after: spec.fullName + reused)
        }
        return stored
    }

    struct Saved: Equatable {
        var revision: Int
        /// Another writer's changes to other fields were kept alongside this one's.
        var merged: Bool
    }

    /// Stores `application` as the draft. The 情况表 part always comes from the profile, and the attachments from the
    /// uploads, whatever the caller sent. `basedOn` is the revision the caller read: if someone wrote since, the two
    /// edits are merged field by field, and if both changed a field the save is refused with what conflicts.
    func save(_ context: ApplicationContext, _ application: PolicyKit.Application, basedOn: Int?) async throws -> Saved {
        _ = try await decide(.edit, context)
        let round = context.round
        let engine = environment.engine(for: round)
        let (profile, contact, blacklist) = (context.enterprise.profile, Contact(name: context.enterprise.contactName, mobile: context.enterprise.mobile),
                                             context.blacklist)
        let (stored, merged) = try await changes.rewrite(context.id) { current, database in
            try Self.requireEditable(current)
            let now = try current.application(round: round)
            var document = application
            document.round = now.round
            document.enterprise = profile
            document.contact = contact
            document.attachments = now.attachments
            var merged = false
            if let basedOn, basedOn != current.revision {
                document = try await Self.merge(document, basedOn: basedOn, into: current, round: round, on: database)
                merged = true
            }
            try current.refresh(with: document, round: round, engine: engine, blacklist: blacklist)
            return merged
        }
        try await EnterpriseLibrary.record(stored, round: round, environment: environment)
        return Saved(revision: stored.revision, merged: merged)
    }

    /// Fills an importable table from a sheet (a file's rows or cells pasted from Excel), replacing its rows or adding
    /// to them, and saves like any edit. A sheet with a bad row is refused whole, every bad line named.
    func importTable(_ context: ApplicationContext, field id: String, sheet: [(line: Int, cells: [String])], append: Bool,
                     basedOn: Int?) async throws -> (saved: Saved, rows: Int) {
        guard let field = context.spec.fields.first(where: { $0.id == id && $0.type == .table && $0.importable == true }) else {
            throw WorkflowError.notFound("本申报没有可导入的表格“\(id)”")
        }
        let imported = TableImport.read(sheet, into: field, round: context.round)
        guard imported.problems.isEmpty else {
            throw WorkflowError.lines("有 \(imported.problems.count) 行有误，未导入任何一行。请在表格中修改后重新导入：", imported.problems)
        }
        var application = context.application
        let kept = append ? application.content[id]?.rows ?? [] : []
        application.content[id] = .rows(kept + imported.rows)
        return (try await save(context, application, basedOn: basedOn), imported.rows.count)
    }

    /// The status may have changed since the caller read it (a submission from another tab).
    static func requireEditable(_ current: StoredApplication) throws {
        guard current.status.isEditableByEnterprise else {
            throw WorkflowError.refused(.edit, ["当前状态为“\(current.status.label)”，不能\(WorkflowAction.edit.label)"], byStatus: true)
        }
    }

    /// Three-way merge of the caller's document with the current one, from the revision the caller started at.
    static func merge(_ mine: PolicyKit.Application, basedOn: Int, into current: StoredApplication, round: Round,
                      on database: any Database) async throws -> PolicyKit.Application {
        let id = try current.requireID()
        guard let base = try await ApplicationRevision.query(on: database).filter(\.$application.$id == id).filter(\.$revision == basedOn).first() else {
            throw WorkflowError.staleRevision(try await ApplicationChanges.conflict(id, on: database))
        }
        let decoder = JSONDecoder()
        let encoder = JSONEncoder()
        let baseValue = try decoder.decode(JSONValue.self, from: Data(base.document.utf8))
        let theirs = try decoder.decode(JSONValue.self, from: Data(current.document.utf8))
        let myValue = try decoder.decode(JSONValue.self, from: encoder.encode(mine))
        switch DocumentMerge.merge(base: baseValue, theirs: theirs, mine: myValue) {
        case .merged(let value):
            return try ApplicationReader.read(try encoder.encode(value), round: round)
        case .conflicts(let paths):
            throw WorkflowError.staleRevision(try await ApplicationChanges.conflict(id, fields: paths, on: database))
        }
    }

    /// Submits when the transition table allows it; a version of the document and its files is kept with the change.
    @discardableResult
    func submit(_ context: ApplicationContext, requestKey: String?) async throws -> ApplicationChanges.Outcome {
        if try await changes.alreadyDone(requestKey, .submit) { return .repeated }
        let resubmission = context.stored.status == .returned
        let target = try await decide(.submit, context)
        let stored = context.stored
        stored.submittedAt = environment.clock()
        try stored.refresh(with: context.application, round: context.round, engine: environment.engine(for: context.round), blacklist: context.blacklist)
        let applicationID = context.id
        let files = try await StoredAttachment.current(of: applicationID, on: environment.database)
        let actorID = environment.actor.id
        let document = stored.document
        let outcome = try await changes.commit([stored], action: .submit, to: target, comment: resubmission ? "修改后重新提交" : nil, requestKey: requestKey) { database in
            let number = try await ApplicationVersion.query(on: database).filter(\.$application.$id == applicationID).count() + 1
            try await ApplicationVersion(applicationID: applicationID, number: number, document: document, files: files, submittedBy: actorID)
                .create(on: database)
        }
        // Submitted, its common uploads are complete: the 资料库 keeps them for the next application.
        try await EnterpriseLibrary.record(stored, round: context.round, environment: environment)
        return outcome
    }

    /// 撤回 before the city has started: the application is the enterprise's to change again; the submitted version stays.
    @discardableResult
    func withdraw(_ context: ApplicationContext, reason: String?, requestKey: String?) async throws -> ApplicationChanges.Outcome {
        if try await changes.alreadyDone(requestKey, .withdraw) { return .repeated }
        let reason = Self.text(reason)
        let target = try await decide(.withdraw, context, comment: reason)
        return try await changes.commit([context.stored], action: .withdraw, to: target, comment: reason.isEmpty ? "企业撤回" : "企业撤回：\(reason)",
                                        requestKey: requestKey)
    }

    /// 申请撤回 once the city has started; the city grants or refuses it.
    @discardableResult
    func requestWithdrawal(_ context: ApplicationContext, reason: String?, requestKey: String?) async throws -> ApplicationChanges.Outcome {
        if try await changes.alreadyDone(requestKey, .requestWithdrawal) { return .repeated }
        let reason = Self.text(reason)
        let target = try await decide(.requestWithdrawal, context, comment: reason)
        return try await changes.commit([context.stored], action: .requestWithdrawal, to: target, comment: "申请撤回：\(reason)", requestKey: requestKey)
    }

    /// Text as entered, trimmed and bounded.
    static func text(_ text: String?, limit: Int = 2000) -> String {
        String((text ?? "").trimmingCharacters(in: .whitespacesAndNewlines).prefix(limit))
    }
}
