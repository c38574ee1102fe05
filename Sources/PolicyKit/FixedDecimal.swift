import Foundation

/// An exact decimal with at most four fractional digits, stored as a scaled integer:
/// amounts in 万元 to the 元, percentages to 0.0001 %.
/// Foundation's `Decimal` is exact too, but on Linux each of its operations costs 0.3–1 µs
/// (measured: 100,000 divisions took 105 ms), which alone would exceed the engine's budget.
public struct FixedDecimal: Comparable, Hashable, Sendable, ExpressibleByIntegerLiteral, CustomStringConvertible {
    public static let fractionDigits = 4
    static let scale: Int64 = 10_000
    /// Limit on the integer part, so that sums and cross-multiplications stay far from overflow.
    static let maximumUnits: Int64 = 1_000_000_000_000_000

    /// The value × 10⁴.
    public var units: Int64

    public init(units: Int64) {
        self.units = units
    }

    public init(integerLiteral value: Int) {
        units = Int64(value) * Self.scale
    }

    public init(_ value: Int) {
        units = Int64(value) * Self.scale
    }

    /// Parses “-12345.6789”: digits, an optional sign and point; nil for exponents, grouping, more than four decimals or out of range.
    public init?(_ text: String) {
        var negative = false
        var integer: Int64 = 0
        var fraction: Int64 = 0
        var fractionCount = 0
        var digits = 0
        var inFraction = false
        for (index, byte) in text.utf8.enumerated() {
            switch byte {
            case UInt8(ascii: "-") where index == 0:
                negative = true
            case UInt8(ascii: "."):
                guard !inFraction else { return nil }
                inFraction = true
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                digits += 1
                let digit = Int64(byte - UInt8(ascii: "0"))
                if inFraction {
                    fractionCount += 1
                    guard fractionCount <= Self.fractionDigits else {
                        if digit == 0 { fractionCount -= 1; continue }
                        return nil
                    }
                    fraction = fraction * 10 + digit
                } else {
                    guard integer < Self.maximumUnits / Self.scale / 10 else { return nil }
                    integer = integer * 10 + digit
                }
            default:
                return nil
            }
        }
        guard digits > 0 else { return nil }
        for _ in fractionCount..<Self.fractionDigits { fraction *= 10 }
        units = (integer * Self.scale + fraction) * (negative ? -1 : 1)
    }

    /// Nil when the value has more than four decimals or is out of range.
    public init?(exactly decimal: Decimal) {
        self.init(decimal.description)
    }

    public var decimal: Decimal {
        Decimal(sign: units < 0 ? .minus : .plus, exponent: -Self.fractionDigits, significand: Decimal(units.magnitude))
    }

    public var isInteger: Bool { units % Self.scale == 0 }

    public var integerValue: Int { Int(units / Self.scale) }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.units < rhs.units }
    public static func + (lhs: Self, rhs: Self) -> Self { Self(units: lhs.units + rhs.units) }
    public static func - (lhs: Self, rhs: Self) -> Self { Self(units: lhs.units - rhs.units) }
    public static prefix func - (value: Self) -> Self { Self(units: -value.units) }
    public static let zero = FixedDecimal(units: 0)

    /// This value as a percentage of `whole`, two decimals (“23.98”); nil where the whole is not positive.
    public func percentage(of whole: FixedDecimal) -> String? {
        PercentChange(from: whole, to: whole + self)?.formatted()
    }

    /// The shortest exact text: “30000”, “29000.5”.
    public var description: String {
        let magnitude = units.magnitude
        var text = String(magnitude / UInt64(Self.scale))
        var fraction = magnitude % UInt64(Self.scale)
        if fraction != 0 {
            var width = Self.fractionDigits
            while fraction % 10 == 0 { fraction /= 10; width -= 1 }
            let digits = String(fraction)
            text += "." + String(repeating: "0", count: width - digits.count) + digits
        }
        return units < 0 ? "-" + text : text
    }

    /// Fixed fraction digits with thousands separators, rounded half away from zero: “29,000.50”.
    /// `shift` divides by a power of ten first (4 shows 万元 as 亿元).
    public func grouped(fractionDigits: Int = 2, shift: Int = 0) -> String {
        Self.format(scaled: Int128(units), exponent: Self.fractionDigits + shift, fractionDigits: fractionDigits, trimZeros: false)
    }

    /// As the notice writes a threshold: no trailing zeros (“3”, “2,000”, “1.5”).
    public func compact(shift: Int = 0) -> String {
        Self.format(scaled: Int128(units), exponent: Self.fractionDigits + shift, fractionDigits: Self.fractionDigits + shift, trimZeros: true)
    }

    /// Formats `scaled / 10^exponent` with grouping and `fractionDigits` decimals.
    static func format(scaled: Int128, exponent: Int, fractionDigits: Int, trimZeros: Bool) -> String {
        var value = scaled.magnitude
        let drop = exponent - fractionDigits
        if drop > 0 {
            let divisor = UInt128(power10(drop))
            let remainder = value % divisor
            value /= divisor
            if remainder * 2 >= divisor { value += 1 }
        } else if drop < 0 {
            value *= UInt128(power10(-drop))
        }
        let divisor = UInt128(power10(fractionDigits))
        let integerPart = value / divisor
        var fraction = String(value % divisor)
        fraction = String(repeating: "0", count: fractionDigits - fraction.count) + fraction
        if trimZeros {
            while fraction.hasSuffix("0") { fraction.removeLast() }
        }
        let integerText = String(integerPart)
        var grouped = ""
        grouped.reserveCapacity(integerText.utf8.count + integerText.utf8.count / 3 + fraction.utf8.count + 2)
        for (index, character) in integerText.enumerated() {
            if index > 0 && (integerText.utf8.count - index) % 3 == 0 { grouped.append(",") }
            grouped.append(character)
        }
        if !fraction.isEmpty { grouped += "." + fraction }
        return scaled < 0 && value != 0 ? "-" + grouped : grouped
    }

    static func power10(_ exponent: Int) -> Int128 {
        var result: Int128 = 1
        for _ in 0..<exponent { result *= 10 }
        return result
    }
}

extension FixedDecimal: Codable {
    /// Accepts a JSON number or a numeric string; writes a JSON number with its exact digits.
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            guard let value = FixedDecimal(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "“\(text)”不是有效的数值（最多 4 位小数）")
            }
            self = value
            return
        }
        let decimal = try container.decode(Decimal.self)
        guard let value = FixedDecimal(exactly: decimal) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\(decimal) 不是有效的数值（最多 4 位小数）")
        }
        self = value
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(decimal)
    }
}

/// The relative change from `base` to `current` (营收增速, 同比增速), compared exactly by cross-multiplication.
public struct PercentChange: Sendable, Comparable {
    public let base: FixedDecimal
    public let current: FixedDecimal

    /// Nil when the base is not positive: no growth rate can be stated.
    public init?(from base: FixedDecimal, to current: FixedDecimal) {
        guard base.units > 0 else { return nil }
        self.base = base
        self.current = current
    }

    var difference: Int128 { Int128(current.units) - Int128(base.units) }

    /// (current − base) ÷ base × 100 ≥ percent.
    public func isAtLeast(_ percent: FixedDecimal) -> Bool {
        difference * 100 * Int128(FixedDecimal.scale) >= Int128(percent.units) * Int128(base.units)
    }

    public var isPositive: Bool { current > base }

    /// The same change with the sign reversed, for wording a decline (“同比下降 2.86%”).
    public var magnitude: PercentChange {
        isNegative ? PercentChange(from: base, to: base + base - current)! : self
    }
    public var isNegative: Bool { current < base }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        lhs.difference * Int128(rhs.base.units) < rhs.difference * Int128(lhs.base.units)
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.difference * Int128(rhs.base.units) == rhs.difference * Int128(lhs.base.units)
    }

    /// The percentage rounded half away from zero: “36.25”.
    public func formatted(fractionDigits: Int = 2) -> String {
        let extra = 2
        let scaled = difference * 100 * FixedDecimal.power10(fractionDigits + extra) / Int128(base.units)
        return FixedDecimal.format(scaled: scaled, exponent: fractionDigits + extra, fractionDigits: fractionDigits, trimZeros: false)
    }
}
