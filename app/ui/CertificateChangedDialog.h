#pragma once

//! The blocking warning when a pinned server presents another certificate: "This server's
//! identity has changed", the old fingerprint (pinned on a date) and the new one, what it can
//! mean, and "ask your admin". There is no "continue" button (as SSH refuses): the only way on
//! is "Replace the pinned certificate…", which asks for the NEW fingerprint to be pasted or
//! typed and enables "Replace" only when it matches.
//
// The dialog only asks; accepted() means "replace the pin", and the caller does it.

#include <QDateTime>
#include <QDialog>
#include <QSslCertificate>
#include <QUrl>

class QLabel;
class QPushButton;
class QWidget;

namespace tern::app::ui {

class FingerprintCheck;
class FingerprintView;

class CertificateChangedDialog : public QDialog
{
    Q_OBJECT
public:
    CertificateChangedDialog(const QUrl &server, const QSslCertificate &pinned,
                             const QDateTime &pinnedSince, const QSslCertificate &presented,
                             QWidget *parent = nullptr);

    QUrl server() const { return m_server; }
    QSslCertificate presented() const { return m_presented; }
    //! The grouped fingerprints shown.
    QString oldFingerprint() const;
    QString newFingerprint() const;
    //! Shows the replace step (what "Replace the pinned certificate…" does).
    void showReplace();
    FingerprintCheck *check() const { return m_check; }
    QPushButton *replaceButton() const { return m_replace; }

protected:
    void changeEvent(QEvent *event) override;
    bool event(QEvent *event) override;

private:
    void retranslate();

    QUrl m_server;
    QSslCertificate m_presented;
    QDateTime m_pinnedSince;
    QLabel *m_icon;
    QLabel *m_title;
    QLabel *m_intro;
    QLabel *m_oldLabel;
    FingerprintView *m_old;
    QLabel *m_newLabel;
    FingerprintView *m_new;
    QLabel *m_meaning;
    QLabel *m_advice;
    QPushButton *m_startReplace;
    QWidget *m_replaceArea;
    FingerprintCheck *m_check;
    QPushButton *m_replace;
    QPushButton *m_close;
};

} // namespace tern::app::ui
