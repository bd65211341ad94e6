#include "MediaFields.h"

#include <array>

namespace tern::protocol {

namespace {
struct Field
{
    QLatin1StringView name;
    QJsonValue::Type type;
};

constexpr std::array<Field, 8> kFields{{{QLatin1StringView("media_id"), QJsonValue::String},
                                        {QLatin1StringView("name"), QJsonValue::String},
                                        {QLatin1StringView("mime"), QJsonValue::String},
                                        {QLatin1StringView("size"), QJsonValue::Double},
                                        {QLatin1StringView("sha256"), QJsonValue::String},
                                        {QLatin1StringView("thumbnail"), QJsonValue::String},
                                        {QLatin1StringView("width"), QJsonValue::Double},
                                        {QLatin1StringView("height"), QJsonValue::Double}}};
} // namespace

QJsonObject documentedMediaFields(const QJsonObject &media)
{
    QJsonObject out;
    for (const Field &field : kFields) {
        const QJsonValue value = media.value(field.name);
        if (value.type() == field.type)
            out.insert(field.name, value);
    }
    return out;
}

} // namespace tern::protocol
