/// Font, size and alignment of a run of text.
struct TextStyle: Sendable {
    enum Family: Sendable {
        /// Body text: the 宋体 role of official documents.
        case serif
        /// Titles and table headings: the 黑体 role.
        case sans

        var fontName: String {
            switch self {
            case .serif: "Noto Serif CJK SC"
            case .sans: "Noto Sans CJK SC"
            }
        }
    }

    enum Alignment: Sendable {
        case left
        case center
        case right
    }

    var family: Family
    /// Size in points; Chinese 字号 are listed in `FontSize`.
    var size: Double
    var bold = false
    var alignment = Alignment.left

    func aligned(_ alignment: Alignment) -> TextStyle {
        var style = self
        style.alignment = alignment
        return style
    }
}

/// Chinese type sizes (字号) in points.
enum FontSize {
    static let size2 = 22.0
    static let size3 = 16.0
    static let size4 = 14.0
    static let smallSize4 = 12.0
    static let size5 = 10.5
    static let smallSize5 = 9.0
}
