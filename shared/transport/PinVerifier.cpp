#include "PinVerifier.h"

#include "shared/model/CertificateFingerprint.h"

namespace tern::transport {

namespace {
// Checked with Qt 6.4 / OpenSSL 3 against ternd's and openssl-req certificates (tst_tlspinning):
// a self-signed leaf raises SelfSignedCertificate, plus HostNameMismatch for another name. The
// "no issuer" errors are what OpenSSL reports instead when it does not see the leaf as its own
// issuer (e.g. keyUsage without keyCertSign).
constexpr QSslError::SslError kPinnable[] = {
    QSslError::SelfSignedCertificate,
    QSslError::HostNameMismatch,
    QSslError::UnableToGetLocalIssuerCertificate,
    QSslError::UnableToVerifyFirstCertificate,
    QSslError::CertificateUntrusted,
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
