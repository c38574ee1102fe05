import Foundation
import SQLKit

/// The admin's 失信名单 page: the imports with their entry counts and list names, and every application whose
/// enterprise is listed, read with SQL into plain rows.
enum BlacklistQuery {
    struct ImportGroup: Decodable {
        var import_id: UUID
        var file_name: String
        var imported_at: Date
        var imported_by: String
        var entries: Int
    }

    struct ImportSource: Decodable {
        var import_id: UUID
        var source: String
    }

    struct AffectedRow: Decodable {
        var id: UUID
        var round_code: String
        var direction: String
        var sub_direction: String?
        var project_name: String?
        var status: String
        var name: String
        var credit_code: String
        var source: String
    }

    /// One row per import, newest first.
    static func imports(on sql: any SQLDatabase) async throws -> [ImportGroup] {
        try await sql.select().column("import_id").column("file_name").column("imported_at").column("imported_by")
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "entries")
            .from(BlacklistEntry.schema).groupBy("import_id").groupBy("file_name").groupBy("imported_at").groupBy("imported_by")
            .orderBy("imported_at", .descending).all(decoding: ImportGroup.self)
    }

    /// The list names each import contains.
    static func sources(on sql: any SQLDatabase) async throws -> [ImportSource] {
        try await sql.select().column("import_id").column("source").from(BlacklistEntry.schema)
            .groupBy("import_id").groupBy("source").orderBy("source").all(decoding: ImportSource.self)
    }

    /// Applications, in any authority, of enterprises on a list.
    static func affected(on sql: any SQLDatabase) async throws -> [AffectedRow] {
        try await AccessScope.province.apply(to: sql.select()
            .column(SQLColumn("id", table: "a")).column(SQLColumn("round_code", table: "a")).column(SQLColumn("direction", table: "a"))
            .column(SQLColumn("sub_direction", table: "a")).column(SQLColumn("project_name", table: "a")).column(SQLColumn("status", table: "a"))
            .column(SQLColumn("name", table: "e")).column(SQLColumn("credit_code", table: "e")).column(SQLColumn("source", table: "b"))
            .from(SQLAlias(SQLIdentifier(StoredApplication.schema), as: SQLIdentifier("a")))
            .join(SQLAlias(SQLIdentifier(Enterprise.schema), as: SQLIdentifier("e")), on: SQLColumn("id", table: "e"), .equal, SQLColumn("enterprise_id", table: "a"))
            .join(BlacklistEntry.listedCodes(as: "b"), on: SQLColumn("credit_code", table: "b"), .equal, SQLColumn("credit_code", table: "e")))
            .orderBy(SQLColumn("name", table: "e")).orderBy(SQLColumn("submitted_at", table: "a"))
            .all(decoding: AffectedRow.self)
    }
}
