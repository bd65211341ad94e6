#pragma once

//! The messages of a Qt Linguist .ts file, for tests that check translations (header-only).

#include <QFile>
#include <QList>
#include <QStringList>
#include <QXmlStreamReader>

namespace tern::test {

struct TsMessage
{
    QString context;
    QString source;
    bool numerus = false;
    //! The <translation> type: "" (finished), "unfinished", "vanished" or "obsolete".
    QString type;
    //! One entry, or one per plural form.
    QStringList translations;

    //! Context, source and translation state: equal keys mean lupdate found nothing to change.
    QString key() const
    {
        return context + QLatin1Char('\x1f') + source + QLatin1Char('\x1f') + type +
               QLatin1Char('\x1f') + translations.join(QLatin1Char('\x1e'));
    }
};

//! The committed .ts file `name` ("tern_de.ts") of the source tree.
inline QString sourceTsPath(const QString &name)
{
    return QStringLiteral(TERN_SOURCE_DIR "/translations/") + name;
}

//! Every message of the .ts file at `path`; empty and `*error` set when it cannot be read.
inline QList<TsMessage> readTs(const QString &path, QString *error)
{
    QList<TsMessage> messages;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = path + QStringLiteral(": ") + file.errorString();
        return {};
    }
    QXmlStreamReader xml(&file);
    QString context;
    TsMessage message;
    while (!xml.atEnd()) {
        const QXmlStreamReader::TokenType token = xml.readNext();
        const auto name = xml.name();
        if (token == QXmlStreamReader::EndElement && name == QLatin1String("message")) {
            messages << message;
        } else if (token != QXmlStreamReader::StartElement) {
            continue;
        } else if (name == QLatin1String("name")) {
            context = xml.readElementText();
        } else if (name == QLatin1String("message")) {
            message = TsMessage{
                context, {}, xml.attributes().value("numerus") == QLatin1String("yes"), {}, {}};
        } else if (name == QLatin1String("source")) {
            message.source = xml.readElementText();
        } else if (name == QLatin1String("translation")) {
            message.type = xml.attributes().value("type").toString();
            if (!message.numerus)
                message.translations = {xml.readElementText()};
        } else if (name == QLatin1String("numerusform")) {
            message.translations << xml.readElementText();
        }
    }
    if (xml.hasError()) {
        *error = path + QStringLiteral(": ") + xml.errorString();
        return {};
    }
    return messages;
}

} // namespace tern::test
