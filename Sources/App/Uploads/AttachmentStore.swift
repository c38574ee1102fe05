import Crypto
import Foundation
import SQLKit
import NIOCore
import Vapor

/// Uploaded files on disk, named by their SHA-256, outside any served folder. The same bytes are stored once.
struct AttachmentStore: Sendable {
    let directory: URL

    func url(for sha256: String) -> URL {
        directory.appendingPathComponent(String(sha256.prefix(2)), isDirectory: true).appendingPathComponent(sha256)
    }

    /// A file being received: bytes go to a temporary file as they arrive while the hash and size are kept.
    final class Receiver {
        let temporary: URL
        private let handle: FileHandle
        private var hasher = SHA256()
        private(set) var size: Int64 = 0
        /// The first bytes, enough to tell the type and read image dimensions.
        private(set) var prefix: [UInt8] = []
        static let prefixLength = 64 * 1024

        init(directory: URL) throws {
            let incoming = directory.appendingPathComponent("incoming", isDirectory: true)
            try FileManager.default.createDirectory(at: incoming, withIntermediateDirectories: true)
            temporary = incoming.appendingPathComponent(UUID().uuidString)
            guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
                throw Abort(.internalServerError, reason: "无法保存上传的文件")
            }
            handle = try FileHandle(forWritingTo: temporary)
        }

        func append(_ buffer: ByteBuffer) throws {
            buffer.withUnsafeReadableBytes { bytes in
                hasher.update(bufferPointer: bytes)
                if prefix.count < Self.prefixLength {
                    prefix.append(contentsOf: bytes.prefix(Self.prefixLength - prefix.count))
                }
            }
            size += Int64(buffer.readableBytes)
            try handle.write(contentsOf: Data(buffer.readableBytesView))
        }

        func finish() throws -> String {
            try handle.close()
            return hasher.finalize().map { String(format: "%02x", $0) }.joined()
        }

        func discard() {
            try? handle.close()
            try? FileManager.default.removeItem(at: temporary)
        }
    }

    func receiver() throws -> Receiver {
        try Receiver(directory: directory)
    }

    /// Stores bytes already in memory (demo data); returns their SHA-256.
    func store(_ data: Data) throws -> String {
        let sha256 = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        let destination = url(for: sha256)
        try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
        if !FileManager.default.fileExists(atPath: destination.path) {
            try data.write(to: destination, options: .atomic)
        }
        return sha256
    }

    /// Moves a received file to its place; if the same content is already stored, the copy is dropped.
    func keep(_ receiver: Receiver, sha256: String) throws {
        let destination = url(for: sha256)
        try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
        if FileManager.default.fileExists(atPath: destination.path) {
            try FileManager.default.removeItem(at: receiver.temporary)
        } else {
            try FileManager.default.moveItem(at: receiver.temporary, to: destination)
        }
    }
}

extension AttachmentStore {
    /// Every stored file a row refers to — uploads and 现场核查 photos — sorted; what backups keep and the sweeper spares.
    static func referencedHashes(on sql: any SQLDatabase) async throws -> [String] {
        try await sql.raw("SELECT sha256 FROM attachments UNION SELECT sha256 FROM inspection_photos ORDER BY sha256").all()
            .map { try $0.decode(column: "sha256", as: String.self) }
    }
}
