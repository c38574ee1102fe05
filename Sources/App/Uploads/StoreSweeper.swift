import Fluent
import Foundation
import SQLKit
import Vapor

/// When the server starts, removes what an interrupted upload leaves behind: a file in `incoming/`, or a stored file
/// whose row was never committed (the file is moved into the store just before the row is written).
/// On PostgreSQL other instances may be uploading into a shared store, so only files older than an hour go.
struct StoreSweeper: LifecycleHandler {
    static let gracePeriod: TimeInterval = 3600

    func didBootAsync(_ app: Vapor.Application) async throws {
        guard app.environment.arguments.dropFirst().first == "serve" else { return }
        let removed = try await Self.sweep(app)
        if removed > 0 { app.logger.notice("启动时清理了 \(removed) 个未完成上传留下的附件文件") }
    }

    static func sweep(_ app: Vapor.Application) async throws -> Int {
        let store = app.settings.attachments
        let cutoff = app.settings.databaseKind == .sqlite ? Date.distantFuture : Date().addingTimeInterval(-gracePeriod)
        guard let sql = app.db as? any SQLDatabase else { return 0 }
        let referenced = Set(try await AttachmentStore.referencedHashes(on: sql))
        let manager = FileManager.default
        var removed = 0
        for folder in (try? manager.contentsOfDirectory(atPath: store.directory.path)) ?? [] {
            let folderURL = store.directory.appendingPathComponent(folder, isDirectory: true)
            for name in (try? manager.contentsOfDirectory(atPath: folderURL.path)) ?? [] where folder == "incoming" || !referenced.contains(name) {
                let file = folderURL.appendingPathComponent(name)
                let modified = (try? manager.attributesOfItem(atPath: file.path)[.modificationDate] as? Date) ?? Date()
                if modified < cutoff, (try? manager.removeItem(at: file)) != nil { removed += 1 }
            }
        }
        return removed
    }
}
