import Foundation
import Testing

/// What poppler and qpdf find in a PDF file.
struct PDFProbe {
    struct Font {
        var name: String
        var embedded: Bool
    }

    struct PageSize {
        var width: Double
        var height: Double
    }

    let url: URL

    init(writing data: Data, to url: URL) throws {
        try data.write(to: url)
        self.url = url
    }

    /// qpdf --check exits 0 only for a structurally sound file without warnings.
    func qpdfCheck() throws -> ExternalTool.Result {
        try ExternalTool.run("qpdf", ["--check", url.path])
    }

    func fonts() throws -> [Font] {
        let result = try ExternalTool.run("pdffonts", [url.path])
        try #require(result.status == 0, "pdffonts: \(result.errors)")
        // name type encoding emb sub uni object ID; the type may contain spaces, so count from the end.
        return result.output.split(separator: "\n").dropFirst(2).map { line in
            let fields = line.split(separator: " ")
            return Font(name: String(fields[0]), embedded: fields[fields.count - 5] == "yes")
        }
    }

    func info() throws -> [String: String] {
        let result = try ExternalTool.run("pdfinfo", [url.path])
        try #require(result.status == 0, "pdfinfo: \(result.errors)")
        var fields: [String: String] = [:]
        for line in result.output.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return fields
    }

    func pageCount() throws -> Int {
        try #require(Int(try info()["Pages"] ?? ""))
    }

    func pageSizes() throws -> [PageSize] {
        let count = try pageCount()
        let result = try ExternalTool.run("pdfinfo", ["-f", "1", "-l", String(count), url.path])
        // "Page    1 size: 841.89 x 595.276 pts (A4)"
        return result.output.split(separator: "\n").filter { $0.hasPrefix("Page ") && $0.contains(" size:") }.map { line in
            let numbers = line.split(separator: ":")[1].split(separator: " ").compactMap { Double($0) }
            return PageSize(width: numbers[0], height: numbers[1])
        }
    }

    /// Text of one page (1-based) or of the whole file, as pdftotext -layout reads it.
    func text(page: Int? = nil) throws -> String {
        var arguments = ["-layout", "-enc", "UTF-8"]
        if let page { arguments += ["-f", String(page), "-l", String(page)] }
        let result = try ExternalTool.run("pdftotext", arguments + [url.path, "-"])
        try #require(result.status == 0, "pdftotext: \(result.errors)")
        return result.output
    }

    /// Text inside a rectangle of one page, in points from the top left; reads a single table column so that wrapped cells stay together.
    func text(page: Int, x: Double, y: Double, width: Double, height: Double) throws -> String {
        let arguments = [
            "-layout", "-enc", "UTF-8", "-f", String(page), "-l", String(page), "-r", "72",
            "-x", String(Int(x.rounded())), "-y", String(Int(y.rounded())),
            "-W", String(Int(width.rounded())), "-H", String(Int(height.rounded())),
        ]
        let result = try ExternalTool.run("pdftotext", arguments + [url.path, "-"])
        try #require(result.status == 0, "pdftotext: \(result.errors)")
        return result.output
    }

    /// The checks every generated PDF must pass: sound structure, all fonts embedded, A4 pages of the expected orientation.
    func expectSoundA4(landscape: Bool, title: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let check = try qpdfCheck()
        #expect(check.status == 0, "qpdf --check: \(check.output)\(check.errors)", sourceLocation: sourceLocation)
        #expect(check.output.contains("No syntax or stream encoding errors found"), sourceLocation: sourceLocation)

        let fonts = try fonts()
        #expect(!fonts.isEmpty, sourceLocation: sourceLocation)
        for font in fonts {
            #expect(font.embedded, "字体未嵌入：\(font.name)", sourceLocation: sourceLocation)
            #expect(font.name.contains("CJK"), "意外的字体：\(font.name)", sourceLocation: sourceLocation)
        }

        let (width, height) = landscape ? (841.89, 595.28) : (595.28, 841.89)
        let sizes = try pageSizes()
        #expect(sizes.count == (try pageCount()), sourceLocation: sourceLocation)
        for size in sizes {
            #expect(abs(size.width - width) < 0.5 && abs(size.height - height) < 0.5, "页面尺寸 \(size.width) x \(size.height)", sourceLocation: sourceLocation)
        }

        let info = try info()
        #expect(info["Title"] == title, sourceLocation: sourceLocation)
        #expect(info["Creator"] == "晋技改", sourceLocation: sourceLocation)
    }
}
