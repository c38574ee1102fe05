import Foundation

/// Runs the command-line tools that read generated files back (qpdf, poppler-utils, unzip), as a reader of the file would.
enum ExternalTool {
    struct Result {
        var status: Int32
        var output: String
        var errors: String
        var data: Data
    }

    static func run(_ tool: String, _ arguments: [String]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            output: String(decoding: outputData, as: UTF8.self),
            errors: String(decoding: errorData, as: UTF8.self),
            data: outputData
        )
    }
}

/// A folder for one test's files. Set DOCUMENTS_TEST_OUTPUT to keep them in that folder for inspection.
struct OutputFolder {
    let url: URL

    init(_ name: String) throws {
        if let kept = ProcessInfo.processInfo.environment["DOCUMENTS_TEST_OUTPUT"] {
            url = URL(fileURLWithPath: kept).appendingPathComponent(name)
        } else {
            url = FileManager.default.temporaryDirectory.appendingPathComponent("jigai-documents-\(name)-\(UUID().uuidString)")
        }
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> URL { url.appendingPathComponent(name) }
}

extension String {
    /// Text without any whitespace: table cells and paragraphs wrap wherever the layout decides.
    var compacted: String { String(unicodeScalars.filter { !CharacterSet.whitespacesAndNewlines.contains($0) }.map(Character.init)) }
}
