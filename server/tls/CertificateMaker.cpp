#include "CertificateMaker.h"

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

namespace tern::server::tls {

namespace {
template <auto Free> struct Deleter
{
    template <typename T> void operator()(T *p) const { Free(p); }
};
using Key = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using Cert = std::unique_ptr<X509, Deleter<X509_free>>;
using Bio = std::unique_ptr<BIO, Deleter<BIO_free>>;
using Bignum = std::unique_ptr<BIGNUM, Deleter<BN_free>>;
using Extension = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION_free>>;

//! Empties OpenSSL's error queue when the calling function returns, whatever the path.
struct ErrorQueueGuard
{
    ~ErrorQueueGuard() { ERR_clear_error(); }
};

QString lastError(const char *what)
{
    const unsigned long code = ERR_peek_last_error();
    char text[256] = {};
    if (code)
        ERR_error_string_n(code, text, sizeof text);
    return QStringLiteral("%1 failed%2")
        .arg(QLatin1String(what),
             code ? QStringLiteral(": ") + QString::fromLatin1(text) : QString());
}

QByteArray bioBytes(BIO *bio)
{
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    return QByteArray(data, int(size));
}

bool addExtension(X509 *cert, int nid, const QByteArray &value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
    Extension ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.constData()));
    return ext && X509_add_ext(cert, ext.get(), -1) == 1;
}
} // namespace

Result<CertificateMaker::Pair> CertificateMaker::generate(const Subject &subject)
{
    ErrorQueueGuard guard;
    Key key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
    if (!key)
        return Error{ErrorCode::Internal, lastError("EC P-256 key generation")};
    Cert cert(X509_new());
    if (!cert || X509_set_version(cert.get(), X509_VERSION_3) != 1)
        return Error{ErrorCode::Internal, lastError("X509_new")};

    // A random positive 128-bit serial: no two certificates share one.
    unsigned char serialBytes[16];
    if (RAND_bytes(serialBytes, sizeof serialBytes) != 1)
        return Error{ErrorCode::Internal, lastError("RAND_bytes")};
    serialBytes[0] &= 0x7f;
    Bignum serial(BN_bin2bn(serialBytes, sizeof serialBytes, nullptr));
    if (!serial || !BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())))
        return Error{ErrorCode::Internal, lastError("serial number")};

    if (!X509_gmtime_adj(X509_getm_notBefore(cert.get()), -kBackdateSeconds) ||
        !X509_time_adj_ex(X509_getm_notAfter(cert.get()), kValidityDays, 0, nullptr) ||
        X509_set_pubkey(cert.get(), key.get()) != 1)
        return Error{ErrorCode::Internal, lastError("validity/public key")};

    X509_NAME *name = X509_get_subject_name(cert.get());
    const QByteArray cn = subject.commonName.left(64).toUtf8();
    if (X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char *>(cn.constData()),
                                   int(cn.size()), -1, 0) != 1 ||
        X509_set_issuer_name(cert.get(), name) != 1)
        return Error{ErrorCode::Internal, lastError("subject name")};

    QStringList altNames;
    for (const QString &dns : subject.dnsNames)
        altNames << QStringLiteral("DNS:") + dns;
    for (const QString &ip : subject.ipAddresses)
        altNames << QStringLiteral("IP:") + ip;
    const struct
    {
        int nid;
        QByteArray value;
    } extensions[] = {
        {NID_basic_constraints, "critical,CA:FALSE"},
        {NID_key_usage, "critical,digitalSignature"},
        {NID_ext_key_usage, "serverAuth"},
        {NID_subject_key_identifier, "hash"},
        {NID_subject_alt_name, altNames.join(u',').toLatin1()},
    };
    for (const auto &e : extensions) {
        if (e.value.isEmpty())
            continue;
        if (!addExtension(cert.get(), e.nid, e.value))
            return Error{ErrorCode::Internal,
                         lastError("certificate extension ") + QString::fromLatin1(e.value)};
    }
    if (X509_sign(cert.get(), key.get(), EVP_sha256()) <= 0)
        return Error{ErrorCode::Internal, lastError("signing the certificate")};

    Bio keyBio(BIO_new(BIO_s_mem()));
    Bio certBio(BIO_new(BIO_s_mem()));
    if (!keyBio || !certBio ||
        PEM_write_bio_PrivateKey(keyBio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) !=
            1 ||
        PEM_write_bio_X509(certBio.get(), cert.get()) != 1)
        return Error{ErrorCode::Internal, lastError("PEM encoding")};
    return Pair{bioBytes(keyBio.get()), bioBytes(certBio.get())};
}

Status CertificateMaker::checkPair(const QByteArray &certPem, const QByteArray &keyPem)
{
    ErrorQueueGuard guard;
    Bio certBio(BIO_new_mem_buf(certPem.constData(), int(certPem.size())));
    Cert cert(certBio ? PEM_read_bio_X509(certBio.get(), nullptr, nullptr, nullptr) : nullptr);
    if (!cert)
        return Error{ErrorCode::BadRequest,
                     QStringLiteral("the certificate is not a PEM X.509 certificate")};
    Bio keyBio(BIO_new_mem_buf(keyPem.constData(), int(keyPem.size())));
    // An empty passphrase callback result: an encrypted key fails instead of prompting on a tty.
    Key key(keyBio ? PEM_read_bio_PrivateKey(
                         keyBio.get(), nullptr, [](char *, int, int, void *) { return 0; }, nullptr)
                   : nullptr);
    if (!key)
        return Error{ErrorCode::BadRequest,
                     QStringLiteral("the key is not an unencrypted PEM private key")};
    if (X509_check_private_key(cert.get(), key.get()) != 1)
        return Error{ErrorCode::Conflict,
                     QStringLiteral("the key does not belong to the certificate")};
    return Ok{};
}

} // namespace tern::server::tls
