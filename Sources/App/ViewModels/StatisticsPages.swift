import Foundation
import PolicyKit
import SQLKit
import Vapor

/// The pages `StatisticsController` renders.
extension StatisticsController {
    struct Page: Encodable {
        struct Line: Encodable {
            var label: String
            var count: Int
            var amount: String
            var href: String?
        }

        struct Dimension: Encodable {
            var title: String
            var lines: [Line]
            var chart: String
        }

        var chrome: Chrome
        var filters: ReviewListQuery.Filters
        /// Empty while one round is opened.
        var rounds: [SelectOption]
        var statuses: [SelectOption]
        var programmes: [SelectOption]
        var directions: [SelectOption]
        var authorities: [SelectOption]
        var industries: [SelectOption]
        var total: Int
        var totalAmount: String
        var totalHref: String
        var dimensions: [Dimension]
    }
}
