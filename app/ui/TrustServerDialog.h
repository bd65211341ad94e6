#pragma once

//! Asked once, on the first connection to a server whose certificate the system does not trust
//! (a Tern server's own self-signed one): who it is, its fingerprint, how to check it, and
//! "Trust and connect" / "Cancel" (the default: Enter and Esc never trust).
//
// The dialog only asks; accepted() means "trust", and the caller pins the certificate.

#include <QByteArray>
#include <QDialog>
#include <QSslCertificate>
#include <QUrl>

class QLabel;
class QPushButton;

namespace tern::app::ui {

class FingerprintCheck;
class FingerprintView;

class TrustServerDialog : public QDialog
{
    Q_OBJECT
public:
    TrustServerDialog(const QUrl &server, const QSslCertificate &certificate,
                      QWidget *parent = nullptr);

    //! The server was picked from the LAN list: its announced name, and the fingerprint its
    //! beacon carried (32-byte digest, "" when none).
    void setAnnouncement(const QString &name, const QByteArray &announcedDigest);

    QUrl server() const { return m_server; }
    QSslCertificate certificate() const { return m_certificate; }
    //! The grouped fingerprint shown.
    QString fingerprint() const;
    //! The server's name as shown (certificate CN, or the announced name).
    QString serverName() const;
    //! The sentence about the LAN announcement ("" when there is none).
    QString announcementText() const;
    FingerprintCheck *check() const { return m_check; }
    QPushButton *trustButton() const { return m_trust; }

protected:
    void changeEvent(QEvent *event) override;
    bool event(QEvent *event) override;

private:
    void retranslate();
    void updateTrust();

    QUrl m_server;
    QSslCertificate m_certificate;
    QString m_announcedName;
    QByteArray m_announcedDigest;
    QLabel *m_title;
    QLabel *m_intro;
    QLabel *m_nameLabel;
    QLabel *m_name;
    QLabel *m_addressLabel;
    QLabel *m_address;
    QLabel *m_fingerprintLabel;
    FingerprintView *m_fingerprint;
    QLabel *m_howTo;
    QLabel *m_announcement;
    FingerprintCheck *m_check;
    QPushButton *m_trust;
    QPushButton *m_cancel;
};

} // namespace tern::app::ui
