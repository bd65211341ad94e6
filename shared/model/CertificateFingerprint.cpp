#include "shared/model/CertificateFingerprint.h"

#include <QCryptographicHash>
#include <QStringList>

namespace tern::fingerprint {

namespace {

constexpr int kDigestBytes = 32;
constexpr int kBlockChars = 13; // four blocks of 13 base32 characters hold the 52 of 32 bytes
constexpr int kGroupChars = 7;
constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

int base32Value(QChar c)
{
    const char16_t u = c.unicode();
    if (u >= u'A' && u <= u'Z')
        return u - u'A';
    if (u >= u'2' && u <= u'7')
        return 26 + (u - u'2');
    return -1;
}

// Luhn mod N over the block's base32 values, doubling every second one from the left, as
// Syncthing's device IDs do; one wrong or two swapped neighbouring characters change it.
QChar luhnCheck(QStringView block)
{
    constexpr int n = 32;
    int factor = 1;
    int sum = 0;
    for (const QChar c : block) {
        int addend = factor * base32Value(c);
        factor = factor == 2 ? 1 : 2;
        addend = addend / n + addend % n;
        sum += addend;
    }
    return QLatin1Char(kAlphabet[(n - sum % n) % n]);
}

QString base32(const QByteArray &bytes)
{
    QString out;
    quint32 buffer = 0;
    int bits = 0;
    for (const char byte : bytes) {
        buffer = (buffer << 8) | quint8(byte);
        bits += 8;
        while (bits >= 5) {
            out += QLatin1Char(kAlphabet[(buffer >> (bits - 5)) & 31]);
            bits -= 5;
        }
    }
    if (bits > 0)
        out += QLatin1Char(kAlphabet[(buffer << (5 - bits)) & 31]);
    return out;
}

std::optional<QByteArray> fromBase32(QStringView text)
{
    QByteArray out;
    quint32 buffer = 0;
    int bits = 0;
    for (const QChar c : text) {
        const int value = base32Value(c);
        if (value < 0)
            return std::nullopt;
        buffer = (buffer << 5) | quint32(value);
        bits += 5;
        if (bits >= 8) {
            out += char((buffer >> (bits - 8)) & 0xff);
            bits -= 8;
        }
    }
    if ((buffer & ((1u << bits) - 1)) != 0) // the padding bits of the last character
        return std::nullopt;
    return out;
}

std::optional<QByteArray> parseGrouped(const QString &text)
{
    QString plain;
    for (QChar c : text) {
        // Read aloud or copied from a screen, these are the usual confusions.
        if (c == u'0')
            c = u'O';
        else if (c == u'1')
            c = u'I';
        else if (c == u'8')
            c = u'B';
        plain += c;
    }
    QString data;
    for (int block = 0; block < 4; ++block) {
        const QStringView chunk = QStringView(plain).mid(block * (kBlockChars + 1), kBlockChars);
        if (luhnCheck(chunk) != plain.at(block * (kBlockChars + 1) + kBlockChars))
            return std::nullopt;
        data += chunk;
    }
    std::optional<QByteArray> digest = fromBase32(data);
    if (!digest || digest->size() != kDigestBytes)
        return std::nullopt;
    return digest;
}

} // namespace

QByteArray sha256(const QByteArray &certificateDer)
{
    return QCryptographicHash::hash(certificateDer, QCryptographicHash::Sha256);
}

QString grouped(const QByteArray &digest)
{
    Q_ASSERT(digest.size() == kDigestBytes);
    const QString data = base32(digest);
    QString checked;
    for (int block = 0; block < 4; ++block) {
        const QStringView chunk = QStringView(data).mid(block * kBlockChars, kBlockChars);
        checked += chunk;
        checked += luhnCheck(chunk);
    }
    QStringList groups;
    for (int i = 0; i < checked.size(); i += kGroupChars)
        groups << checked.mid(i, kGroupChars);
    return groups.join(u'-');
}

QString hex(const QByteArray &digest)
{
    return QString::fromLatin1(digest.toHex(':').toUpper());
}

std::optional<QByteArray> parse(const QString &text)
{
    QString plain;
    for (const QChar c : text) {
        if (c.isSpace() || c == u'-' || c == u':')
            continue;
        plain += c.toUpper();
    }
    if (plain.size() == 2 * kDigestBytes) {
        const QByteArray bytes = QByteArray::fromHex(plain.toLatin1());
        // fromHex skips what is not hex, so a stray letter would shorten the result.
        if (bytes.size() == kDigestBytes && bytes.toHex().toUpper() == plain.toLatin1())
            return bytes;
        return std::nullopt;
    }
    if (plain.size() == 4 * (kBlockChars + 1))
        return parseGrouped(plain);
    return std::nullopt;
}

} // namespace tern::fingerprint
