#include "PinVerifier.h"

#include "shared/model/CertificateFingerprint.h"

namespace tern::transport {

namespace {
// What Qt 6.4 / OpenSSL 3 report for a self-signed server certificate, checked for both
// `openssl req -x509` certificates and ternd-like ones (CA:FALSE, keyUsage digitalSignature only)
// in tst_tlspinning::qtReportsOnlyPinnableErrors: SelfSignedCertificate, plus HostNameMismatch
// when reached by another name. Nothing else is ignored (no "unknown issuer" equivalents: OpenSSL
// does not report them for these certificates, and a pin must not widen what is accepted).
constexpr QSslError::SslError kPinnable[] = {
    QSslError::SelfSignedCertificate,
    QSslError::HostNameMismatch,
};
} // namespace

bool PinVerifier::isPinnable(QSslError::SslError error)
{
    for (QSslError::SslError pinnable : kPinnable) {
        if (error == pinnable)
            return true;
    }
    return false;
}

QList<QSslError> PinVerifier::expectedErrors(const QSslCertificate &pin)
{
    QList<QSslError> errors;
    if (pin.isNull())
        return errors;
    for (QSslError::SslError pinnable : kPinnable)
        errors.append(QSslError(pinnable, pin));
    return errors;
}

PinVerifier::Verdict PinVerifier::judge(const QList<QSslError> &errors,
                                        const QSslCertificate &presented,
                                        const QSslCertificate &pin)
{
    if (errors.isEmpty())
        return Verdict::Accept; // trusted by the system or the app's CA list
    if (pin.isNull())
        return Verdict::Untrusted;
    // Compared by digest of the DER, the identity the user confirmed.
    if (presented.isNull() ||
        fingerprint::sha256(presented.toDer()) != fingerprint::sha256(pin.toDer()))
        return Verdict::Changed;
    for (const QSslError &error : errors) {
        // An error about another certificate (a chain's) or of another kind is not covered.
        if (!isPinnable(error.error()) ||
            (!error.certificate().isNull() && error.certificate() != pin))
            return Verdict::Untrusted;
    }
    return Verdict::Accept;
}

} // namespace tern::transport
