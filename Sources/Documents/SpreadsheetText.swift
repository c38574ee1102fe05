import Foundation

/// Text that a spreadsheet program would read as a formula (`=HYPERLINK(…)`, `+…`, `-…`, `@…`, or behind a tab
/// or carriage return) once a reviewer edits the cell or saves the sheet as CSV: every export writes it with a
/// leading apostrophe, which keeps it text there. Plain numbers such as `-3.20%` are left as they are.
public enum SpreadsheetText {
    public static func neutralised(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, "=+-@\t\r\n".unicodeScalars.contains(first), !isPlainNumber(text) else { return text }
        return "'" + text
    }

    private static func isPlainNumber(_ text: String) -> Bool {
        text.range(of: #"^-[0-9][0-9,]*(\.[0-9]+)?%?$"#, options: .regularExpression) != nil
    }
}
