import Foundation

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
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result {
                    let limit = expansionLimit(forFileSize: size)
                    let decoded = try run(["--decode-level=generalized", "--stream-data=uncompress", "--compress-streams=n", file.path, "-"], outputLimit: limit)
                    guard decoded.outputBytes <= limit else { throw Failure.expandsTooMuch(limitBytes: limit) }
                    guard decoded.status == 0 || decoded.status == 3 else { throw Failure.unreadable }
                    let counted = try run(["--show-npages", file.path], outputLimit: 1024)
                    // qpdf exits 3 when it recovered from damage with warnings; the page count it prints is still right.
                    guard [0, 3].contains(counted.status), let pages = Int(String(decoding: counted.output, as: UTF8.self)
                        .trimmingCharacters(in: .whitespacesAndNewlines)), pages > 0 else {
                        throw Failure.unreadable
                    }
                    return pages
                })
            }
        }
    }

    struct Outcome {
        var status: Int32
        /// At most the first KB of standard output.
        var output: Data
        var outputBytes: Int64
    }

    /// Runs qpdf; once its output passes `outputLimit` bytes it is killed and the count says so.
    private static func run(_ arguments: [String], outputLimit: Int64) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/prlimit")
        process.arguments = ["--as=\(memoryLimitBytes)", "--cpu=\(cpuSeconds)", "--", "/usr/bin/qpdf"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        try process.run()
        let watchdog = DispatchWorkItem {
            kill(process.processIdentifier, SIGKILL)
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + wallClockSeconds, execute: watchdog)
        var kept = Data()
        var count: Int64 = 0
        while let chunk = try output.fileHandleForReading.read(upToCount: 1 << 16), !chunk.isEmpty {
            count += Int64(chunk.count)
            if kept.count < 1024 { kept.append(chunk.prefix(1024 - kept.count)) }
            if count > outputLimit {
                kill(process.processIdentifier, SIGKILL)
                break
            }
        }
        finished.wait()
        watchdog.cancel()
        if process.terminationReason == .uncaughtSignal, count <= outputLimit {
            throw Failure.timedOut
        }
        return Outcome(status: process.terminationStatus, output: kept, outputBytes: count)
    }
}
