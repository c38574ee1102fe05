/// PDF lengths are points (1/72 inch); official layouts are specified in millimetres.
enum Length {
    static func millimetres(_ value: Double) -> Double { value * 72 / 25.4 }
}

public enum PageOrientation: Sendable {
    case portrait
    case landscape
}

/// An A4 page with the type area of GB/T 9704-2012 (党政机关公文格式) §5.2.
struct PageGeometry: Equatable {
    static let marginTop = Length.millimetres(37)
    static let marginBottom = Length.millimetres(35)
    static let marginLeft = Length.millimetres(28)
    static let marginRight = Length.millimetres(26)

    let orientation: PageOrientation

    var width: Double { orientation == .portrait ? Length.millimetres(210) : Length.millimetres(297) }
    var height: Double { orientation == .portrait ? Length.millimetres(297) : Length.millimetres(210) }

    var bodyLeft: Double { Self.marginLeft }
    var bodyRight: Double { width - Self.marginRight }
    var bodyTop: Double { Self.marginTop }
    var bodyBottom: Double { height - Self.marginBottom }
    var bodyWidth: Double { bodyRight - bodyLeft }
    var bodyHeight: Double { bodyBottom - bodyTop }
}
