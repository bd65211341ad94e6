#pragma once

//! A certificate's SHA-256 fingerprint as people compare it: the grouped form in monospace
//! (selectable, with a Copy button) and the OpenSSL hex form behind "Details".
//
// Used by the trust and changed-identity dialogs and Settings. The child widgets are named
// after `name` (`<name>Label`, `<name>CopyButton`, `<name>DetailsButton`, `<name>Hex`) so two
// views in one window (old and new) stay apart for UI tests.

#include <QByteArray>
#include <QWidget>

class QLabel;
class QPushButton;
class QSslCertificate;

namespace tern::app::ui {

class FingerprintView : public QWidget
{
    Q_OBJECT
public:
    FingerprintView(const QString &name, QWidget *parent = nullptr);

    //! Shows the fingerprint of `certificate` (a null certificate clears the view).
    void setCertificate(const QSslCertificate &certificate);
    //! The 32-byte digest shown ("" when none).
    QByteArray digest() const { return m_digest; }
    //! The grouped form shown, on one line (as `ternd fingerprint` prints it).
    QString grouped() const;
    //! What screen readers hear before the groups ("Fingerprint", "New fingerprint" …).
    void setAccessibleLabel(const QString &label);

    //! The grouped form split into two lines of four groups (fits a narrow dialog).
    static QString groupedTwoLines(const QByteArray &digest);
    //! The hex form split into two lines of 16 bytes.
    static QString hexTwoLines(const QByteArray &digest);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();

    QByteArray m_digest;
    QString m_label;
    QLabel *m_grouped;
    QLabel *m_hex;
    QPushButton *m_copy;
    QPushButton *m_details;
};

} // namespace tern::app::ui
