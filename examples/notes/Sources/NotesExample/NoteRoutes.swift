import Hummingbird
import WenwexHummingbird
import WenwexRouting
import WenwexSQL

/// A note as the API shows it.
struct Note: ResponseCodable {
    var id: Int
    var body: String

    init(_ row: SQLRow) {
        self.id = row["id"].integer ?? 0
        self.body = row["body"].text ?? ""
    }
}

struct NoteList: ResponseCodable {
    var notes: [Note]
}

struct NewNote: Decodable {
    var body: String
}

/// `GET /notes` and `POST /notes`: every value reaches SQL as a bound parameter through
/// `SQLQuery` interpolation.
struct NoteRoutes: Sendable {
    let database: any DatabaseRouter

    func register(on router: Router<BasicWenwexRequestContext>) {
        router.get("notes") { _, context in
            try await database.read(after: context.consistency) { session in
                NoteList(notes: try await session.query(#"SELECT id, body FROM "Note" ORDER BY id"#).map(Note.init))
            }
        }
        router.post("notes") { request, context -> EditedResponse<Note> in
            let new = try await request.decode(as: NewNote.self, context: context)
            guard !new.body.trimmingCharacters(in: .whitespaces).isEmpty, new.body.count <= 1000 else {
                throw Problem.validation([.init(field: "body", message: "must be 1 to 1000 characters")])
            }
            let written = try await database.write { session in
                Note(try await session.query(#"INSERT INTO "Note" (body) VALUES (\#(new.body)) RETURNING id, body"#)[0])
            }
            context.recordWrite(written.token)
            return EditedResponse(status: .created, response: written.value)
        }
    }
}
