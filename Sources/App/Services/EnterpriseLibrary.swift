import Fluent
import Foundation
import PolicyKit

/// 资料库: the shared parts of an enterprise's applications (正文（一）, 绩效目标表, the five common uploads), kept once
/// and versioned, and put into every application it starts; and an application started as a copy of an earlier one.
enum EnterpriseLibrary {
    /// Edits to one application within this long of the newest version amend it, so that typing does not add a
    /// version a minute; an edit from another application, or later, adds one.
    static let amendWindow: TimeInterval = 3600

    /// The items every direction asks to upload (营业执照, three years' accounts, 信用 proof).
    static func commonItems(of round: Round) -> Set<String> {
        Set(round.generalAttachments.filter { $0.source == .upload }.map(\.id))
    }

    /// Keeps the application's shared parts after the enterprise saved its form, submitted, or first uploaded a common
    /// item. The library is derived from the applications, so it is written after, not inside, their transactions, and
    /// not on every upload: measured with `Benchmarks/reliability.py` (200 concurrent submissions on SQLite), a library
    /// write per upload cut the submissions answered in the first minute from 9–14 to 1.
    static func record(_ stored: StoredApplication, round: Round, environment: ServiceEnvironment) async throws {
        guard environment.actor.role == .enterprise else { return }
        let database = environment.database
        let (savedBy, now) = (environment.actor.id, environment.clock())
        let content = LibraryContent(try stored.application(round: round))
        let common = commonItems(of: round)
        let files = try await StoredAttachment.current(of: try stored.requireID(), on: database).filter { common.contains($0.item) }
            .map(LibraryVersion.File.init).sorted { ($0.item, $0.sha256) < ($1.item, $1.sha256) }
        guard !content.isEmpty || !files.isEmpty else { return }
        let candidate = try LibraryVersion(enterpriseID: stored.$enterprise.id, content: content, files: files,
                                           sourceApplicationID: stored.id, savedAt: now, savedBy: savedBy)
        guard let latest = try await LibraryVersion.latest(of: stored.$enterprise.id, on: database) else {
            try await candidate.create(on: database)
            return
        }
        if latest.content == candidate.content && latest.files == candidate.files { return }
        if latest.sourceApplicationID == stored.id, now.timeIntervalSince(latest.savedAt) < amendWindow {
            latest.content = candidate.content
            latest.files = candidate.files
            latest.savedAt = now
            try await latest.save(on: database)
        } else {
            try await candidate.create(on: database)
        }
    }

    /// New rows for the same stored bytes, attached to `applicationID` as reused; the document refers to them.
    static func reattach(_ files: [LibraryVersion.File], to applicationID: UUID, by user: UUID) -> ([StoredAttachment], [AttachmentRef]) {
        let rows = files.map { file in
            let row = StoredAttachment(applicationID: applicationID, item: file.item, sha256: file.sha256, size: file.size, kind: file.kind,
                                       pageCount: file.pageCount, originalName: file.originalName, uploadedBy: user)
            row.id = UUID()
            row.reused = true
            return row
        }
        return (rows, rows.map { AttachmentRef(item: $0.item, file: $0.id!.uuidString) })
    }
}

extension LibraryVersion.File {
    init(_ attachment: StoredAttachment) {
        self.init(item: attachment.item, sha256: attachment.sha256, size: attachment.size, kind: attachment.kind,
                  pageCount: attachment.pageCount, originalName: attachment.originalName)
    }
}
