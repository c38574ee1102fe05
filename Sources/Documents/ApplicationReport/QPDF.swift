import CPangoCairo
import CQPDF
import Foundation

/// The work libqpdf does for the 申请报告: reading uploaded PDFs, merging all parts, stamping page numbers onto uploaded
/// pages and writing the outline. Uploaded PDFs are untrusted; nothing here keeps state between calls, so it can run in a
/// short-lived child process with a time and memory limit.
enum QPDF {
    struct PageSize: Equatable {
        var width: Double
        var height: Double
    }

    /// Why libqpdf gave up, in its own words (English); callers put it into a Chinese message.
    struct Failure: Error {
        let reason: String
    }

    /// Pages to take, in order, from one file: all of them, or a qpdf page range such as “3-5”.
    struct PageSource {
        var file: URL
        var range: String?
    }

    /// One bookmark: a title and the 1-based page it opens.
    struct OutlineEntry {
        var title: String
        var page: Int
    }

    /// Opens a PDF completely (every page object resolved) and returns the size of each page as the reader sees it and
    /// as qpdf fits overlays to it: the TrimBox, else the CropBox, else the MediaBox, inherited through the page tree,
    /// with width and height exchanged on pages turned by a quarter (/Rotate 90 or 270), since qpdf turns the overlay upright.
    static func pageSizes(of url: URL) throws(Failure) -> [PageSize] {
        let document = try Document(reading: url)
        let count = qpdf_get_num_pages(document.handle)
        try document.check()
        guard count > 0 else { throw Failure(reason: "no pages") }
        var sizes: [PageSize] = []
        for index in 0..<Int(count) {
            let page = qpdf_get_page_n(document.handle, index)
            guard let box = document.pageBox(page) else { throw Failure(reason: "page \(index + 1) has no MediaBox") }
            sizes.append(box)
        }
        try document.check()
        return sizes
    }

    /// Concatenates the pages into `output` and overlays page `i` of `stamps` onto output page `stampedPages[i]`.
    static func merge(_ pages: [PageSource], stamps: URL?, stampedPages: [Int], into output: URL) throws(Failure) {
        var job: [String: Any] = [
            "empty": "",
            "outputFile": output.path,
            "pages": pages.map { source in
                var entry = ["file": source.file.path]
                if let range = source.range { entry["range"] = range }
                return entry
            },
        ]
        if let stamps, !stampedPages.isEmpty {
            job["overlay"] = [
                "file": stamps.path,
                "to": stampedPages.map(String.init).joined(separator: ","),
                "from": "1-\(stampedPages.count)",
            ]
        }
        let json: String
        do {
            json = String(decoding: try JSONSerialization.data(withJSONObject: job), as: UTF8.self)
        } catch {
            throw Failure(reason: "job description: \(error)")
        }

        let messages = Messages()
        var handle: qpdfjob_handle? = qpdfjob_init()
        var logger: qpdflogger_handle? = qpdflogger_create()
        defer {
            qpdflogger_cleanup(&logger)
            qpdfjob_cleanup(&handle)
        }
        // qpdf would otherwise print to the standard streams of whatever process runs this.
        let sink: qpdf_log_fn_t = { data, length, context in
            guard let data, let context else { return 0 }
            let messages = Unmanaged<Messages>.fromOpaque(context).takeUnretainedValue()
            messages.text += String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
            return 0
        }
        let context = Unmanaged.passUnretained(messages).toOpaque()
        qpdflogger_set_info(logger, qpdf_log_dest_discard, nil, nil)
        qpdflogger_set_warn(logger, qpdf_log_dest_custom, sink, context)
        qpdflogger_set_error(logger, qpdf_log_dest_custom, sink, context)
        qpdfjob_set_logger(handle, logger)
        var status = qpdfjob_initialize_from_json(handle, json)
        if status == 0 { status = qpdfjob_run(handle) }
        // 3 means success with warnings: a damaged but recoverable upload, which qpdf repaired while copying.
        guard status == 0 || status == 3 else {
            throw Failure(reason: messages.text.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    /// Reads the merged file, adds the outline, opens it with the outline shown, sets the title, and returns the bytes.
    static func finish(_ merged: URL, outline: [OutlineEntry], title: String) throws(Failure) -> Data {
        let document = try Document(reading: merged)
        let q = document.handle
        let pageCount = Int(qpdf_get_num_pages(q))
        try document.check()

        let root = qpdf_make_indirect_object(q, qpdf_oh_new_dictionary(q))
        qpdf_oh_replace_key(q, root, "/Type", qpdf_oh_new_name(q, "/Outlines"))
        let items = outline.filter { (1...pageCount).contains($0.page) }.map { entry in
            let item = qpdf_make_indirect_object(q, qpdf_oh_new_dictionary(q))
            qpdf_oh_replace_key(q, item, "/Title", qpdf_oh_new_unicode_string(q, entry.title))
            qpdf_oh_replace_key(q, item, "/Parent", root)
            let destination = qpdf_oh_new_array(q)
            qpdf_oh_append_item(q, destination, qpdf_get_page_n(q, entry.page - 1))
            qpdf_oh_append_item(q, destination, qpdf_oh_new_name(q, "/Fit"))
            qpdf_oh_replace_key(q, item, "/Dest", destination)
            return item
        }
        for (index, item) in items.enumerated() {
            if index > 0 { qpdf_oh_replace_key(q, item, "/Prev", items[index - 1]) }
            if index + 1 < items.count { qpdf_oh_replace_key(q, item, "/Next", items[index + 1]) }
        }
        if let first = items.first, let last = items.last {
            qpdf_oh_replace_key(q, root, "/First", first)
            qpdf_oh_replace_key(q, root, "/Last", last)
        }
        qpdf_oh_replace_key(q, root, "/Count", qpdf_oh_new_integer(q, Int64(items.count)))
        let catalog = qpdf_get_root(q)
        qpdf_oh_replace_key(q, catalog, "/Outlines", root)
        qpdf_oh_replace_key(q, catalog, "/PageMode", qpdf_oh_new_name(q, "/UseOutlines"))

        let info = qpdf_make_indirect_object(q, qpdf_oh_new_dictionary(q))
        qpdf_oh_replace_key(q, info, "/Title", qpdf_oh_new_unicode_string(q, title))
        qpdf_oh_replace_key(q, info, "/Creator", qpdf_oh_new_unicode_string(q, "晋技改"))
        qpdf_oh_replace_key(q, qpdf_get_trailer(q), "/Info", info)
        try document.check()

        guard qpdf_init_write_memory(q) & QPDF_ERRORS == 0 else { try document.check(); throw Failure(reason: "write") }
        qpdf_set_object_stream_mode(q, qpdf_o_generate)
        guard qpdf_write(q) & QPDF_ERRORS == 0 else { try document.check(); throw Failure(reason: "write") }
        guard let buffer = qpdf_get_buffer(q) else { throw Failure(reason: "no output") }
        return Data(bytes: buffer, count: Int(qpdf_get_buffer_length(q)))
    }

    /// One page per uploaded page, of that page's size, carrying only its number in the official place.
    static func writeStamps(sizes: [PageSize], numbers: [Int], to url: URL) throws(Failure) {
        guard let first = sizes.first else { return }
        let surface = cairo_pdf_surface_create(url.path, first.width, first.height)!
        let cairo = cairo_create(surface)!
        let pango = pango_cairo_create_context(cairo)!
        pango_context_set_language(pango, pango_language_from_string("zh-cn"))
        for (size, number) in zip(sizes, numbers) {
            cairo_pdf_surface_set_size(surface, size.width, size.height)
            PDFComposer.drawPageNumber(number, on: cairo, context: pango, pageWidth: size.width, pageHeight: size.height)
            cairo_show_page(cairo)
        }
        g_object_unref(UnsafeMutableRawPointer(pango))
        cairo_destroy(cairo)
        cairo_surface_finish(surface)
        let status = cairo_surface_status(surface)
        cairo_surface_destroy(surface)
        guard status == CAIRO_STATUS_SUCCESS else { throw Failure(reason: String(cString: cairo_status_to_string(status))) }
    }

    private final class Messages {
        var text = ""
    }

    /// A qpdf_data that is cleaned up with its owner; warnings are kept, not printed.
    private final class Document {
        var handle: qpdf_data?

        init(reading url: URL) throws(Failure) {
            handle = qpdf_init()
            qpdf_silence_errors(handle)
            qpdf_set_suppress_warnings(handle, 1)
            if qpdf_read(handle, url.path, nil) & QPDF_ERRORS != 0 {
                try check()
                throw Failure(reason: "unreadable")
            }
        }

        deinit {
            qpdf_cleanup(&handle)
        }

        /// Throws the first error qpdf recorded since the last check.
        func check() throws(Failure) {
            guard qpdf_has_error(handle) != 0 else { return }
            let error = qpdf_get_error(handle)
            throw Failure(reason: String(cString: qpdf_get_error_full_text(handle, error)))
        }

        func pageBox(_ page: qpdf_oh) -> PageSize? {
            guard let box = ["/TrimBox", "/CropBox", "/MediaBox"].lazy.compactMap({ self.inherited($0, of: page).flatMap(self.rectangle) }).first else {
                return nil
            }
            let rotation = inherited("/Rotate", of: page).flatMap { qpdf_oh_is_integer(handle, $0) != 0 ? qpdf_oh_get_int_value(handle, $0) : nil } ?? 0
            return rotation.isMultiple(of: 180) ? box : PageSize(width: box.height, height: box.width)
        }

        /// Page attributes may sit on an ancestor in the page tree; the depth limit guards against a cyclic tree.
        private func inherited(_ key: String, of page: qpdf_oh) -> qpdf_oh? {
            var node = page
            for _ in 0..<64 {
                guard qpdf_oh_is_dictionary(handle, node) != 0 else { return nil }
                if qpdf_oh_has_key(handle, node, key) != 0 {
                    return qpdf_oh_get_key(handle, node, key)
                }
                guard qpdf_oh_has_key(handle, node, "/Parent") != 0 else { return nil }
                node = qpdf_oh_get_key(handle, node, "/Parent")
            }
            return nil
        }

        private func rectangle(_ box: qpdf_oh) -> PageSize? {
            guard qpdf_oh_is_array(handle, box) != 0, qpdf_oh_get_array_n_items(handle, box) == 4 else { return nil }
            let values = (0..<4).map { qpdf_oh_get_array_item(handle, box, Int32($0)) }
            guard values.allSatisfy({ qpdf_oh_is_number(handle, $0) != 0 }) else { return nil }
            let numbers = values.map { qpdf_oh_get_numeric_value(handle, $0) }
            let width = abs(numbers[2] - numbers[0])
            let height = abs(numbers[3] - numbers[1])
            return width > 1 && height > 1 ? PageSize(width: width, height: height) : nil
        }
    }
}
