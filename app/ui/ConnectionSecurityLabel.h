#pragma once

//! One line saying whether a connection is encrypted: a lock and "Encrypted · ABCDEFG-HIJKLMN…"
//! (the start of the server's fingerprint), or an open lock and "Not encrypted" in the warning
//! colour for ws://. The sign-in page and Settings show it.

#include <QSslCertificate>
#include <QUrl>
#include <QWidget>

class QLabel;

namespace tern::app::ui {

class ConnectionSecurityLabel : public QWidget
{
    Q_OBJECT
public:
    //! The text label is named `<name>` (tests read it), the icon `<name>Icon`.
    explicit ConnectionSecurityLabel(const QString &name, QWidget *parent = nullptr);

    //! `certificate` may be null (not known yet, or a CA-trusted server not looked at);
    //! `protocol` ("TLSv1.3") is shown when set.
    void setSecurity(const QUrl &server, const QSslCertificate &certificate,
                     const QString &protocol = QString());
    bool isEncrypted() const { return m_encrypted; }
    QString text() const;

    //! The first two groups of the grouped fingerprint and "…".
    static QString shortFingerprint(const QSslCertificate &certificate);

protected:
    void changeEvent(QEvent *event) override;

private:
    void refresh();

    QUrl m_server;
    QSslCertificate m_certificate;
    QString m_protocol;
    bool m_encrypted = false;
    QLabel *m_icon;
    QLabel *m_text;
};

} // namespace tern::app::ui
