#include "Codec.h"

#include "shared/protocol/JsonWriter.h"

#include <algorithm>
#include <limits>
#include <type_traits>
#include <utility>

#include <QJsonDocument>
#include <QJsonParseError>
#include <QJsonValue>

#include "shared/model/Limits.h"
#include "shared/model/Validation.h"
#include "shared/protocol/CodecSpecializations.h"
#include "shared/protocol/FieldReader.h"

using namespace Qt::StringLiterals;

namespace tern::protocol {

namespace {

// Server frames nest further than client frames (a media object inside last_message inside a
// conversations ack), and the client trusts its server more; the bound only stops runaways.
constexpr int kMaxServerFrameDepth = 4 * limits::kMaxJsonDepth;

bool isValidUtf8(const QByteArray &bytes)
{
    const auto *p = reinterpret_cast<const unsigned char *>(bytes.constData());
    const qsizetype n = bytes.size();
    qsizetype i = 0;
    while (i < n) {
        const unsigned char b = p[i];
        if (b < 0x80) {
            ++i;
            continue;
        }
        int length = 0;
        char32_t cp = 0;
        char32_t min = 0;
        if ((b & 0xe0) == 0xc0) {
            length = 2;
            cp = b & 0x1f;
            min = 0x80;
        } else if ((b & 0xf0) == 0xe0) {
            length = 3;
            cp = b & 0x0f;
            min = 0x800;
        } else if ((b & 0xf8) == 0xf0) {
            length = 4;
            cp = b & 0x07;
            min = 0x10000;
        } else {
            return false;
        }
        if (n - i < length)
            return false;
        for (int k = 1; k < length; ++k) {
            const unsigned char c = p[i + k];
            if ((c & 0xc0) != 0x80)
                return false;
            cp = (cp << 6) | (c & 0x3f);
        }
        // Overlong forms, UTF-16 surrogates and values past U+10FFFF are not UTF-8.
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        i += length;
    }
    return true;
}

//! UTF-8 check, nesting bound, then the JSON parser; any failure is bad_frame.
Result<QJsonObject> parseFrameObject(const QByteArray &utf8, int maxDepth)
{
    if (!isValidUtf8(utf8))
        return makeError(ErrorCode::BadFrame, u"frame is not valid UTF-8"_s);
    if (jsonNestingDepth(utf8) > maxDepth)
        return makeError(ErrorCode::BadFrame, u"JSON nesting is deeper than %1"_s.arg(maxDepth));
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(utf8, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return makeError(ErrorCode::BadFrame, u"frame is not valid JSON (%1 at offset %2)"_s
                                                  .arg(parseError.errorString())
                                                  .arg(parseError.offset));
    if (!doc.isObject())
        return makeError(ErrorCode::BadFrame, u"frame is not a JSON object"_s);
    return doc.object();
}

std::optional<QString> usableRequestId(const QJsonObject &object)
{
    const QJsonValue v = object.value("id"_L1);
    if (v.isString() && validation::isValidOpaqueId(v.toString(), limits::kMaxRequestIdChars))
        return v.toString();
    return std::nullopt;
}

//! Client text echoed in an error message, cut short (never inside a surrogate pair).
QString shortened(const QString &text)
{
    qsizetype keep = 64;
    if (text.size() <= keep)
        return text;
    if (text.at(keep - 1).isHighSurrogate())
        --keep;
    return text.left(keep) + u"..."_s;
}

template <typename Variant> using BodyDecoder = Result<Variant> (*)(const QJsonObject &);

template <typename Variant, typename T> Result<Variant> decodeAs(const QJsonObject &object)
{
    Result<T> decoded = fromJson<T>(object);
    if (!decoded)
        return decoded.error();
    return Result<Variant>(Variant(std::move(decoded).value()));
}

//! The decoder of the alternative of Variant whose kType is `type`, or nullptr. Built from the
//! variant itself, so a type added to the variant is decodable without touching a table.
template <typename Variant, std::size_t... I>
BodyDecoder<Variant> decoderFor(const QString &type, std::index_sequence<I...>)
{
    BodyDecoder<Variant> found = nullptr;
    auto match = [&]<typename T>(std::type_identity<T>) {
        if (!found && type == QLatin1String(T::kType))
            found = &decodeAs<Variant, T>;
    };
    (match(std::type_identity<std::variant_alternative_t<I, Variant>>{}), ...);
    return found;
}

template <typename Variant> BodyDecoder<Variant> decoderFor(const QString &type)
{
    return decoderFor<Variant>(type, std::make_index_sequence<std::variant_size_v<Variant>>{});
}

bool isNotification(const QString &type)
{
    return type == QLatin1String(HeartbeatRequest::kType) ||
           type == QLatin1String(TypingRequest::kType) ||
           type == QLatin1String(DeliveryRequest::kType) ||
           type == QLatin1String(ReadRequest::kType);
}

DecodeResult decodeFailure(ErrorCode code, QString message, std::optional<QString> id = {})
{
    DecodeResult result;
    result.error = makeError(code, std::move(message));
    result.id = std::move(id);
    return result;
}

} // namespace

int jsonNestingDepth(const QByteArray &utf8)
{
    qsizetype depth = 0;
    qsizetype deepest = 0;
    bool inString = false;
    bool escaped = false;
    for (const char c : utf8) {
        if (inString) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
            continue;
        }
        switch (c) {
        case '"':
            inString = true;
            break;
        case '[':
        case '{':
            deepest = std::max(deepest, ++depth);
            break;
        case ']':
        case '}':
            // Stray closers must not hide openers that follow them.
            depth = std::max<qsizetype>(depth - 1, 0);
            break;
        default:
            break;
        }
    }
    return int(std::min<qsizetype>(deepest, std::numeric_limits<int>::max()));
}

DecodeResult decodeRequest(const QByteArray &utf8)
{
    if (utf8.size() > limits::kMaxFrameBytes) {
        std::optional<QString> id;
        if (utf8.size() <= limits::kMaxTolerableFrameBytes) {
            const Result<QJsonObject> object = parseFrameObject(utf8, limits::kMaxJsonDepth);
            if (object)
                id = usableRequestId(*object);
        }
        return decodeFailure(ErrorCode::TooLarge,
                             u"frame is larger than %1 bytes"_s.arg(limits::kMaxFrameBytes), id);
    }

    const Result<QJsonObject> parsed = parseFrameObject(utf8, limits::kMaxJsonDepth);
    if (!parsed)
        return decodeFailure(parsed.error().code, parsed.error().message);
    const QJsonObject &object = *parsed;
    const std::optional<QString> id = usableRequestId(object);

    const QJsonValue typeValue = object.value("type"_L1);
    if (typeValue.isUndefined())
        return decodeFailure(ErrorCode::BadRequest, u"field 'type' is required"_s, id);
    if (!typeValue.isString())
        return decodeFailure(ErrorCode::BadRequest, u"field 'type' must be a string"_s, id);
    const QString type = typeValue.toString();

    if (object.contains("id"_L1) && !id)
        return decodeFailure(ErrorCode::BadRequest,
                             u"field 'id' must be a string of "_s +
                                 FieldReader::charactersText(1, limits::kMaxRequestIdChars) +
                                 u" without control characters"_s);

    const BodyDecoder<RequestBody> decode = decoderFor<RequestBody>(type);
    if (!decode)
        return decodeFailure(ErrorCode::UnknownType, u"unknown type '%1'"_s.arg(shortened(type)),
                             id);
    if (!id && !isNotification(type))
        return decodeFailure(ErrorCode::BadRequest, u"field 'id' is required"_s);

    Result<RequestBody> body = decode(object);
    if (!body)
        return decodeFailure(body.error().code, body.error().message, id);

    DecodeResult result;
    result.id = id;
    result.request = Request{id, std::move(body).value()};
    return result;
}

QJsonObject encodeRequest(const Request &request)
{
    QJsonObject object = std::visit(
        [](const auto &body) {
            QJsonObject o = toJson(body);
            o.insert(u"type"_s, QString::fromLatin1(std::decay_t<decltype(body)>::kType));
            return o;
        },
        request.body);
    if (request.id)
        object.insert(u"id"_s, *request.id);
    return object;
}

Result<ServerFrame> decodeServerFrame(const QByteArray &utf8)
{
    const Result<QJsonObject> parsed = parseFrameObject(utf8, kMaxServerFrameDepth);
    if (!parsed)
        return parsed.error();
    const QJsonValue type = parsed->value("type"_L1);
    if (!type.isString())
        return makeError(ErrorCode::BadRequest, type.isUndefined()
                                                    ? u"field 'type' is required"_s
                                                    : u"field 'type' must be a string"_s);
    const BodyDecoder<ServerFrame> decode = decoderFor<ServerFrame>(type.toString());
    if (!decode)
        return makeError(ErrorCode::UnknownType,
                         u"unknown type '%1'"_s.arg(shortened(type.toString())));
    return decode(*parsed);
}

QByteArray serialize(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QByteArray encodeAck(const QString &id, const QJsonObject &fields)
{
    return encodeEvent(AckEvent{id, fields});
}

template <> QByteArray encodeEvent<MessageEvent>(const MessageEvent &event)
{
    JsonWriter json(192 + event.content.size() * 3);
    json.field("type", QLatin1StringView(MessageEvent::kType))
        .field("id", event.id)
        .field("conversation", event.conversation)
        .field("seq", event.seq)
        .field("from", event.from)
        .field("from_device", event.fromDevice)
        .field("to", event.to);
    if (event.kind == MessageKind::Unknown)
        json.field("kind", event.kindName);
    else
        json.field("kind", wireNameView(event.kind));
    json.field("content", event.content).field("ts", event.ts).field("server_ts", event.serverTs);
    if (event.media)
        json.field("media", toJson(*event.media));
    if (hasMessageExtras(event)) {
        QJsonObject extras;
        insertMessageExtras(extras, event);
        json.fields(extras);
    }
    return json.take();
}

QByteArray encodeError(const std::optional<QString> &id, const Error &error)
{
    return encodeEvent(ErrorEvent{id, errorCodeName(error.code), error.message});
}

} // namespace tern::protocol