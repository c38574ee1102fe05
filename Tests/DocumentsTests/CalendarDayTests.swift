import Foundation
import Testing
@testable import Documents

@Suite("签章日期")
struct CalendarDayTests {
    @Test("2023年10月20日")
    func chineseText() {
        #expect(CalendarDay(year: 2023, month: 10, day: 20).chineseText == "2023年10月20日")
        #expect(CalendarDay(year: 2024, month: 1, day: 5).chineseText == "2024年1月5日")
    }

    @Test("按申报批次的时区取日期")
    func dayInTimeZone() throws {
        // 2023-10-19 17:30 UTC is already 20 October in Beijing.
        let instant = Date(timeIntervalSince1970: 1_697_736_600)
        let shanghai = try #require(TimeZone(identifier: "Asia/Shanghai"))
        #expect(CalendarDay(instant, timeZone: shanghai) == CalendarDay(year: 2023, month: 10, day: 20))
        #expect(CalendarDay(instant, timeZone: TimeZone(secondsFromGMT: 0)!) == CalendarDay(year: 2023, month: 10, day: 19))
    }
}
