import Foundation

/// What an uploaded file is, decided by its first bytes, never by its name.
public enum UploadedFileKind: String, Codable, Sendable {
    case pdf, jpeg, png

    public var contentType: String {
        switch self {
        case .pdf: "application/pdf"
        case .jpeg: "image/jpeg"
        case .png: "image/png"
        }
    }

    public var fileExtension: String {
        switch self {
        case .pdf: "pdf"
        case .jpeg: "jpg"
        case .png: "png"
        }
    }

    /// PDF must start with its header at byte 0 (junk before it is how polyglot files are made).
    public static func sniff(_ prefix: [UInt8]) -> UploadedFileKind? {
        if prefix.starts(with: Array("%PDF-".utf8)) { return .pdf }
        if prefix.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if prefix.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        return nil
    }
}

/// Checks on an upload that need only its first bytes: type and, for images, the pixel count a decoder would allocate.
public enum UploadChecks {
    /// Scans of A4 pages at 600 dpi are about 35 million pixels; far more is a decompression bomb, not a scan.
    public static let maximumPixels = 100_000_000

    /// Browsers send only the last part of a name, never a path, control characters or the invisible format
    /// characters (U+202E and the other bidi controls, zero-width spaces) that make a download bar show
    /// `报告exe.pdf` for `报告fdp.exe`: a name with any of them is crafted and refused.
    public static func nameProblem(_ name: String) -> String? {
        let crafted = name.unicodeScalars.contains { scalar in
            scalar == "/" || scalar == "\\" || [.control, .format, .lineSeparator, .paragraphSeparator].contains(scalar.properties.generalCategory)
        }
        guard name.count <= 255, !crafted else {
            return "文件名不能超过 255 个字，也不能包含路径（/ 或 \\）、控制字符或改变文字方向的隐藏字符，请改名后上传"
        }
        return nil
    }

    /// A name kept only as a label (an imported list, a photo): the characters `nameProblem` refuses are dropped.
    public static func cleanedName(_ name: String, maximumLength: Int = 200) -> String {
        let kept = name.unicodeScalars.filter { scalar in
            !(scalar == "/" || scalar == "\\" || [.control, .format, .lineSeparator, .paragraphSeparator].contains(scalar.properties.generalCategory))
        }
        return String(String(String.UnicodeScalarView(kept)).prefix(maximumLength))
    }

    public static func problem(prefix: [UInt8], declaredName: String) -> (kind: UploadedFileKind?, message: String?) {
        guard let kind = UploadedFileKind.sniff(prefix) else {
            let name = declaredName.isEmpty ? "该文件" : "“\(declaredName)”"
            return (nil, "\(name)不是 PDF、JPEG 或 PNG 文件（系统按文件内容判断类型，修改扩展名无效）")
        }
        if kind != .pdf {
            guard let (width, height) = dimensions(prefix, kind: kind) else {
                return (kind, "图片文件已损坏，无法读取尺寸")
            }
            if width == 0 || height == 0 || width * height > maximumPixels {
                return (kind, "图片尺寸异常（\(width)×\(height) 像素），请重新扫描后上传")
            }
        }
        return (kind, nil)
    }

    /// Width and height from the PNG IHDR chunk or the first JPEG SOF marker within the prefix.
    public static func dimensions(_ bytes: [UInt8], kind: UploadedFileKind) -> (Int, Int)? {
        func be16(_ i: Int) -> Int { Int(bytes[i]) << 8 | Int(bytes[i + 1]) }
        func be32(_ i: Int) -> Int { Int(bytes[i]) << 24 | Int(bytes[i + 1]) << 16 | Int(bytes[i + 2]) << 8 | Int(bytes[i + 3]) }
        switch kind {
        case .png:
            guard bytes.count >= 24, Array(bytes[12..<16]) == Array("IHDR".utf8) else { return nil }
            return (be32(16), be32(20))
        case .jpeg:
            var index = 2
            while index + 9 < bytes.count {
                guard bytes[index] == 0xFF else { return nil }
                let marker = bytes[index + 1]
                if marker == 0xFF { index += 1; continue }
                if (0xD0...0xD9).contains(marker) || marker == 0x01 { index += 2; continue }
                let length = be16(index + 2)
                if (0xC0...0xCF).contains(marker), ![0xC4, 0xC8, 0xCC].contains(marker) {
                    return (be16(index + 7), be16(index + 5))
                }
                guard length >= 2 else { return nil }
                index += 2 + length
            }
            return nil
        case .pdf:
            return nil
        }
    }

    /// A name safe to offer in a download: no path, no control characters, at most 120 characters, the right extension.
    public static func safeFileName(_ original: String, kind: UploadedFileKind) -> String {
        let lastComponent = original.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        var name = String(lastComponent.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F && !"\"<>:|?*".unicodeScalars.contains($0) })
        name = name.trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: ".")))
        if let dot = name.lastIndex(of: ".") { name = String(name[..<dot]) }
        if name.isEmpty { name = "附件" }
        return String(name.prefix(120)) + "." + kind.fileExtension
    }
}
