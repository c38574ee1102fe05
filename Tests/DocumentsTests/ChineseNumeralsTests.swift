import Testing
@testable import Documents

@Suite("中文数字")
struct ChineseNumeralsTests {
    @Test("序号", arguments: [(1, "一"), (10, "十"), (11, "十一"), (13, "十三"), (20, "二十"), (26, "二十六"), (99, "九十九")])
    func ordinals(number: Int, text: String) {
        #expect(ChineseNumerals.ordinal(number) == text)
    }

    @Test("封面日期", arguments: [(2023, 10, "二〇二三年十月"), (2024, 1, "二〇二四年一月"), (2030, 12, "二〇三〇年十二月")])
    func coverDates(year: Int, month: Int, text: String) {
        #expect(ChineseNumerals.coverDate(year: year, month: month) == text)
    }
}
