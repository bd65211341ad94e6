#include "Crypto.h"

#include <sodium.h>

namespace tern::crypto {

bool initialize()
{
    return sodium_init() >= 0;
}

QByteArray randomBytes(int count)
{
    QByteArray bytes(count, Qt::Uninitialized);
    randombytes_buf(bytes.data(), size_t(count));
    return bytes;
}

QString randomId(const QString &prefix, int length)
{
    static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
    QString id = prefix;
    id.reserve(prefix.size() + length);
    for (int i = 0; i < length; ++i)
        id.append(QLatin1Char(kAlphabet[randombytes_uniform(32)]));
    return id;
}

QString newToken()
{
    return QString::fromLatin1(
        randomBytes(32).toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QString tokenHash(const QString &token)
{
    const QByteArray in = token.toUtf8();
    unsigned char out[crypto_generichash_BYTES];
    crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char *>(in.constData()),
                       size_t(in.size()), nullptr, 0);
    return QString::fromLatin1(QByteArray(reinterpret_cast<const char *>(out), sizeof out).toHex());
}

static void costParameters(PasswordCost cost, unsigned long long *ops, size_t *mem)
{
    switch (cost) {
    case PasswordCost::Min:
        *ops = crypto_pwhash_OPSLIMIT_MIN;
        *mem = crypto_pwhash_MEMLIMIT_MIN;
        return;
    case PasswordCost::Interactive:
        *ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
        *mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
        return;
    case PasswordCost::Moderate:
        *ops = crypto_pwhash_OPSLIMIT_MODERATE;
        *mem = crypto_pwhash_MEMLIMIT_MODERATE;
        return;
    }
}

QString hashPassword(const QString &password, PasswordCost cost)
{
    unsigned long long ops = 0;
    size_t mem = 0;
    costParameters(cost, &ops, &mem);
    QByteArray pw = password.toUtf8();
    char out[crypto_pwhash_STRBYTES];
    const int rc = crypto_pwhash_str(out, pw.constData(), size_t(pw.size()), ops, mem);
    sodium_memzero(pw.data(), size_t(pw.size()));
    if (rc != 0)
        return {};
    return QString::fromLatin1(out);
}

bool verifyPassword(const QString &password, const QString &hash)
{
    QByteArray pw = password.toUtf8();
    const QByteArray h = hash.toLatin1();
    const bool ok = !h.isEmpty() &&
                    crypto_pwhash_str_verify(h.constData(), pw.constData(), size_t(pw.size())) == 0;
    sodium_memzero(pw.data(), size_t(pw.size()));
    return ok;
}

bool parsePasswordCost(const QString &name, PasswordCost *cost)
{
    if (name == QLatin1String("min"))
        *cost = PasswordCost::Min;
    else if (name == QLatin1String("interactive"))
        *cost = PasswordCost::Interactive;
    else if (name == QLatin1String("moderate"))
        *cost = PasswordCost::Moderate;
    else
        return false;
    return true;
}

} // namespace tern::crypto
