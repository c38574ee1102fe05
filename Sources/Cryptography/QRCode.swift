import CQREncode
import Foundation

/// QR codes as inline SVG, for the page where a user enrols an authenticator app: no image file, no script.
public enum QRCode {
    /// The light margin, in modules, that ISO/IEC 18004 requires for a reader to find the code.
    public static let quietZone = 4

    /// An SVG of `text` (its UTF-8 bytes) at error correction level M, `moduleSize` pixels per module. The background
    /// is drawn white, so the code scans on a dark page too.
    public static func svg(_ text: String, moduleSize: Int = 4) throws -> String {
        precondition(moduleSize > 0, "模块尺寸必须为正")
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { throw CryptographyError.qrCode("内容为空") }
        guard let code = QRcode_encodeData(Int32(bytes.count), bytes, 0, QR_ECLEVEL_M) else {
            let reason = errno == ERANGE ? "内容过长（\(bytes.count) 字节），超出二维码容量" : String(cString: strerror(errno))
            throw CryptographyError.qrCode(reason)
        }
        defer { QRcode_free(code) }
        let width = Int(code.pointee.width)
        let modules = UnsafeBufferPointer(start: code.pointee.data, count: width * width)
        // Bit 0 of each module byte marks a dark module; one subpath per horizontal run keeps the path short.
        var path = ""
        for row in 0..<width {
            var column = 0
            while column < width {
                guard modules[row * width + column] & 1 == 1 else {
                    column += 1
                    continue
                }
                let start = column
                while column < width, modules[row * width + column] & 1 == 1 { column += 1 }
                path += "M\(start + quietZone) \(row + quietZone)h\(column - start)v1h-\(column - start)z"
            }
        }
        let size = width + 2 * quietZone
        return """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(size * moduleSize)" height="\(size * moduleSize)" \
            viewBox="0 0 \(size) \(size)" shape-rendering="crispEdges">\
            <rect width="\(size)" height="\(size)" fill="#fff"/><path fill="#000" d="\(path)"/></svg>
            """
    }
}
