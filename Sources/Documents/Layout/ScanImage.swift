import CPangoCairo
import Foundation

/// A scanned JPEG or PNG as a cairo surface. A JPEG is not decoded: its bytes are attached to an image surface of the
/// right size as CAIRO_MIME_TYPE_JPEG, which cairo's PDF backend embeds unchanged (DCTDecode).
final class ScanImage {
    /// Why the file cannot be placed, worded for the user; the report adds the checklist item and file name.
    struct Problem: Error {
        let reason: String
    }

    let surface: OpaquePointer
    let width: Int
    let height: Int

    init(contentsOf url: URL) throws(Problem) {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw Problem(reason: "无法读取文件")
        }
        if data.starts(with: [0x89, 0x50, 0x4E, 0x47]) {
            let surface = cairo_image_surface_create_from_png(url.path)!
            guard cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS else {
                cairo_surface_destroy(surface)
                throw Problem(reason: "PNG 图片已损坏")
            }
            self.surface = surface
            width = Int(cairo_image_surface_get_width(surface))
            height = Int(cairo_image_surface_get_height(surface))
        } else if data.starts(with: [0xFF, 0xD8]) {
            guard let size = Self.jpegSize(data) else {
                throw Problem(reason: "JPEG 图片已损坏")
            }
            // cairo takes the image's size from the surface; its pixels are never written, only the attached JPEG is.
            let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(size.width), Int32(size.height))!
            let bytes = UnsafeMutableRawPointer.allocate(byteCount: data.count, alignment: 1)
            data.copyBytes(to: bytes.assumingMemoryBound(to: UInt8.self), count: data.count)
            let status = cairo_surface_set_mime_data(
                surface, CAIRO_MIME_TYPE_JPEG, bytes.assumingMemoryBound(to: UInt8.self), UInt(data.count),
                { $0?.deallocate() }, bytes
            )
            guard status == CAIRO_STATUS_SUCCESS, cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS else {
                if status != CAIRO_STATUS_SUCCESS { bytes.deallocate() }
                cairo_surface_destroy(surface)
                throw Problem(reason: "图片过大")
            }
            self.surface = surface
            width = size.width
            height = size.height
        } else {
            throw Problem(reason: "只能是 JPEG 或 PNG 图片")
        }
    }

    deinit {
        cairo_surface_destroy(surface)
    }

    /// Width and height from the first start-of-frame marker (SOF0–SOF15 except DHT, JPG and DAC).
    static func jpegSize(_ data: Data) -> (width: Int, height: Int)? {
        let bytes = [UInt8](data)
        var index = 2
        while index + 9 < bytes.count {
            guard bytes[index] == 0xFF else { return nil }
            let marker = bytes[index + 1]
            if marker == 0xFF {
                index += 1
                continue
            }
            if marker == 0xD8 || marker == 0x01 || (0xD0...0xD7).contains(marker) {
                index += 2
                continue
            }
            let length = Int(bytes[index + 2]) << 8 | Int(bytes[index + 3])
            if (0xC0...0xCF).contains(marker), ![0xC4, 0xC8, 0xCC].contains(marker) {
                let height = Int(bytes[index + 5]) << 8 | Int(bytes[index + 6])
                let width = Int(bytes[index + 7]) << 8 | Int(bytes[index + 8])
                return width > 0 && height > 0 ? (width, height) : nil
            }
            index += 2 + length
        }
        return nil
    }
}
