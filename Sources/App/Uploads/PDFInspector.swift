import Foundation
import Spawn

/// Reads an uploaded PDF in child processes under CPU, memory and wall-clock limits: PDF parsers have a long
/// history of crashes and hangs on crafted files, and the server must survive them.
enum PDFInspector {
    enum Failure: Error {
        case unreadable
        case timedOut
        /// The streams inflate far beyond what a scan needs: a decompression bomb, which would exhaust whatever reads it later.
        case expandsTooMuch(limitBytes: Int64)
    }

    static let memoryLimitBytes = 512 * 1024 * 1024
    static let cpuSeconds = 10
    static let wallClockSeconds = 15.0

    /// Flate-compressed scans inflate a few times over; bombs inflate a thousand times.
    static func expansionLimit(forFileSize size: Int64) -> Int64 {
        max(64 * 1024 * 1024, 40 * size)
    }

    /// The number of pages once the whole file has been read with its streams decoded (which also walks the page tree,
    /// so a looping one is refused); `unreadable` when the file is broken or hostile.
    static func pageCount(of file: URL, size: Int64) async throws -> Int {
        let limit = expansionLimit(forFileSize: size)
        let decoded = try await run(["--decode-level=generalized", "--stream-data=uncompress", "--compress-streams=n", file.path, "-"], outputLimit: limit)
        guard decoded.outputBytes <= limit else { throw Failure.expandsTooMuch(limitBytes: limit) }
        guard decoded.exitCode == 0 || decoded.exitCode == 3 else { throw Failure.unreadable }
        let counted = try await run(["--show-npages", file.path], outputLimit: 1024)
        // qpdf exits 3 when it recovered from damage with warnings; the page count it prints is still right.
        guard let code = counted.exitCode, [0, 3].contains(code),
              let pages = Int(counted.text.trimmingCharacters(in: .whitespacesAndNewlines)), pages > 0 else {
            throw Failure.unreadable
        }
        return pages
    }

    /// Runs qpdf; once its output passes `outputLimit` bytes it is killed, and the byte count says so.
    private static func run(_ arguments: [String], outputLimit: Int64) async throws -> ChildProcess.Outcome {
        let outcome = try await ChildProcess.run("/usr/bin/prlimit", ["--as=\(memoryLimitBytes)", "--cpu=\(cpuSeconds)", "--", "/usr/bin/qpdf"] + arguments,
                                                 errors: .discard, keepOutputBytes: 1024, killAfterOutputBytes: outputLimit, timeout: wallClockSeconds)
        if outcome.timedOut || (outcome.exitCode == nil && outcome.outputBytes <= outputLimit) { throw Failure.timedOut }
        return outcome
    }
}
