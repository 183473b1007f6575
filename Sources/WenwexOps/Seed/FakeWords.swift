/// The vocabulary fake values are built from: short, plain, ASCII, and enough of each that a
/// few thousand rows do not look repetitive.
enum FakeWords {
    static let firstNames = [
        "Ada", "Alan", "Alice", "Amara", "Ana", "Ben", "Carla", "Chen", "Dana", "David", "Elena", "Emil", "Fatima",
        "Felix", "Grace", "Hana", "Hugo", "Ines", "Ivan", "Jonas", "Julia", "Kai", "Kenji", "Lara", "Leo", "Lina",
        "Luca", "Maya", "Mateo", "Mia", "Nadia", "Noah", "Nora", "Omar", "Olga", "Paul", "Priya", "Rosa", "Ravi",
        "Sara", "Sam", "Sofia", "Tariq", "Tom", "Uma", "Vera", "Wei", "Yara", "Yusuf", "Zoe",
    ]

    static let lastNames = [
        "Adams", "Alvarez", "Berg", "Brown", "Chen", "Costa", "Dubois", "Evans", "Fischer", "Garcia", "Gupta",
        "Hansen", "Ito", "Jensen", "Kim", "Kowalski", "Larsen", "Lopez", "Martin", "Meyer", "Moreau", "Nakamura",
        "Novak", "Okafor", "Olsen", "Patel", "Perez", "Quinn", "Rossi", "Sato", "Schmidt", "Silva", "Smith",
        "Tanaka", "Taylor", "Torres", "Urban", "Vogel", "Wagner", "Walker", "Weber", "Wong", "Young", "Zhang",
    ]

    static let cities = [
        "Amsterdam", "Berlin", "Bogota", "Cairo", "Dublin", "Helsinki", "Lagos", "Lisbon", "London", "Lyon",
        "Madrid", "Melbourne", "Montreal", "Mumbai", "Nairobi", "Osaka", "Oslo", "Paris", "Prague", "Seoul",
        "Singapore", "Stockholm", "Toronto", "Valencia", "Vienna", "Zurich",
    ]

    static let countries = [
        "Argentina", "Australia", "Brazil", "Canada", "Denmark", "Egypt", "France", "Germany", "India", "Ireland",
        "Italy", "Japan", "Kenya", "Mexico", "Netherlands", "Nigeria", "Norway", "Portugal", "Spain", "Sweden",
    ]

    static let adjectives = [
        "Classic", "Compact", "Cosy", "Durable", "Elegant", "Ergonomic", "Handmade", "Lightweight", "Modern",
        "Organic", "Portable", "Practical", "Recycled", "Rustic", "Sleek", "Smart", "Sturdy", "Vintage", "Waterproof",
    ]

    static let nouns = [
        "Backpack", "Blanket", "Bottle", "Candle", "Chair", "Desk Lamp", "Headphones", "Jacket", "Kettle",
        "Keyboard", "Mug", "Notebook", "Planter", "Scarf", "Sneakers", "Speaker", "Teapot", "Wallet", "Watch",
    ]

    static let words = [
        "arrived", "bright", "colour", "comfortable", "delivery", "easy", "exactly", "fast", "fits", "gift",
        "great", "happy", "lovely", "nice", "perfect", "price", "quality", "quick", "recommend", "size", "solid",
        "soft", "sturdy", "use", "value", "well", "works",
    ]

    static let domains = ["example.com", "example.org", "example.net", "mail.example.com"]
}
