import Foundation

/// Reads an uploaded PDF in a child process under CPU, memory and wall-clock limits: PDF parsers have a long
/// history of crashes and hangs on crafted files, and the server must survive them.
enum PDFInspector {
    enum Failure: Error {
        case unreadable
        case timedOut
    }

    static let memoryLimitBytes = 512 * 1024 * 1024
    static let cpuSeconds = 10
    static let wallClockSeconds = 15.0

    /// The number of pages, or `unreadable` when the file is broken or hostile.
    static func pageCount(of file: URL) async throws -> Int {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try run(file) })
            }
        }
    }

    private static func run(_ file: URL) throws -> Int {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/prlimit")
        process.arguments = ["--as=\(memoryLimitBytes)", "--cpu=\(cpuSeconds)", "--", "/usr/bin/qpdf", "--show-npages", file.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        try process.run()
        let deadline = DispatchTime.now() + wallClockSeconds
        if finished.wait(timeout: deadline) == .timedOut {
            process.terminate()
            kill(process.processIdentifier, SIGKILL)
            throw Failure.timedOut
        }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        // qpdf exits 3 when it recovered from damage with warnings; the page count it prints is still right.
        guard [0, 3].contains(process.terminationStatus), let pages = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)), pages > 0 else {
            throw Failure.unreadable
        }
        return pages
    }
}
