import Foundation

/// Exact decimal parsing: digits with an optional sign and fraction, no exponent, no grouping.
public enum DecimalParser {
    public static func parse(_ text: String) -> Decimal? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        var digitsSeen = false
        var pointSeen = false
        for (index, character) in trimmed.enumerated() {
            switch character {
            case "0"..."9": digitsSeen = true
            case "-" where index == 0: continue
            case "." where !pointSeen: pointSeen = true
            default: return nil
            }
        }
        guard digitsSeen else { return nil }
        return Decimal(string: trimmed, locale: Locale(identifier: "en_US_POSIX"))
    }

    /// Digits after the decimal point, as written.
    public static func fractionDigits(_ value: Decimal) -> Int {
        max(0, -value.exponent)
    }
}

public enum DecimalFormat {
    public static func rounded(_ value: Decimal, scale: Int) -> Decimal {
        var input = value
        var result = Decimal()
        NSDecimalRound(&result, &input, scale, .plain)
        return result
    }

    /// The shortest exact text, e.g. “30000”, “29000.5”.
    public static func plain(_ value: Decimal) -> String {
        NSDecimalNumber(decimal: value).description(withLocale: Locale(identifier: "en_US_POSIX"))
    }

    /// Fixed fraction digits with thousands separators: “29,000.50”.
    public static func grouped(_ value: Decimal, fractionDigits: Int = 2) -> String {
        let text = plain(rounded(value, scale: fractionDigits))
        let negative = text.hasPrefix("-")
        let unsigned = negative ? String(text.dropFirst()) : text
        let parts = unsigned.split(separator: ".", omittingEmptySubsequences: false)
        let integerPart = String(parts[0])
        var fraction = parts.count > 1 ? String(parts[1]) : ""
        fraction += String(repeating: "0", count: max(0, fractionDigits - fraction.count))
        var groups: [String] = []
        var remaining = Substring(integerPart)
        while remaining.count > 3 {
            groups.insert(String(remaining.suffix(3)), at: 0)
            remaining = remaining.dropLast(3)
        }
        groups.insert(String(remaining), at: 0)
        let body = groups.joined(separator: ",") + (fractionDigits > 0 ? "." + fraction : "")
        return (negative ? "-" : "") + body
    }

    /// A threshold as the notice writes it: no trailing zeros (“3”, “2,000”, “1.5”).
    public static func compact(_ value: Decimal) -> String {
        let text = plain(value)
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let integer = grouped(Decimal(string: String(parts[0]))!, fractionDigits: 0)
        return parts.count > 1 ? integer + "." + parts[1] : integer
    }
}

extension Decimal {
    /// Percentage change from `base` to `self`, or nil where the base is not positive.
    func percentChange(from base: Decimal) -> Decimal? {
        guard base > 0 else { return nil }
        return (self - base) / base * 100
    }
}
