import Fluent
import Foundation
import SQLKit
import Vapor

/// When the server starts, removes what an interrupted upload leaves behind: a file in `incoming/`, or a stored file
/// whose row was never committed (the file is moved into the store just before the row is written); and what an
/// interrupted 申请报告 leaves: a job still marked as building, and partial or unclaimed files under `reports/`.
/// On PostgreSQL other instances may be uploading into a shared store, so only files older than an hour go.
struct StoreSweeper: LifecycleHandler {
    static let gracePeriod: TimeInterval = 3600

    func didBootAsync(_ app: Vapor.Application) async throws {
        guard app.environment.arguments.dropFirst().first == "serve" else { return }
        let removed = try await Self.sweep(app)
        if removed > 0 { app.logger.notice("启动时清理了 \(removed) 个未完成上传留下的附件文件") }
        let (jobs, files) = try await Self.sweepReports(app)
        if jobs + files > 0 { app.logger.notice("启动时结束了 \(jobs) 个中断的申请报告任务，清理了 \(files) 个报告临时文件") }
    }

    /// On SQLite this server is the only one, so every job still building was interrupted; on PostgreSQL only those
    /// past the wall-clock limit are (another instance may be building the rest).
    static func sweepReports(_ app: Vapor.Application) async throws -> (jobs: Int, files: Int) {
        let single = app.settings.databaseKind == .sqlite
        let building = try await ReportJob.query(on: app.db).filter(\.$status == .building).all()
        var interrupted = 0
        for job in building where single || job.wasInterrupted(limitSeconds: app.settings.reports.seconds) {
            try await job.markInterrupted(on: app.db)
            interrupted += 1
        }
        let kept = Set(try await ReportJob.query(on: app.db).filter(\.$status == .done).all().compactMap { job in
            job.id.map { ReportBuilder.file(for: $0, settings: app.settings).lastPathComponent }
        })
        let cutoff = single ? Date.distantFuture : Date().addingTimeInterval(-gracePeriod)
        return (interrupted, removeFiles(in: ReportBuilder.folder(app.settings), modifiedBefore: cutoff) { !kept.contains($0) })
    }

    static func sweep(_ app: Vapor.Application) async throws -> Int {
        let store = app.settings.attachments
        let cutoff = app.settings.databaseKind == .sqlite ? Date.distantFuture : Date().addingTimeInterval(-gracePeriod)
        guard let sql = app.db as? any SQLDatabase else { return 0 }
        let referenced = Set(try await AttachmentStore.referencedHashes(on: sql))
        let manager = FileManager.default
        var removed = 0
        for folder in (try? manager.contentsOfDirectory(atPath: store.directory.path)) ?? [] {
            removed += removeFiles(in: store.directory.appendingPathComponent(folder, isDirectory: true), modifiedBefore: cutoff) { name in
                folder == "incoming" || !referenced.contains(name)
            }
        }
        return removed
    }

    /// Removes the files of one folder that `unwanted` names and that were last written before the cutoff; returns how many.
    static func removeFiles(in folder: URL, modifiedBefore cutoff: Date, where unwanted: (String) -> Bool) -> Int {
        let manager = FileManager.default
        var removed = 0
        for name in (try? manager.contentsOfDirectory(atPath: folder.path)) ?? [] where unwanted(name) {
            let file = folder.appendingPathComponent(name)
            let modified = (try? manager.attributesOfItem(atPath: file.path)[.modificationDate] as? Date) ?? Date()
            if modified < cutoff, (try? manager.removeItem(at: file)) != nil { removed += 1 }
        }
        return removed
    }
}
