/// Numbers as Chinese official documents write them.
public enum ChineseNumerals {
    static let digits: [Character] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"]

    /// Counting form for 1–99: 一, 十, 十三, 二十一 (headings “一、”, “（十三）”).
    public static func ordinal(_ number: Int) -> String {
        precondition((1...99).contains(number), "ordinal supports 1–99")
        let tens = number / 10
        let ones = number % 10
        var text = ""
        if tens > 1 { text.append(digits[tens]) }
        if tens > 0 { text.append("十") }
        if ones > 0 { text.append(digits[ones]) }
        return text
    }

    /// Digit-by-digit year with 〇 and a counted month, as on the 申请报告 cover: 二〇二三年十月.
    public static func coverDate(year: Int, month: Int) -> String {
        let yearText = String(String(year).compactMap { $0.wholeNumberValue.map { digits[$0] } })
        return "\(yearText)年\(ordinal(month))月"
    }
}
