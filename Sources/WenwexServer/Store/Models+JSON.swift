// The hot views write their JSON by hand, keys in sorted order, optional keys left out when
// nil, exactly as `JSONEncoder` with `.sortedKeys` writes them; a test compares the two.

extension ProductView: JSONWritable {
    func write(to json: inout JSONBuffer) {
        json.object { json in
            json.key("createdAt")
            json.string(createdAt)
            if let description {
                json.key("description")
                json.string(description)
            }
            json.key("id")
            json.int(id)
            json.key("images")
            json.array(images) { json, image in image.write(to: &json) }
            json.key("price")
            json.string(price)
            json.key("sellerId")
            json.int(sellerId)
            json.key("stock")
            json.int(stock)
            json.key("title")
            json.string(title)
            json.key("updatedAt")
            json.string(updatedAt)
        }
    }
}

extension ImageView: JSONWritable {
    func write(to json: inout JSONBuffer) {
        json.object { json in
            json.key("contentType")
            json.string(contentType)
            json.key("id")
            json.int(id)
            json.key("position")
            json.int(position)
            json.key("size")
            json.int(size)
            json.key("url")
            json.string(url)
        }
    }
}

extension CommentView: JSONWritable {
    func write(to json: inout JSONBuffer) {
        json.object { json in
            json.key("authorId")
            json.int(authorId)
            json.key("body")
            json.string(body)
            json.key("createdAt")
            json.string(createdAt)
            json.key("id")
            json.int(id)
            json.key("productId")
            json.int(productId)
        }
    }
}

extension OrderItemView: JSONWritable {
    func write(to json: inout JSONBuffer) {
        json.object { json in
            json.key("productId")
            json.int(productId)
            json.key("quantity")
            json.int(quantity)
            json.key("unitPrice")
            json.string(unitPrice)
        }
    }
}

extension OrderView: JSONWritable {
    func write(to json: inout JSONBuffer) {
        json.object { json in
            json.key("buyerId")
            json.int(buyerId)
            json.key("createdAt")
            json.string(createdAt)
            json.key("id")
            json.int(id)
            json.key("items")
            json.array(items) { json, item in item.write(to: &json) }
            json.key("status")
            json.string(status)
            json.key("total")
            json.string(total)
        }
    }
}

extension Page: JSONWritable where Item: JSONWritable {
    func write(to json: inout JSONBuffer) {
        json.object { json in
            json.key("data")
            json.array(data) { json, item in item.write(to: &json) }
            if let nextCursor {
                json.key("nextCursor")
                json.string(nextCursor)
            }
        }
    }
}
