#pragma once

//! The one flow for a refused server certificate, wherever it is met (connect screen, signed
//! in, Settings): an Untrusted one opens TrustServerDialog, a Changed one the blocking
//! CertificateChangedDialog; trusting or replacing pins the presented certificate.

#include <QByteArray>
#include <QString>

#include <functional>

class QDialog;
class QWidget;

namespace tern::app::client {
struct CertificateProblem;
class TrustedServers;
} // namespace tern::app::client

namespace tern::app::ui {

class CertificatePrompt
{
public:
    //! A LAN beacon's name and fingerprint (32-byte digest) for the trust dialog.
    struct Announcement
    {
        QString name;
        QByteArray digest;
    };

    //! Opens the dialog for `problem` over `parent` (deleted on close). When the user trusts
    //! (Untrusted) or replaces the pin (Changed) the presented certificate is pinned in
    //! `trusted` and `done(true)` runs; otherwise `done(false)`. `replaceNow`: a Changed dialog
    //! opens at its replace step (Settings' "Replace the pinned certificate…").
    static QDialog *ask(const client::CertificateProblem &problem, client::TrustedServers *trusted,
                        QWidget *parent, std::function<void(bool pinned)> done,
                        const Announcement &announced = {}, bool replaceNow = false);
};

} // namespace tern::app::ui
