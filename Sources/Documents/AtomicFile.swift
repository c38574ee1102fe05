import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a file next to its destination and renames it into place, so nobody ever reads half a file.
enum AtomicFile {
    /// `produce` receives the temporary path to write to; libxlsxwriter 1.1.4 can only write to a path.
    static func write(to destination: URL, _ produce: (String) throws -> Void) throws {
        let temporary = destination.deletingLastPathComponent()
            .appendingPathComponent(".\(destination.lastPathComponent).\(UUID().uuidString).tmp")
        do {
            try produce(temporary.path)
            guard rename(temporary.path, destination.path) == 0 else {
                throw DocumentError.fileSystem("无法写入 \(destination.path)（\(String(cString: strerror(errno)))）")
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }
}
