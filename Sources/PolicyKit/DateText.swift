import Foundation

/// Dates as users here read them: 2023-11-10, 2023-11-10 23:59, in the round's time zone.
public enum DateText {
    public static func day(_ date: Date, timeZone: String) -> String {
        format(date, timeZone: timeZone, "%04d-%02d-%02d") { [$0.year!, $0.month!, $0.day!] }
    }

    public static func minute(_ date: Date, timeZone: String) -> String {
        format(date, timeZone: timeZone, "%04d-%02d-%02d %02d:%02d") { [$0.year!, $0.month!, $0.day!, $0.hour!, $0.minute!] }
    }

    private static func format(_ date: Date, timeZone: String, _ pattern: String, _ parts: (DateComponents) -> [Int]) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: timeZone) ?? TimeZone(secondsFromGMT: 8 * 3600)!
        let components = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: pattern, arguments: parts(components).map { $0 as CVarArg })
    }
}
