import Foundation
import Spawn

/// Runs the command-line tools that read generated files back (qpdf, poppler-utils, unzip), as a reader of the file would.
enum ExternalTool {
    struct Result {
        var status: Int32
        var output: String
        var errors: String
        var data: Data
    }

    static func run(_ tool: String, _ arguments: [String]) throws -> Result {
        let outcome = try ChildProcess.runSynchronously("/usr/bin/env", [tool] + arguments)
        return Result(status: outcome.exitCode ?? -1, output: outcome.text, errors: outcome.errorText, data: outcome.output)
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
