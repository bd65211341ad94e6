#pragma once

//! The servers whose self-signed certificate this profile trusts (the pins), by host and port.
//
// Threading/lifetime: one per profile, on the app's main thread. Persisted in
// `<profile>/trusted-servers.ini` through QSettings (read once at construction, written on each
// change; QSettings' own small-file I/O, as AppSettings). A pin holds the whole certificate, so
// the UI can show its fingerprint and dates; the identity is its SHA-256 (see PinVerifier). A
// URL's host is compared case-insensitively; a URL without a port uses its scheme's default.

#include "app/client/CertificateProblem.h"
#include "shared/transport/PinVerifier.h"

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QSslCertificate>
#include <QString>
#include <QUrl>

#include <optional>

class QSettings;

namespace tern::app::client {

class TrustedServers : public QObject
{
    Q_OBJECT
public:
    struct Pin
    {
        QString host;
        quint16 port = 0;
        QSslCertificate certificate;
        QDateTime firstSeen;
    };

    static constexpr const char *kFileName = "trusted-servers.ini";

    explicit TrustedServers(const QString &profileDir, QObject *parent = nullptr);
    ~TrustedServers() override;

    std::optional<Pin> pin(const QString &host, quint16 port) const;
    //! Host and port of a ws(s):// (or http(s)://) URL.
    std::optional<Pin> pin(const QUrl &server) const;
    //! Pins `certificate` for the server (new, or replacing its pin); emits changed.
    void setPin(const QUrl &server, const QSslCertificate &certificate);
    //! Forgets the server's pin; emits changed when there was one.
    void removePin(const QUrl &server);
    //! A pin whose certificate has this SHA-256 (a beacon's fingerprint): the same server at
    //! another address.
    std::optional<Pin> findByDigest(const QByteArray &sha256) const;
    QList<Pin> pins() const;
    //! The problem to report for a refused `presented` certificate of `server`; `trusted` may
    //! be null (no pins: never Changed).
    static CertificateProblem problemFor(const TrustedServers *trusted, const QUrl &server,
                                         const QSslCertificate &presented,
                                         transport::PinVerifier::Verdict verdict);
    //! Whether the last write reached the file (QSettings::status()).
    bool isSaved() const;

signals:
    //! The pin for `server` was set, replaced or removed.
    void changed(const QUrl &server);

private:
    static QString keyOf(const QString &host, quint16 port);
    void load();

    QSettings *m_settings;
    QHash<QString, Pin> m_pins; // by keyOf
};

} // namespace tern::app::client
