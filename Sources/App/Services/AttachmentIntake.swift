import Fluent
import Foundation
import PolicyKit
import Vapor

/// Files an upload, already received to disk, to an application's checklist item after checking it; removes one.
struct AttachmentIntake {
    let environment: ServiceEnvironment

    /// A refused upload, with the status the pages and the API answer with and a Chinese message.
    struct Refused: AbortError {
        var status: HTTPResponseStatus
        var message: String
        var reason: String { message }
    }

    var changes: ApplicationChanges { ApplicationChanges(environment: environment) }

    /// The checklist item `item` of the application if the enterprise may upload to it now.
    func item(_ item: String, of context: ApplicationContext) throws -> AttachmentSpec {
        guard context.stored.status.isEditableByEnterprise, environment.actor.role == .enterprise else {
            throw Refused(status: .conflict, message: "申报状态为“\(context.stored.status.label)”，不能再上传附件")
        }
        guard let spec = context.round.attachments(for: context.spec).first(where: { $0.id == item && $0.source == .upload }) else {
            throw Refused(status: .notFound, message: "附件清单中没有这一项")
        }
        return spec
    }

    /// Checks the file by its content (PDFs fully decoded in a child process under limits) and files it with the document.
    func accept(_ receiver: AttachmentStore.Receiver, fileName: String, for item: AttachmentSpec, context: ApplicationContext) async throws -> StoredAttachment {
        let sha256 = try receiver.finish()
        let checked = UploadChecks.problem(prefix: receiver.prefix, declaredName: fileName)
        if let message = checked.message { throw Refused(status: .unsupportedMediaType, message: message) }
        guard let kind = checked.kind else { throw Refused(status: .unsupportedMediaType, message: "文件类型不支持") }
        var pages: Int?
        if kind == .pdf {
            do {
                pages = try await PDFInspector.pageCount(of: receiver.temporary, size: receiver.size)
            } catch PDFInspector.Failure.expandsTooMuch(let limit) {
                throw Refused(status: .unprocessableEntity, message: "“\(fileName)”解压后超过 \(limit / 1024 / 1024) MB，不像正常的扫描件（疑似压缩炸弹），请重新导出后上传")
            } catch {
                throw Refused(status: .unprocessableEntity, message: "“\(fileName)”不是可读取的 PDF 文件（已损坏、加密或结构异常），请重新导出后上传")
            }
        }
        let applicationID = context.id
        let existing = try await StoredAttachment.current(of: applicationID, on: environment.database)
        let limit = environment.settings.uploads.maximumApplicationBytes
        if existing.reduce(receiver.size, { $0 + $1.size }) > limit {
            throw Refused(status: .payloadTooLarge, message: "本申报的附件合计超过 \(limit / 1024 / 1024) MB 的上限")
        }
        try environment.settings.attachments.keep(receiver, sha256: sha256)
        let attachment = StoredAttachment(applicationID: applicationID, item: item.id, sha256: sha256, size: receiver.size, kind: kind,
                                          pageCount: pages, originalName: fileName.isEmpty ? item.title : fileName, uploadedBy: environment.actor.id)
        attachment.id = UUID()
        let reference = AttachmentRef(item: item.id, file: attachment.id!.uuidString)
        try await edit(context, audit: .init(action: .attachmentUploaded, objectID: applicationID.uuidString, after: "\(item.id) \(sha256)"),
                       change: { $0.attachments.append(reference) }, storing: { try await attachment.create(on: $0) })
        try await keepInLibrary(item.id, context)
        return attachment
    }

    /// The first upload of a common item (营业执照, accounts, 信用) goes into the 资料库 at once, so that the next
    /// application has it even before this one is saved or submitted; later replacements follow with the next save.
    private func keepInLibrary(_ item: String, _ context: ApplicationContext) async throws {
        guard EnterpriseLibrary.commonItems(of: context.round).contains(item) else { return }
        let latest = try await LibraryVersion.latest(of: context.stored.$enterprise.id, on: environment.database)
        guard try latest?.decodedFiles().contains(where: { $0.item == item }) != true,
              let stored = try await StoredApplication.find(context.id, on: environment.database) else { return }
        try await EnterpriseLibrary.record(stored, round: context.round, environment: environment)
    }

    /// Applies `change` to the application's document as it is when the row is held (another tab may have saved since
    /// the upload began), with the 情况表 from the profile as every draft shows it, and stores the file's row with it.
    func edit(_ context: ApplicationContext, audit: ApplicationChanges.AuditEntry, change: @escaping @Sendable (inout PolicyKit.Application) -> Void,
              storing file: @escaping @Sendable (any Database) async throws -> Void) async throws {
        let engine = environment.engine(for: context.round)
        let (round, profile, blacklist) = (context.round, context.enterprise.profile, context.blacklist)
        let contact = Contact(name: context.enterprise.contactName, mobile: context.enterprise.mobile)
        try await changes.rewrite(context.id, audits: [audit], alongside: file) { current, _ in
            try ApplicationWorkflow.requireEditable(current)
            var application = try current.application(round: round)
            application.enterprise = profile
            application.contact = contact
            change(&application)
            try current.refresh(with: application, round: round, engine: engine, blacklist: blacklist)
        }
    }

    /// A current file of the application.
    func attachment(_ id: UUID?, of context: ApplicationContext) async throws -> StoredAttachment {
        guard let id, let attachment = try await StoredAttachment.query(on: environment.database)
            .filter(\.$id == id).filter(\.$application.$id == context.id).filter(\.$removedAt == nil).first() else {
            throw WorkflowError.notFound("附件不存在或您无权查看")
        }
        return attachment
    }

    func remove(_ id: UUID?, from context: ApplicationContext) async throws {
        let attachment = try await attachment(id, of: context)
        guard environment.actor.role == .enterprise, context.stored.status.isEditableByEnterprise else {
            throw WorkflowError.refused(.edit, ["申报状态为“\(context.stored.status.label)”，不能删除附件"], byStatus: true)
        }
        let fileID = try attachment.requireID().uuidString
        attachment.removedAt = environment.clock()
        try await edit(context, audit: .init(action: .attachmentRemoved, objectID: context.id.uuidString, before: "\(attachment.item) \(attachment.sha256)"),
                       change: { $0.attachments.removeAll { $0.file == fileID } }, storing: { try await attachment.save(on: $0) })
    }
}
